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

        /// <remarks>A round that delivered something is followed at once by the next; an idle one waits <see cref="DispatcherOptions.IdleDelay"/>.</remarks>
        protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
            _loop.RunAsync(async stopping => await _dispatcher.DispatchOnceAsync(stopping) is var handled && handled == 0
                ? new LoopRound(false, _options.IdleDelay)
                : new LoopRound(true, TimeSpan.Zero), stoppingToken);
    }
}
