using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OneKosmos.Relay.Dispatch;

namespace OneKosmos.Relay
{
    /// <summary>Runs the dispatcher until the host stops.</summary>
    public sealed class DispatcherService : BackgroundService
    {
        private readonly Dispatcher _dispatcher;
        private readonly DispatcherOptions _options;
        private readonly RelayLoop _loop;

        public DispatcherService(Dispatcher dispatcher, DispatcherOptions options, LoopOptions loops, RelayHealth health, TimeProvider time, ILogger<DispatcherService> logger)
        {
            _dispatcher = dispatcher;
            _options = options;
            _loop = new RelayLoop("The dispatcher", loops, health, time, logger);
        }

        /// <remarks>
        /// Each turn fills the free delivery slots and waits for the first delivery to end, then at once takes the next turn; an
        /// idle one (nothing in flight, nothing visible) waits <see cref="DispatcherOptions.IdleDelay"/>. On stop, the deliveries
        /// in flight finish.
        /// </remarks>
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            try
            {
                await _loop.RunAsync(async stopping => await _dispatcher.PumpAsync(stopping) is var ended && ended == 0
                    ? new LoopRound(false, _options.IdleDelay)
                    : new LoopRound(true, TimeSpan.Zero), stoppingToken);
            }
            finally
            {
                // A delivery that fails while the relay stops has already put its message back on the queue: nothing is lost.
                await _dispatcher.FinishInFlightAsync().ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
