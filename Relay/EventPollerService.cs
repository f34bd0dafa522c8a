using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using OneKosmos.Relay.Polling;

namespace OneKosmos.Relay
{
    /// <summary>Polls the 1Kosmos events feed on its interval until the host stops.</summary>
    public sealed class EventPollerService : BackgroundService
    {
        public const string HttpClientName = "blockid";

        private readonly EventPoller _poller;
        private readonly PollerOptions _options;

        public EventPollerService(EventPoller poller, PollerOptions options)
        {
            _poller = poller;
            _options = options;
        }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await _poller.PollOnceAsync(stoppingToken);
                    await Task.Delay(_options.Interval, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }
}
