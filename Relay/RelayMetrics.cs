using System;
using System.Diagnostics.Metrics;
using System.Threading;

namespace OneKosmos.Relay
{
    /// <summary>The relay's counters (meter <c>OneKosmos.Relay</c>), for dashboards and alerts.</summary>
    public sealed class RelayMetrics : IDisposable
    {
        public const string MeterName = "OneKosmos.Relay";

        private readonly Meter _meter;
        private long _queueDepth;

        public RelayMetrics(IMeterFactory? factory = null)
        {
            _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
            Received = _meter.CreateCounter<long>("okos.relay.received", description: "Notifications received by the ingress or the event poller.");
            Enqueued = _meter.CreateCounter<long>("okos.relay.enqueued", description: "Notifications stored in the queue.");
            Dispatched = _meter.CreateCounter<long>("okos.relay.dispatched", description: "Deliveries Dataverse answered with an outcome.");
            Retried = _meter.CreateCounter<long>("okos.relay.retried", description: "Deliveries put back for a later attempt.");
            DeadLettered = _meter.CreateCounter<long>("okos.relay.dead_lettered", description: "Messages given up on.");
            Latency = _meter.CreateHistogram<double>("okos.relay.latency", unit: "s", description: "From receipt to Dataverse's answer.");
            _meter.CreateObservableGauge("okos.relay.queue_depth", () => Interlocked.Read(ref _queueDepth), description: "Messages waiting or in delivery.");
        }

        public Counter<long> Received { get; }

        public Counter<long> Enqueued { get; }

        public Counter<long> Dispatched { get; }

        public Counter<long> Retried { get; }

        public Counter<long> DeadLettered { get; }

        public Histogram<double> Latency { get; }

        public void ObserveDepth(int depth) => Interlocked.Exchange(ref _queueDepth, depth);

        public void Dispose() => _meter.Dispose();
    }
}
