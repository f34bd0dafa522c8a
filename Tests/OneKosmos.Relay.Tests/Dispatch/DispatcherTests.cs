using System;
using System.Net.Http;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OneKosmos.Core.Callbacks;
using OneKosmos.Relay;
using OneKosmos.Relay.Dispatch;
using OneKosmos.Relay.Queue;

namespace OneKosmos.Relay.Tests
{
    /// <summary>What the dispatcher does with each answer, and how it signs.</summary>
    [TestClass]
    public sealed class DispatcherTests
    {
        private const string Secret = "whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";

        private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero));
        private readonly ScriptedApi _api = new();
        private SqliteRelayQueue _queue = null!;
        private Dispatcher _dispatcher = null!;
        private string _path = "";

        private sealed class ScriptedApi : ICallbackApi
        {
            public Queue<ApiAnswer> Answers { get; } = new();

            public List<(string Payload, string Id, string Timestamp, string Signature)> Calls { get; } = new();

            public int Reconciles { get; private set; }

            public Task<ApiAnswer> ProcessAsync(string payload, string messageId, string timestamp, string signature, CancellationToken cancellation)
            {
                Calls.Add((payload, messageId, timestamp, signature));
                return Task.FromResult(Answers.Count > 0 ? Answers.Dequeue() : ApiAnswer.Answered("Applied", ""));
            }

            public Task<ApiAnswer> ReconcileAsync(CancellationToken cancellation)
            {
                Reconciles++;
                return Task.FromResult(ApiAnswer.Answered("Reconciled", ""));
            }
        }

        [TestInitialize]
        public void Arrange()
        {
            _path = Path.Combine(Path.GetTempPath(), $"okos-dispatch-{Guid.NewGuid():N}.db");
            _queue = new SqliteRelayQueue(_path, _clock);
            var options = new DispatcherOptions { SigningSecret = Secret, MaxAttempts = 3, BaseDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromMinutes(1) };
            _dispatcher = new Dispatcher(_queue, _api, options, _clock, NullLogger<Dispatcher>.Instance, new RelayMetrics(), new Random(7));
        }

        [TestCleanup]
        public void Clean()
        {
            SqliteRelayQueue.DeleteFiles(_path);
        }

        private Task Enqueue(string id, MessageKind kind = MessageKind.Callback) =>
            _queue.EnqueueAsync(new RelayMessage(id, kind, "s1", $"{{\"id\":\"{id}\"}}", _clock.GetUtcNow(), "c1"), CancellationToken.None);

        private Task<int> Dispatch() => _dispatcher.DispatchOnceAsync(CancellationToken.None);

        /// <summary>The queue, with its depth counts counted.</summary>
        private sealed class CountingQueue(IRelayQueue inner) : IRelayQueue
        {
            public int DepthCounts { get; private set; }

            public Task<bool> EnqueueAsync(RelayMessage message, CancellationToken cancellation) => inner.EnqueueAsync(message, cancellation);

            public Task<IReadOnlyList<LeasedMessage>> LeaseAsync(int maximum, TimeSpan leaseFor, CancellationToken cancellation) => inner.LeaseAsync(maximum, leaseFor, cancellation);

            public Task<bool> CompleteAsync(LeasedMessage leased, CancellationToken cancellation) => inner.CompleteAsync(leased, cancellation);

            public Task AbandonAsync(LeasedMessage leased, TimeSpan retryAfter, CancellationToken cancellation) => inner.AbandonAsync(leased, retryAfter, cancellation);

            public Task DeadLetterAsync(LeasedMessage leased, string reason, CancellationToken cancellation) => inner.DeadLetterAsync(leased, reason, cancellation);

            public Task<int> DepthAsync(CancellationToken cancellation)
            {
                DepthCounts++;
                return inner.DepthAsync(cancellation);
            }

            public Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(CancellationToken cancellation) => inner.DeadLettersAsync(cancellation);

            public Task<bool> ReplayAsync(string messageId, CancellationToken cancellation) => inner.ReplayAsync(messageId, cancellation);

            public Task<int> PurgeDeadLettersAsync(CancellationToken cancellation) => inner.PurgeDeadLettersAsync(cancellation);
        }

        /// <summary>Deliveries of chosen messages wait until the test lets them go; every other answers at once.</summary>
        private sealed class GatedApi : ICallbackApi
        {
            public Dictionary<string, TaskCompletionSource<ApiAnswer>> Gates { get; } = new(StringComparer.Ordinal);

            public List<string> Delivered { get; } = new();

            public async Task<ApiAnswer> ProcessAsync(string payload, string messageId, string timestamp, string signature, CancellationToken cancellation)
            {
                var answer = Gates.TryGetValue(messageId, out var gate) ? await gate.Task : ApiAnswer.Answered("Applied", "");
                lock (Delivered)
                {
                    Delivered.Add(messageId);
                }
                return answer;
            }

            public Task<ApiAnswer> ReconcileAsync(CancellationToken cancellation) => Task.FromResult(ApiAnswer.Answered("Reconciled", ""));
        }

        /// <summary>Issue #21, finding 5: a slot is refilled as soon as it frees; a slow delivery holds back no other.</summary>
        [TestMethod]
        public async Task Pump_RefillsAFreedSlotAtOnce_ASlowDeliveryHoldsNoOtherBack()
        {
            var api = new GatedApi();
            api.Gates["slow"] = new TaskCompletionSource<ApiAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
            var dispatcher = new Dispatcher(_queue, api, new DispatcherOptions { SigningSecret = Secret, Concurrency = 2 }, _clock, NullLogger<Dispatcher>.Instance, new RelayMetrics());
            // Each of another session: the queue hands out one message of a session at a time.
            foreach (var id in new[] { "slow", "b", "c", "d" })
            {
                await _queue.EnqueueAsync(new RelayMessage(id, MessageKind.Callback, "session-" + id, $"{{\"id\":\"{id}\"}}", _clock.GetUtcNow(), "c1"), CancellationToken.None);
            }

            for (var turn = 0; turn < 3; turn++)
            {
                Assert.AreEqual(1, await dispatcher.PumpAsync(CancellationToken.None));
            }

            CollectionAssert.AreEquivalent(new[] { "b", "c", "d" }, api.Delivered);
            Assert.AreEqual(1, await _queue.DepthAsync(CancellationToken.None), "only the slow one is still out");
            api.Gates["slow"].SetResult(ApiAnswer.Answered("Applied", ""));
            Assert.AreEqual(1, await dispatcher.PumpAsync(CancellationToken.None));
            Assert.AreEqual(0, await dispatcher.PumpAsync(CancellationToken.None), "idle: nothing in flight, nothing visible");
            Assert.AreEqual(0, await _queue.DepthAsync(CancellationToken.None));
        }

        [TestMethod]
        public async Task Pump_AFailureNotTheMessagesReachesTheLoop_AndTheMessageGoesBack()
        {
            var api = new GatedApi();
            api.Gates["m1"] = new TaskCompletionSource<ApiAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
            var dispatcher = new Dispatcher(_queue, api, new DispatcherOptions { SigningSecret = Secret, Concurrency = 2 }, _clock, NullLogger<Dispatcher>.Instance, new RelayMetrics());
            await Enqueue("m1");
            api.Gates["m1"].SetException(new HttpRequestException("the relay's credential expired"));

            await Assert.ThrowsExactlyAsync<HttpRequestException>(() => dispatcher.PumpAsync(CancellationToken.None));

            Assert.AreEqual(1, await _queue.DepthAsync(CancellationToken.None));
            Assert.AreEqual(0, (await _queue.DeadLettersAsync(CancellationToken.None)).Count);
        }

        [TestMethod]
        public async Task TheDepthGauge_CountsTheQueueAtMostOnceASecond()
        {
            var counting = new CountingQueue(_queue);
            var dispatcher = new Dispatcher(counting, _api, new DispatcherOptions { SigningSecret = Secret }, _clock, NullLogger<Dispatcher>.Instance, new RelayMetrics());

            foreach (var i in Enumerable.Range(0, 3))
            {
                await dispatcher.DispatchOnceAsync(CancellationToken.None);
            }
            Assert.AreEqual(1, counting.DepthCounts);

            _clock.Advance(Dispatcher.DepthEvery);
            await dispatcher.DispatchOnceAsync(CancellationToken.None);
            Assert.AreEqual(2, counting.DepthCounts);
        }

        [TestMethod]
        [DataRow("Applied")]
        [DataRow("Duplicate")]
        [DataRow("Ignored")]
        public async Task AnOutcome_CompletesTheMessage(string outcome)
        {
            await Enqueue("m1");
            _api.Answers.Enqueue(ApiAnswer.Answered(outcome, ""));

            await Dispatch();

            Assert.AreEqual(0, await _queue.DepthAsync(CancellationToken.None));
            Assert.AreEqual(0, (await _queue.DeadLettersAsync(CancellationToken.None)).Count);
        }

        [TestMethod]
        public async Task Rejected_IsDeadLetteredAtOnceWithTheReason()
        {
            await Enqueue("m1");
            _api.Answers.Enqueue(ApiAnswer.Answered("Rejected", "STALE_TIMESTAMP"));

            await Dispatch();

            Assert.AreEqual("Rejected: STALE_TIMESTAMP", (await _queue.DeadLettersAsync(CancellationToken.None)).Single().Reason);
            Assert.AreEqual(1, _api.Calls.Count);
        }

        [TestMethod]
        public async Task AFailure_IsRetriedWithGrowingDelays_ThenDeadLettered()
        {
            await Enqueue("m1");
            for (var i = 0; i < 3; i++)
            {
                _api.Answers.Enqueue(new ApiAnswer(AnswerKind.Failed, Detail: "HTTP 500"));
            }

            await Dispatch();
            Assert.AreEqual(0, await Dispatch(), "not visible before its back-off");
            _clock.Advance(TimeSpan.FromSeconds(2));
            await Dispatch();
            _clock.Advance(TimeSpan.FromSeconds(4));
            await Dispatch();

            Assert.AreEqual(3, _api.Calls.Count);
            StringAssert.StartsWith((await _queue.DeadLettersAsync(CancellationToken.None)).Single().Reason, "Failed 3 times; last: HTTP 500");
        }

        [TestMethod]
        public async Task Throttling_WaitsAsToldThenDelivers()
        {
            await Enqueue("m1");
            _api.Answers.Enqueue(new ApiAnswer(AnswerKind.Throttled, RetryAfter: TimeSpan.FromSeconds(30), Detail: "HTTP 429"));

            await Dispatch();
            _clock.Advance(TimeSpan.FromSeconds(29));
            Assert.AreEqual(0, await Dispatch());
            _clock.Advance(TimeSpan.FromSeconds(1));
            Assert.AreEqual(1, await Dispatch());

            Assert.AreEqual(0, await _queue.DepthAsync(CancellationToken.None));
        }

        /// <summary>Issue #21: a 429 from a service protection limit pauses every delivery for its Retry-After, not only the refused one.</summary>
        [TestMethod]
        public async Task ALimitReached_PausesEveryDelivery_ThenTheDispatcherKeepsAPace()
        {
            var dispatcher = new Dispatcher(_queue, _api, new DispatcherOptions { SigningSecret = Secret, Concurrency = 2 }, _clock, NullLogger<Dispatcher>.Instance, new RelayMetrics());
            foreach (var id in new[] { "a", "b", "c", "d" })
            {
                await _queue.EnqueueAsync(new RelayMessage(id, MessageKind.Callback, "session-" + id, $"{{\"id\":\"{id}\"}}", _clock.GetUtcNow(), "c1"), CancellationToken.None);
            }
            _api.Answers.Enqueue(new ApiAnswer(AnswerKind.Throttled, RetryAfter: TimeSpan.FromSeconds(10), Detail: "HTTP 429 0x80072322", LimitReached: true));

            var ended = 0;
            while (ended < 2)
            {
                ended += Math.Max(0, await dispatcher.PumpAsync(CancellationToken.None));
            }
            Assert.AreEqual(2, _api.Calls.Count, "both slots delivered, one of them refused");
            var paused = dispatcher.PumpAsync(CancellationToken.None);

            Assert.IsFalse(paused.IsCompleted, "nothing is sent while Dataverse asked to wait");
            Assert.AreEqual(2, _api.Calls.Count);
            _clock.Advance(TimeSpan.FromSeconds(10));
            Assert.AreEqual(Dispatcher.Paced, await paused);
            Assert.AreEqual(ServiceProtectionPacer.SlowestPerSecond, dispatcher.PacedAt, "2 calls in 5 minutes carried: the slowest pace");
            Assert.AreEqual(0, await _queue.DeadLettersAsync(CancellationToken.None) is var dead ? dead.Count : -1);
        }

        [TestMethod]
        public async Task AServerBusy503_WaitsForItsMessageOnly_AndSetsNoPace()
        {
            await Enqueue("m1");
            var dispatcher = new Dispatcher(_queue, _api, new DispatcherOptions { SigningSecret = Secret }, _clock, NullLogger<Dispatcher>.Instance, new RelayMetrics());
            _api.Answers.Enqueue(new ApiAnswer(AnswerKind.Throttled, RetryAfter: TimeSpan.FromSeconds(10), Detail: "HTTP 503"));

            await dispatcher.PumpAsync(CancellationToken.None);

            Assert.IsNull(dispatcher.PacedAt);
            Assert.AreEqual(0, await dispatcher.PumpAsync(CancellationToken.None), "idle, not paused: the message waits, the dispatcher does not");
        }

        [TestMethod]
        public async Task EveryAttempt_IsSignedAfreshWithTheSameIdAndTheCurrentTime()
        {
            await Enqueue("m1");
            _api.Answers.Enqueue(new ApiAnswer(AnswerKind.Failed, Detail: "HTTP 500"));
            await Dispatch();
            _clock.Advance(TimeSpan.FromHours(2));
            await Dispatch();

            var (first, second) = (_api.Calls[0], _api.Calls[1]);
            Assert.AreEqual(first.Id, second.Id);
            Assert.AreEqual(_clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), second.Timestamp);
            Assert.AreEqual(SignatureCheck.Valid, WebhookSignature.Verify(new[] { Secret }, second.Id, second.Timestamp, second.Signature, second.Payload, _clock.GetUtcNow()));
            Assert.AreEqual(SignatureCheck.Stale, WebhookSignature.Verify(new[] { Secret }, first.Id, first.Timestamp, first.Signature, first.Payload, _clock.GetUtcNow()));
        }

        [TestMethod]
        public async Task AReconcileNotification_CallsReconcileInstead()
        {
            await Enqueue("r1", MessageKind.Reconcile);

            await Dispatch();

            Assert.AreEqual(1, _api.Reconciles);
            Assert.AreEqual(0, _api.Calls.Count);
        }

        [TestMethod]
        public void Backoff_GrowsAndIsCapped()
        {
            var delays = Enumerable.Range(1, 10).Select(attempt => _dispatcher.Backoff(attempt)).ToArray();

            Assert.IsTrue(delays[0] >= TimeSpan.FromSeconds(1) && delays[0] <= TimeSpan.FromSeconds(2));
            Assert.IsTrue(delays[3] >= TimeSpan.FromSeconds(8) && delays[3] <= TimeSpan.FromSeconds(16));
            Assert.IsTrue(delays.All(delay => delay <= TimeSpan.FromMinutes(1)));
        }

        /// <summary>The one golden vector file the plug-in tests assert too: the relay's copy of the signer must agree with it.</summary>
        [TestMethod]
        public void TheRelaysSigner_ReproducesTheGoldenVectors()
        {
            using var vectors = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "webhook-signature-vectors.json")));
            var checkedVectors = 0;
            foreach (var vector in vectors.RootElement.GetProperty("vectors").EnumerateArray())
            {
                var signature = WebhookSignature.Sign(vector.GetProperty("secret").GetString()!, vector.GetProperty("id").GetString()!, vector.GetProperty("timestamp").GetInt64(), vector.GetProperty("body").GetString()!);
                Assert.AreEqual(vector.GetProperty("signature").GetString(), signature, vector.GetProperty("name").GetString());
                checkedVectors++;
            }
            Assert.IsTrue(checkedVectors >= 2);
        }
    }
}
