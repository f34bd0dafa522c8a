using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OneKosmos.Relay.Polling;

namespace OneKosmos.Relay
{
    /// <summary>Polls the 1Kosmos events feed on its interval until the host stops.</summary>
    public sealed class EventPollerService : BackgroundService
    {
        public const string HttpClientName = "blockid";

        private readonly EventPoller _poller;
        private readonly PollerOptions _options;
        private readonly RelayLoop _loop;

        public EventPollerService(EventPoller poller, PollerOptions options, LoopOptions loops, RelayHealth health, TimeProvider time, ILogger<EventPollerService> logger)
        {
            _poller = poller;
            _options = options;
            _loop = new RelayLoop("The events poller", loops, health, time, logger);
        }

        protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
            _loop.RunAsync(async stopping =>
            {
                var report = await _poller.PollOnceAsync(stopping);
                return new LoopRound(true, NextPollIn(report, _options));
            }, stoppingToken);

        /// <summary>The interval, or longer when 1Kosmos throttled the feed and asked for more.</summary>
        internal static TimeSpan NextPollIn(PollReport report, PollerOptions options) =>
            report.RetryAfter is { } asked && asked > options.Interval ? asked : options.Interval;
    }
}
