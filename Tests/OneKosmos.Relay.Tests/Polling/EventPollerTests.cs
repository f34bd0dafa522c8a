using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Xrm.Sdk;
using Newtonsoft.Json.Linq;
using OneKosmos.Sandbox.BlockId;
using Org.BouncyCastle.Security;
using OneKosmos.Core.BlockId;
using OneKosmos.Relay;
using OneKosmos.Relay.Ingress;
using OneKosmos.Relay.Dispatch;
using OneKosmos.Relay.Polling;
using OneKosmos.Relay.Queue;
using RelayClock = OneKosmos.Core.Verification.SystemClock;

namespace OneKosmos.Relay.Tests
{
    /// <summary>The 1Kosmos events feed, read from the simulator: paging, restarts, faults, the 90-day window, items without a session.</summary>
    [TestClass]
    public sealed class EventPollerTests
    {
        private ProductSandbox _product = null!;
        private SqliteRelayQueue _queue = null!;
        private string _path = "";

        [TestInitialize]
        public void Arrange()
        {
            _product = new ProductSandbox();
            _product.Connect();
            _path = Path.Combine(Path.GetTempPath(), $"okos-poller-{Guid.NewGuid():N}.db");
            _queue = new SqliteRelayQueue(_path, TimeProvider.System);
        }

        [TestCleanup]
        public void Clean()
        {
            SqliteRelayQueue.DeleteFiles(_path);
        }

        private EventPoller Poller(int pageSize = 100)
        {
            var options = _product.Simulator.Options;
            var connection = new BlockIdConnection(options.TenantDns, options.Community, options.LicenseKey, options.DvcId);
            var keys = BlockIdKeyPair.Generate(new SecureRandom());
            var directory = new TenantDirectory();
            return new EventPoller(
                () => new BlockIdClient(new HttpClient(new SimulatorHttpHandler(_product.Simulator)), connection, keys, RelayClock.Instance, new SecureRandom(), directory),
                _queue, _queue, new PollerOptions { TenantDns = options.TenantDns, Community = options.Community, LicenseKey = options.LicenseKey, PageSize = pageSize },
                TimeProvider.System, new RelayMetrics(), NullLogger<EventPoller>.Instance);
        }

        private string StartAndComplete(CaptureOutcome outcome = CaptureOutcome.PassWithSelfie)
        {
            var contact = _product.Service.Create(new Entity("contact") { ["lastname"] = "Doe" });
            var session = (string)_product.Call("okos_StartVerification", null, ("Subject", new EntityReference("contact", contact)))["SessionId"];
            _product.Simulator.Complete(session, outcome);
            return session;
        }

        private async Task<List<RelayMessage>> Queued()
        {
            var leased = await _queue.LeaseAsync(1000, TimeSpan.FromMinutes(5), CancellationToken.None);
            foreach (var message in leased)
            {
                await _queue.AbandonAsync(message, TimeSpan.Zero, CancellationToken.None);
            }
            return leased.Select(message => message.Message).ToList();
        }

        [TestMethod]
        public async Task EachEventOfASession_BecomesANotificationTheContractAccepts()
        {
            var session = StartAndComplete();

            var report = await Poller().PollOnceAsync(CancellationToken.None);

            Assert.IsTrue(report.Completed);
            Assert.AreEqual(2, report.Enqueued, "initialisation and document validation");
            Assert.AreEqual(2, await _queue.DepthAsync(CancellationToken.None));
            var first = (await Queued()).Single();
            Assert.AreEqual(session, first.OrderingKey);
            Assert.AreEqual((MessageKind.Callback, (string?)session), IngressEndpoints.Route(first.Body, first.MessageId));
        }

        [TestMethod]
        public async Task EveryPageIsRead()
        {
            for (var i = 0; i < 3; i++)
            {
                StartAndComplete();
            }

            var report = await Poller(pageSize: 2).PollOnceAsync(CancellationToken.None);

            Assert.AreEqual(6, report.Read);
            Assert.AreEqual(6, report.Enqueued);
        }

        [TestMethod]
        [DataRow(true, null)]
        [DataRow(false, "lots")]
        public async Task APageWithoutAUsableTotal_IsFollowedByTheNext_UntilAShortPage(bool omitTotal, string? totalAsText)
        {
            for (var i = 0; i < 3; i++)
            {
                StartAndComplete();
            }
            _product.Simulator.FeedOmitsTotal = omitTotal;
            _product.Simulator.FeedTotalAsText = totalAsText;

            var report = await Poller(pageSize: 2).PollOnceAsync(CancellationToken.None);

            Assert.IsTrue(report.Completed);
            Assert.AreEqual(6, report.Read, "every event, though no page said how many there are");
            Assert.AreEqual(6, report.Enqueued);
        }

        [TestMethod]
        public async Task AnItemWithATimeNoCalendarHolds_IsReadAsHavingNone_AndThePollCompletes()
        {
            var session = StartAndComplete();
            _product.Simulator.RecordFeedItem(new System.Text.Json.Nodes.JsonObject { ["event_name"] = "E_IDV_DOCUMENT_VALIDATE", ["sessionId"] = "s-hostile", ["ts"] = 1_000_000_000_000_000_000 });
            _product.Simulator.RecordFeedItem(new System.Text.Json.Nodes.JsonObject { ["event_name"] = "E_IDV_DOCUMENT_VALIDATE", ["sessionId"] = "s-negative", ["ts"] = -9_000_000_000_000_000_000 });

            var report = await Poller().PollOnceAsync(CancellationToken.None);

            Assert.IsTrue(report.Completed, "no item stops the poll");
            Assert.AreEqual(4, report.Read);
            var queued = await Queued();
            Assert.IsTrue(queued.Any(message => message.OrderingKey == session));
            Assert.IsNotNull(await _queue.ReadCursorAsync(EventPoller.CursorName, CancellationToken.None), "the cursor moves on");
        }

        /// <summary>Issue #21: a hostile or malformed item is neither dropped nor fatal: it is dead-lettered with why, and the poll goes on.</summary>
        [TestMethod]
        public async Task HostileItems_AreDeadLetteredWithTheReason_AndThePollCompletes()
        {
            var session = StartAndComplete();
            _product.Simulator.RecordFeedItem(System.Text.Json.Nodes.JsonValue.Create(42));
            _product.Simulator.RecordFeedItem(new System.Text.Json.Nodes.JsonArray("E_IDV_DOCUMENT_VALIDATE"));
            _product.Simulator.RecordFeedItem(new System.Text.Json.Nodes.JsonObject { ["event_name"] = "E_IDV_DOCUMENT_VALIDATE", ["sessionId"] = new string('x', 5_000) });
            _product.Simulator.RecordFeedItem(new System.Text.Json.Nodes.JsonObject { ["event_name"] = "E_IDV_DOCUMENT_VALIDATE", ["sessionId"] = "s-1", ["eventId"] = "evt\u0000\r\n" });

            var report = await Poller().PollOnceAsync(CancellationToken.None);

            Assert.IsTrue(report.Completed, "no item stops the poll");
            Assert.AreEqual(6, report.Read);
            Assert.IsNotNull(await _queue.ReadCursorAsync(EventPoller.CursorName, CancellationToken.None), "the cursor moves on");
            var queued = await Queued();
            Assert.IsTrue(queued.Any(message => message.OrderingKey == session), "the good events still go");
            Assert.AreEqual(4, queued.Count(message => message.Kind == MessageKind.Unreadable));

            var api = new CountingApi();
            var dispatcher = new Dispatcher(_queue, api, new DispatcherOptions { SigningSecret = "whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=" },
                TimeProvider.System, NullLogger<Dispatcher>.Instance, new RelayMetrics());
            await dispatcher.DrainAsync(CancellationToken.None);

            Assert.AreEqual(2, api.Calls, "an unreadable item never reaches Dataverse");
            var reasons = (await _queue.DeadLettersAsync(CancellationToken.None)).Select(dead => dead.Reason).ToList();
            Assert.AreEqual(2, reasons.Count(reason => reason == "Unreadable: the events feed sent an item that is not a JSON object"));
            Assert.AreEqual(2, reasons.Count(reason => reason.StartsWith("Unreadable: the event's session id or event id is not an id", StringComparison.Ordinal)));
            Assert.IsTrue((await _queue.DeadLettersAsync(CancellationToken.None)).All(dead => dead.Message.Body.Length < EventPoller.KeptOfUnreadable + 500), "a huge item is kept cut");
        }

        private sealed class CountingApi : ICallbackApi
        {
            public int Calls { get; private set; }

            public Task<ApiAnswer> ProcessAsync(string payload, string messageId, string timestamp, string signature, CancellationToken cancellation)
            {
                Calls++;
                return Task.FromResult(ApiAnswer.Answered("Applied", ""));
            }

            public Task<ApiAnswer> ReconcileAsync(CancellationToken cancellation) => Task.FromResult(ApiAnswer.Answered("Reconciled", ""));
        }

        [TestMethod]
        public async Task ARestart_ReadsAgainButEnqueuesNothingTwice()
        {
            StartAndComplete();
            await Poller().PollOnceAsync(CancellationToken.None);

            var again = await Poller().PollOnceAsync(CancellationToken.None);

            Assert.AreEqual(2, again.Read, "the overlap re-reads recent events");
            Assert.AreEqual(0, again.Enqueued);
            Assert.AreEqual(2, await _queue.DepthAsync(CancellationToken.None));
        }

        [TestMethod]
        [DataRow(SimulatedFault.ServerError)]
        [DataRow(SimulatedFault.Throttle)]
        public async Task AFailingFeed_KeepsTheCursor_AndTheNextPollGetsEverything(SimulatedFault fault)
        {
            StartAndComplete();
            _product.Simulator.InjectFault("/events", fault);

            var failed = await Poller().PollOnceAsync(CancellationToken.None);
            Assert.IsFalse(failed.Completed);
            Assert.IsNull(await _queue.ReadCursorAsync(EventPoller.CursorName, CancellationToken.None), "a failed poll does not move the cursor");

            var next = await Poller().PollOnceAsync(CancellationToken.None);

            Assert.IsTrue(next.Completed);
            Assert.AreEqual(2, next.Enqueued);
            Assert.IsNotNull(await _queue.ReadCursorAsync(EventPoller.CursorName, CancellationToken.None));
        }

        [TestMethod]
        public async Task AThrottledFeed_IsReadAgainNoSoonerThan1KosmosAsked()
        {
            StartAndComplete();
            _product.Simulator.InjectFault("/events", SimulatedFault.Throttle);

            var throttled = await Poller().PollOnceAsync(CancellationToken.None);

            Assert.AreEqual(TimeSpan.FromSeconds(30), throttled.RetryAfter);
            Assert.AreEqual(TimeSpan.FromSeconds(30), EventPollerService.NextPollIn(throttled, new PollerOptions { Interval = TimeSpan.FromSeconds(5) }));
            Assert.AreEqual(TimeSpan.FromMinutes(1), EventPollerService.NextPollIn(throttled, new PollerOptions { Interval = TimeSpan.FromMinutes(1) }));
        }

        [TestMethod]
        public async Task ACursorOlderThanNinetyDays_ReadsInsideTheWindowAndAsksForAReconcile()
        {
            await _queue.WriteCursorAsync(EventPoller.CursorName, DateTimeOffset.UtcNow.AddDays(-120).ToString("O"), CancellationToken.None);
            StartAndComplete();

            var report = await Poller().PollOnceAsync(CancellationToken.None);

            Assert.IsTrue(report.Completed);
            Assert.IsTrue(report.From > DateTimeOffset.UtcNow.AddDays(-90));
            Assert.AreEqual(1, (await Queued()).Count(message => message.Kind == MessageKind.Reconcile));
        }

        [TestMethod]
        public void AnItemNamingNoSession_BecomesAReconcile_WithTheSameIdEachTime()
        {
            var item = JObject.Parse("""{"event_name":"E_IDV_DOCUMENT_VALIDATE","ts":1795766400000,"details":{"x":1}}""");

            var first = EventPoller.Notification(item, DateTimeOffset.UtcNow)!;
            var second = EventPoller.Notification((JObject)item.DeepClone(), DateTimeOffset.UtcNow)!;

            Assert.AreEqual(MessageKind.Reconcile, first.Kind);
            Assert.AreEqual(first.MessageId, second.MessageId);
            Assert.AreEqual((MessageKind.Reconcile, (string?)null), IngressEndpoints.Route(first.Body, first.MessageId));
        }

        [TestMethod]
        public void ASessionNestedInData_IsFound_AndOtherEventsAreSkipped()
        {
            var nested = EventPoller.Notification(JObject.Parse("""{"event_name":"E_IDV_SESSION_EXPIRED","data":{"session_id":"abc"}}"""), DateTimeOffset.UtcNow)!;

            Assert.AreEqual("abc", nested.OrderingKey);
            Assert.IsNull(EventPoller.Notification(JObject.Parse("""{"event_name":"E_LOGIN_SUCCEEDED","sessionId":"abc"}"""), DateTimeOffset.UtcNow));
        }
    }
}
