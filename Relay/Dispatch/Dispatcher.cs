using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using OneKosmos.Core.Callbacks;
using OneKosmos.Relay.Queue;

namespace OneKosmos.Relay.Dispatch
{
    /// <summary>How the dispatcher works; bound from the <c>Relay:Dispatcher</c> configuration section.</summary>
    public sealed class DispatcherOptions
    {
        /// <value>The whsec_ secret deliveries are signed with: the same value as the connection row's Callback Signing Secret.</value>
        public string SigningSecret { get; set; } = "";

        /// <value>Deliveries in flight at once. Default 4.</value>
        public int Concurrency { get; set; } = 4;

        /// <value>Attempts before a failing message is dead-lettered. Default 10.</value>
        public int MaxAttempts { get; set; } = 10;

        /// <value>First retry delay; each next one doubles, with jitter. Default 2 s.</value>
        public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

        /// <value>Longest retry delay. Default 5 minutes.</value>
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(5);

        /// <value>How long a delivery may take before its message is handed out again. Default 3 minutes (the call has 100 s).</value>
        public TimeSpan LeaseFor { get; set; } = TimeSpan.FromMinutes(3);

        /// <value>How long an idle dispatcher waits before looking again. Default 1 s.</value>
        public TimeSpan IdleDelay { get; set; } = TimeSpan.FromSeconds(1);

        /// <value>
        /// The window Dataverse's service protection limits are counted in, which the relay paces itself by once it was
        /// throttled (<see cref="ServiceProtectionPacer"/>). Default 5 minutes, as documented.
        /// </value>
        public TimeSpan ServiceProtectionWindow { get; set; } = TimeSpan.FromMinutes(5);

        /// <value>Dataverse refuses a user more concurrent requests than this (documented: 52); the concurrency may not exceed it.</value>
        public const int MaxConcurrency = 52;
    }

    /// <summary>
    /// Delivers queued notifications to Dataverse (docs/design.md §1b): each attempt signed afresh (same message id, current
    /// timestamp), so a message that waited still arrives inside the callback API's 5-minute window. Applied, Duplicate and
    /// Ignored complete the message; Rejected dead-letters it at once; throttling waits as told; any other failure is retried
    /// with exponential back-off and jitter, then dead-lettered.
    /// </summary>
    public sealed class Dispatcher
    {
        private readonly IRelayQueue _queue;
        private readonly ICallbackApi _api;
        private readonly DispatcherOptions _options;
        private readonly TimeProvider _clock;
        private readonly ILogger _logger;
        private readonly RelayMetrics _metrics;
        private readonly Random _jitter;
        private DateTimeOffset _depthCountedAt = DateTimeOffset.MinValue;
        private readonly List<Task> _inFlight = new();
        private readonly ServiceProtectionPacer _pacer;

        /// <summary>How often the queue depth gauge is refreshed.</summary>
        public static readonly TimeSpan DepthEvery = TimeSpan.FromSeconds(1);

        public Dispatcher(IRelayQueue queue, ICallbackApi api, DispatcherOptions options, TimeProvider clock, ILogger<Dispatcher> logger, RelayMetrics metrics, Random? jitter = null)
        {
            _queue = queue;
            _api = api;
            _options = options;
            _clock = clock;
            _logger = logger;
            _metrics = metrics;
            _jitter = jitter ?? Random.Shared;
            _pacer = new ServiceProtectionPacer(clock, options.ServiceProtectionWindow, options.Concurrency);
        }

        /// <value>The pace the dispatcher keeps since Dataverse last throttled it (calls per second); null while it never has.</value>
        public double? PacedAt => _pacer.RatePerSecond;

        /// <summary>
        /// One round: leases what is visible (up to the concurrency) and delivers it all; returns how many messages were handled.
        /// For tests and measurements that want whole rounds; the running relay uses <see cref="PumpAsync"/>.
        /// </summary>
        public async Task<int> DispatchOnceAsync(CancellationToken cancellation)
        {
            var leased = await _queue.LeaseAsync(_options.Concurrency, _options.LeaseFor, cancellation);
            await Task.WhenAll(leased.Select(message => DeliverAsync(message, cancellation)));
            await ObserveDepthAsync(cancellation);
            return leased.Count;
        }

        /// <summary>
        /// One turn of the running relay, without rounds: fills every free delivery slot with a newly leased message (as far
        /// as the pace Dataverse's service protection limits set allows), then waits for the first delivery in flight to end
        /// or the next paced slot, so one slow delivery never holds the others back (#21, finding 5).
        /// Returns how many deliveries ended, 0 when idle (nothing in flight, nothing visible: the caller then idles), or
        /// <see cref="Paced"/> when the turn only waited for its pace.
        /// </summary>
        /// <exception cref="Exception">A delivery failed for a reason not the message's (its message went back to the queue): the loop backs off.</exception>
        public async Task<int> PumpAsync(CancellationToken cancellation)
        {
            var free = _options.Concurrency - _inFlight.Count;
            var nextSlot = TimeSpan.Zero;
            if (free > 0)
            {
                var allowed = _pacer.Take(free, out nextSlot);
                if (allowed > 0)
                {
                    var leased = await _queue.LeaseAsync(allowed, _options.LeaseFor, cancellation);
                    _pacer.Return(allowed - leased.Count);
                    foreach (var message in leased)
                    {
                        _inFlight.Add(DeliverAsync(message, cancellation));
                    }
                }
            }
            var slot = nextSlot > TimeSpan.Zero ? Task.Delay(nextSlot, _clock, cancellation) : null;
            if (_inFlight.Count == 0)
            {
                await ObserveDepthAsync(cancellation);
                if (slot is null)
                {
                    return 0;
                }
                await slot;
                return Paced;
            }
            await Task.WhenAny(slot is null ? _inFlight : _inFlight.Append(slot));
            var ended = _inFlight.Where(delivery => delivery.IsCompleted).ToList();
            _inFlight.RemoveAll(delivery => delivery.IsCompleted);
            await ObserveDepthAsync(cancellation);
            // A failure is rethrown once, after every ended delivery is counted out, so the loop's back-off sees it.
            await Task.WhenAll(ended);
            return ended.Count == 0 ? Paced : ended.Count;
        }

        /// <value>What <see cref="PumpAsync"/> returns for a turn that only waited for the pace: not idle.</value>
        public const int Paced = -1;

        /// <summary>Waits for the deliveries still in flight (a stopping relay lets them finish rather than cutting them off).</summary>
        public Task FinishInFlightAsync() => Task.WhenAll(_inFlight.ToList());

        private async Task ObserveDepthAsync(CancellationToken cancellation)
        {
            // Counting the queue reads its whole table: once a second is plenty for a gauge, and a large backlog then
            // does not slow every turn.
            if (_clock.GetUtcNow() - _depthCountedAt >= DepthEvery)
            {
                _metrics.ObserveDepth(await _queue.DepthAsync(cancellation));
                _depthCountedAt = _clock.GetUtcNow();
            }
        }

        /// <summary>Dispatches until nothing is visible (tests, and a drain on shutdown).</summary>
        public async Task DrainAsync(CancellationToken cancellation)
        {
            while (await DispatchOnceAsync(cancellation) > 0)
            {
            }
        }

        private async Task DeliverAsync(LeasedMessage leased, CancellationToken cancellation)
        {
            var message = leased.Message;
            using var scope = _logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = message.CorrelationId, ["MessageId"] = message.MessageId });
            if (message.Kind == MessageKind.Unreadable)
            {
                var reason = UnreadableReason(message.Body);
                await _queue.DeadLetterAsync(leased, $"Unreadable: {reason}", cancellation);
                _metrics.DeadLettered.Add(1);
                _logger.LogWarning("Dead-lettered {MessageId}: {Reason}.", message.MessageId, reason);
                return;
            }
            ApiAnswer answer;
            try
            {
                _pacer.Sent();
                answer = message.Kind == MessageKind.Reconcile
                    ? await _api.ReconcileAsync(cancellation)
                    : await SignedDeliveryAsync(message, cancellation);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Not the message's fault (the relay's own credential, say): it goes back to the queue, never to the dead letters,
                // and the failure reaches the dispatcher's loop, which backs off and, if it never heals, stops the relay.
                await _queue.AbandonAsync(leased, Backoff(leased.Attempt), CancellationToken.None);
                throw;
            }
            switch (answer.Kind)
            {
                case AnswerKind.Outcome when answer.Outcome == "Rejected":
                    await _queue.DeadLetterAsync(leased, $"Rejected: {answer.ReasonCode}", cancellation);
                    _metrics.DeadLettered.Add(1);
                    _logger.LogWarning("Dead-lettered {MessageId}: the callback API rejected it ({ReasonCode}).", message.MessageId, answer.ReasonCode);
                    break;
                case AnswerKind.Outcome:
                    var completed = await _queue.CompleteAsync(leased, cancellation);
                    _metrics.Dispatched.Add(1, new KeyValuePair<string, object?>("outcome", answer.Outcome));
                    _metrics.Latency.Record((_clock.GetUtcNow() - message.ReceivedAt).TotalSeconds);
                    _logger.LogInformation("Delivered {MessageId} on attempt {Attempt}: {Outcome}{LeaseNote}.", message.MessageId, leased.Attempt, answer.Outcome,
                        completed ? "" : " (its lease had expired: another delivery will answer Duplicate)");
                    break;
                case AnswerKind.Throttled:
                    var wait = answer.RetryAfter is { } after && after > TimeSpan.Zero ? after : Backoff(leased.Attempt);
                    if (answer.LimitReached && _pacer.Refused(wait))
                    {
                        _logger.LogWarning(
                            "Dataverse's service protection limit was reached ({Detail}): every delivery waits {Seconds:0.#} s as its Retry-After asks, then goes at most {Rate:0.#} a second, 90 % of what the last window carried.",
                            answer.Detail, wait.TotalSeconds, _pacer.RatePerSecond);
                    }
                    await _queue.AbandonAsync(leased, wait, cancellation);
                    _metrics.Retried.Add(1, new KeyValuePair<string, object?>("reason", "throttled"));
                    _logger.LogInformation("Dataverse throttled {MessageId} ({Detail}); retrying in {Seconds:0.#} s.", message.MessageId, answer.Detail, wait.TotalSeconds);
                    break;
                default:
                    if (leased.Attempt >= _options.MaxAttempts)
                    {
                        await _queue.DeadLetterAsync(leased, $"Failed {leased.Attempt} times; last: {answer.Detail}", cancellation);
                        _metrics.DeadLettered.Add(1);
                        _logger.LogError("Dead-lettered {MessageId} after {Attempt} attempts: {Detail}.", message.MessageId, leased.Attempt, answer.Detail);
                    }
                    else
                    {
                        var delay = Backoff(leased.Attempt);
                        await _queue.AbandonAsync(leased, delay, cancellation);
                        _metrics.Retried.Add(1, new KeyValuePair<string, object?>("reason", "failed"));
                        _logger.LogWarning("Delivery of {MessageId} failed on attempt {Attempt} ({Detail}); retrying in {Seconds:0.#} s.", message.MessageId, leased.Attempt, answer.Detail, delay.TotalSeconds);
                    }
                    break;
            }
        }

        private static string UnreadableReason(string body)
        {
            try
            {
                using var json = JsonDocument.Parse(body);
                return json.RootElement.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String ? reason.GetString()! : "no reason given";
            }
            catch (JsonException)
            {
                return "no reason given";
            }
        }

        private Task<ApiAnswer> SignedDeliveryAsync(RelayMessage message, CancellationToken cancellation)
        {
            var timestamp = _clock.GetUtcNow().ToUnixTimeSeconds();
            var signature = WebhookSignature.Sign(_options.SigningSecret, message.MessageId, timestamp, message.Body);
            return _api.ProcessAsync(message.Body, message.MessageId, timestamp.ToString(CultureInfo.InvariantCulture), signature, cancellation);
        }

        /// <summary>Exponential from <see cref="DispatcherOptions.BaseDelay"/>, capped, with jitter in [½, 1] so retries spread out.</summary>
        internal TimeSpan Backoff(int attempt)
        {
            var exponential = _options.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
            var capped = Math.Min(exponential, _options.MaxDelay.TotalMilliseconds);
            return TimeSpan.FromMilliseconds(capped * (0.5 + (_jitter.NextDouble() / 2)));
        }
    }
}
