using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Azure.Messaging.ServiceBus;
using Azure.Messaging.ServiceBus.Administration;
using Microsoft.Extensions.Time.Testing;
using OneKosmos.Relay.Queue;

namespace OneKosmos.Relay.Tests
{
    /// <summary>
    /// What the dispatcher relies on from any queue, asserted the same way against every implementation: order per session,
    /// leases that expire and hand a message out again, retry delays, dead letters with reasons, replay and purge.
    /// </summary>
    public abstract class QueueContractTests
    {
        private protected abstract IRelayQueue Queue { get; }

        /// <value>How long a lease lasts: the implementation's lock duration.</value>
        private protected abstract TimeSpan LeaseFor { get; }

        /// <summary>Lets time pass: the fake clock moves, or (against a real namespace) the test waits.</summary>
        private protected abstract Task Advance(TimeSpan time);

        private protected static CancellationToken None => CancellationToken.None;

        private protected static RelayMessage Message(string id, string? session = "s1") =>
            new(id, MessageKind.Callback, session, $"{{\"id\":\"{id}\"}}", new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero), "c-" + id);

        private async Task<LeasedMessage[]> LeaseAll() => (await Queue.LeaseAsync(10, LeaseFor, None)).ToArray();

        [TestMethod]
        public async Task AMessage_IsHandedOutWhole_OnItsFirstAttempt()
        {
            await Queue.EnqueueAsync(Message("m1"), None);

            var leased = (await LeaseAll()).Single();

            Assert.AreEqual(Message("m1"), leased.Message);
            Assert.AreEqual(1, leased.Attempt);
        }

        [TestMethod]
        public async Task TheSameMessageIdTwice_IsDeliveredOnce()
        {
            await Queue.EnqueueAsync(Message("m1"), None);
            await Queue.EnqueueAsync(Message("m1"), None);

            Assert.IsTrue(await Queue.CompleteAsync((await LeaseAll()).Single(), None));
            Assert.AreEqual(0, (await LeaseAll()).Length);
        }

        [TestMethod]
        public async Task AMessageDeliveredRecently_IsNotQueuedAgain_SoRereadingTheFeedCostsNothing()
        {
            await Queue.EnqueueAsync(Message("m1"), None);
            Assert.IsTrue(await Queue.CompleteAsync((await LeaseAll()).Single(), None));

            await Advance(TimeSpan.FromMinutes(5));
            await Queue.EnqueueAsync(Message("m1"), None);

            Assert.AreEqual(0, (await LeaseAll()).Length);
        }

        [TestMethod]
        public async Task OneSessionWaitsForItsHead_OtherSessionsDoNot()
        {
            await Queue.EnqueueAsync(Message("a1", "a"), None);
            await Queue.EnqueueAsync(Message("a2", "a"), None);
            await Queue.EnqueueAsync(Message("b1", "b"), None);
            await Queue.EnqueueAsync(Message("n1", null), None);

            var first = await LeaseAll();
            CollectionAssert.AreEquivalent(new[] { "a1", "b1", "n1" }, first.Select(leased => leased.Message.MessageId).ToArray());

            await Queue.AbandonAsync(first.Single(leased => leased.Message.MessageId == "a1"), TimeSpan.Zero, None);
            Assert.AreEqual("a1", (await LeaseAll()).Single().Message.MessageId, "a2 waits while a1 is retried");
        }

        [TestMethod]
        public async Task AfterTheHeadCompletes_TheSessionsNextMessageComes()
        {
            await Queue.EnqueueAsync(Message("a1"), None);
            await Queue.EnqueueAsync(Message("a2"), None);

            Assert.IsTrue(await Queue.CompleteAsync((await LeaseAll()).Single(), None));

            Assert.AreEqual("a2", (await LeaseAll()).Single().Message.MessageId);
        }

        [TestMethod]
        public async Task AnExpiredLease_HandsTheMessageOutAgain_AndTheOldOneCannotComplete()
        {
            await Queue.EnqueueAsync(Message("m1"), None);
            var crashed = (await LeaseAll()).Single();
            Assert.AreEqual(0, (await LeaseAll()).Length);

            await Advance(LeaseFor + TimeSpan.FromSeconds(1));
            var again = (await LeaseAll()).Single();

            Assert.AreEqual(2, again.Attempt);
            Assert.IsFalse(await Queue.CompleteAsync(crashed, None));
            Assert.IsTrue(await Queue.CompleteAsync(again, None));
            Assert.AreEqual(0, (await LeaseAll()).Length);
        }

        [TestMethod]
        public async Task AnAbandonedMessage_WaitsForItsRetryTime()
        {
            await Queue.EnqueueAsync(Message("m1"), None);
            await Queue.AbandonAsync((await LeaseAll()).Single(), TimeSpan.FromSeconds(30), None);

            await Advance(TimeSpan.FromSeconds(20));
            Assert.AreEqual(0, (await LeaseAll()).Length);
            await Advance(TimeSpan.FromSeconds(11));
            Assert.AreEqual(2, (await LeaseAll()).Single().Attempt);
        }

        [TestMethod]
        public async Task DeadLetters_KeepTheReason_CanBeReplayed_AndPurged()
        {
            await Queue.EnqueueAsync(Message("m1"), None);
            await Queue.EnqueueAsync(Message("m2", "other"), None);
            foreach (var leased in await LeaseAll())
            {
                await Queue.DeadLetterAsync(leased, leased.Message.MessageId == "m1" ? "Rejected: BAD_SIGNATURE" : "Failed 10 times", None);
            }

            var letters = await Queue.DeadLettersAsync(None);
            CollectionAssert.AreEquivalent(new[] { "m1: Rejected: BAD_SIGNATURE", "m2: Failed 10 times" }, letters.Select(letter => $"{letter.Message.MessageId}: {letter.Reason}").ToArray());
            Assert.AreEqual(0, (await LeaseAll()).Length);

            Assert.IsTrue(await Queue.ReplayAsync("m1", None));
            Assert.IsFalse(await Queue.ReplayAsync("m1", None));
            var replayed = (await LeaseAll()).Single();
            Assert.AreEqual(Message("m1"), replayed.Message);
            Assert.AreEqual(1, await Queue.PurgeDeadLettersAsync(None));
            Assert.AreEqual(0, (await Queue.DeadLettersAsync(None)).Count);
        }

        [TestMethod]
        public async Task AReplay_DeletesTheDeadLetterOnlyWhenItWentBackToTheQueue()
        {
            await Queue.EnqueueAsync(Message("m1"), None);
            foreach (var leased in await LeaseAll())
            {
                await Queue.DeadLetterAsync(leased, "Failed 10 times", None);
            }
            await Queue.EnqueueAsync(Message("m1"), None);

            var replayed = await Queue.ReplayAsync("m1", None);
            var stillDead = (await Queue.DeadLettersAsync(None)).Any(letter => letter.Message.MessageId == "m1");

            Assert.AreNotEqual(replayed, stillDead, "a dead letter is deleted exactly when it went back to the queue");
        }

        [TestMethod]
        public async Task ALostLease_CannotDeadLetterSomeoneElsesDelivery()
        {
            await Queue.EnqueueAsync(Message("m1"), None);
            var stale = (await LeaseAll()).Single();
            await Advance(LeaseFor + TimeSpan.FromSeconds(1));
            var current = (await LeaseAll()).Single();

            await Queue.DeadLetterAsync(stale, "late", None);

            Assert.AreEqual(0, (await Queue.DeadLettersAsync(None)).Count);
            Assert.IsTrue(await Queue.CompleteAsync(current, None));
        }
    }

    [TestClass]
    public sealed class SqliteQueueContractTests : QueueContractTests
    {
        private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero));
        private string _path = "";
        private SqliteRelayQueue _queue = null!;

        private protected override IRelayQueue Queue => _queue;

        private protected override TimeSpan LeaseFor => TimeSpan.FromMinutes(1);

        [TestInitialize]
        public void Arrange()
        {
            _path = Path.Combine(Path.GetTempPath(), $"okos-contract-{Guid.NewGuid():N}.db");
            _queue = new SqliteRelayQueue(_path, _clock);
        }

        [TestCleanup]
        public void Clean()
        {
            SqliteRelayQueue.DeleteFiles(_path);
        }

        private protected override Task Advance(TimeSpan time)
        {
            _clock.Advance(time);
            return Task.CompletedTask;
        }
    }

    [TestClass]
    public sealed class ServiceBusQueueContractTests : QueueContractTests
    {
        private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero));
        private ServiceBusRelayQueue _queue = null!;

        private protected override IRelayQueue Queue => _queue;

        private protected override TimeSpan LeaseFor => TimeSpan.FromMinutes(1);

        [TestInitialize]
        public void Arrange()
        {
            var bus = new InMemoryServiceBus(_clock, LeaseFor);
            _queue = new ServiceBusRelayQueue(bus.Client(), "okos-relay", _clock, _ => Task.FromResult(bus.ActiveCount));
        }

        [TestCleanup]
        public async Task Clean() => await _queue.DisposeAsync();

        private protected override Task Advance(TimeSpan time)
        {
            _clock.Advance(time);
            return Task.CompletedTask;
        }
    }

    /// <summary>
    /// The same suite against a real namespace: set OKOS_SERVICEBUS_CONNECTION to a connection string whose namespace has an
    /// empty queue <c>okos-relay-contract</c> with sessions, duplicate detection and a 10-second lock duration. Skipped otherwise.
    /// </summary>
    [TestClass]
    public sealed class LiveServiceBusQueueContractTests : QueueContractTests
    {
        private const string QueueName = "okos-relay-contract";
        private ServiceBusClient _client = null!;
        private ServiceBusRelayQueue _queue = null!;

        private protected override IRelayQueue Queue => _queue;

        private protected override TimeSpan LeaseFor => TimeSpan.FromSeconds(10);

        [TestInitialize]
        public async Task Arrange()
        {
            var connection = Environment.GetEnvironmentVariable("OKOS_SERVICEBUS_CONNECTION");
            if (string.IsNullOrEmpty(connection))
            {
                Assert.Inconclusive("OKOS_SERVICEBUS_CONNECTION is not set: the Service Bus contract runs against the in-memory double only.");
            }
            _client = new ServiceBusClient(connection);
            var administration = new ServiceBusAdministrationClient(connection);
            _queue = new ServiceBusRelayQueue(_client, QueueName, TimeProvider.System,
                async cancellation => (int)(await administration.GetQueueRuntimePropertiesAsync(QueueName, cancellation)).Value.ActiveMessageCount);
            await _queue.PurgeDeadLettersAsync(None);
        }

        [TestCleanup]
        public async Task Clean()
        {
            if (_queue is not null)
            {
                await _queue.DisposeAsync();
                await _client.DisposeAsync();
            }
        }

        private protected override Task Advance(TimeSpan time) => Task.Delay(time);
    }
}
