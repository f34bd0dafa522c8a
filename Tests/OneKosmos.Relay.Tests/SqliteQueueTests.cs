extern alias relay;

using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using relay::OneKosmos.Relay.Queue;

namespace OneKosmos.Relay.Tests
{
    /// <summary>The embedded queue's contract: durable, deduplicated, ordered per session, leases that expire, dead letters with reasons.</summary>
    [TestClass]
    public sealed class SqliteQueueTests
    {
        private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
        private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero));
        private string _path = "";

        [TestInitialize]
        public void Arrange() => _path = Path.Combine(Path.GetTempPath(), $"okos-queue-{Guid.NewGuid():N}.db");

        [TestCleanup]
        public void Clean()
        {
            foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(_path) + "*"))
            {
                File.Delete(file);
            }
        }

        private SqliteRelayQueue Queue() => new(_path, _clock);

        private RelayMessage Message(string id, string? session = "s1") => new(id, MessageKind.Callback, session, $"{{\"id\":\"{id}\"}}", _clock.GetUtcNow(), "c-" + id);

        private static CancellationToken None => CancellationToken.None;

        [TestMethod]
        public async Task AnEnqueuedMessage_SurvivesReopeningTheFile_AndComesBackWhole()
        {
            await Queue().EnqueueAsync(Message("m1"), None);

            var leased = (await Queue().LeaseAsync(10, Lease, None)).Single();

            Assert.AreEqual(Message("m1"), leased.Message);
            Assert.AreEqual(1, leased.Attempt);
        }

        [TestMethod]
        public async Task TheSameMessageIdTwice_IsStoredOnce()
        {
            var queue = Queue();

            Assert.IsTrue(await queue.EnqueueAsync(Message("m1"), None));
            Assert.IsFalse(await queue.EnqueueAsync(Message("m1"), None));
            Assert.AreEqual(1, await queue.DepthAsync(None));
        }

        [TestMethod]
        public async Task OneSessionsMessages_AreHandedOutInOrder_OtherSessionsAreNotHeldUp()
        {
            var queue = Queue();
            await queue.EnqueueAsync(Message("a1", "a"), None);
            await queue.EnqueueAsync(Message("a2", "a"), None);
            await queue.EnqueueAsync(Message("b1", "b"), None);
            await queue.EnqueueAsync(Message("n1", null), None);

            var first = await queue.LeaseAsync(10, Lease, None);
            CollectionAssert.AreEqual(new[] { "a1", "b1", "n1" }, first.Select(message => message.Message.MessageId).ToArray());

            await queue.AbandonAsync(first[0], TimeSpan.Zero, None);
            Assert.AreEqual("a1", (await queue.LeaseAsync(10, Lease, None)).Single().Message.MessageId, "a2 waits while a1 is retried");
        }

        [TestMethod]
        public async Task AfterTheFirstCompletes_TheNextOfTheSessionIsHandedOut()
        {
            var queue = Queue();
            await queue.EnqueueAsync(Message("a1"), None);
            await queue.EnqueueAsync(Message("a2"), None);

            Assert.IsTrue(await queue.CompleteAsync((await queue.LeaseAsync(10, Lease, None)).Single(), None));

            Assert.AreEqual("a2", (await queue.LeaseAsync(10, Lease, None)).Single().Message.MessageId);
        }

        [TestMethod]
        public async Task ALeaseThatExpires_HandsTheMessageOutAgain_AndTheOldLeaseCannotComplete()
        {
            var queue = Queue();
            await queue.EnqueueAsync(Message("m1"), None);
            var crashed = (await queue.LeaseAsync(10, Lease, None)).Single();
            Assert.AreEqual(0, (await queue.LeaseAsync(10, Lease, None)).Count);

            _clock.Advance(Lease);
            var again = (await queue.LeaseAsync(10, Lease, None)).Single();

            Assert.AreEqual(2, again.Attempt);
            Assert.IsFalse(await queue.CompleteAsync(crashed, None));
            Assert.IsTrue(await queue.CompleteAsync(again, None));
            Assert.AreEqual(0, await queue.DepthAsync(None));
        }

        [TestMethod]
        public async Task AnAbandonedMessage_WaitsForItsRetryTime()
        {
            var queue = Queue();
            await queue.EnqueueAsync(Message("m1"), None);
            await queue.AbandonAsync((await queue.LeaseAsync(10, Lease, None)).Single(), TimeSpan.FromSeconds(30), None);

            _clock.Advance(TimeSpan.FromSeconds(29));
            Assert.AreEqual(0, (await queue.LeaseAsync(10, Lease, None)).Count);
            _clock.Advance(TimeSpan.FromSeconds(1));
            Assert.AreEqual(2, (await queue.LeaseAsync(10, Lease, None)).Single().Attempt);
        }

        [TestMethod]
        public async Task DeadLetters_KeepTheReason_CanBeReplayed_AndPurged()
        {
            var queue = Queue();
            await queue.EnqueueAsync(Message("m1"), None);
            await queue.EnqueueAsync(Message("m2", "other"), None);
            var leased = await queue.LeaseAsync(10, Lease, None);
            await queue.DeadLetterAsync(leased[0], "Rejected: BAD_SIGNATURE", None);
            await queue.DeadLetterAsync(leased[1], "Failed 10 times", None);

            var letters = await queue.DeadLettersAsync(None);
            CollectionAssert.AreEquivalent(new[] { "m1: Rejected: BAD_SIGNATURE", "m2: Failed 10 times" }, letters.Select(letter => $"{letter.Message.MessageId}: {letter.Reason}").ToArray());
            Assert.AreEqual(0, await queue.DepthAsync(None));

            Assert.IsTrue(await queue.ReplayAsync("m1", None));
            Assert.IsFalse(await queue.ReplayAsync("m1", None));
            Assert.AreEqual(1, (await queue.LeaseAsync(10, Lease, None)).Single().Attempt);
            Assert.AreEqual(1, await queue.PurgeDeadLettersAsync(None));
        }

        [TestMethod]
        public async Task ALostLease_CannotDeadLetterOrAbandonSomeoneElsesDelivery()
        {
            var queue = Queue();
            await queue.EnqueueAsync(Message("m1"), None);
            var stale = (await queue.LeaseAsync(10, Lease, None)).Single();
            _clock.Advance(Lease);
            var current = (await queue.LeaseAsync(10, Lease, None)).Single();

            await queue.DeadLetterAsync(stale, "late", None);
            await queue.AbandonAsync(stale, TimeSpan.FromHours(1), None);

            Assert.AreEqual(0, (await queue.DeadLettersAsync(None)).Count);
            Assert.IsTrue(await queue.CompleteAsync(current, None));
        }

        [TestMethod]
        public async Task TwoDispatchersLeasingAtOnce_NeverGetTheSameMessage()
        {
            var queue = Queue();
            for (var i = 0; i < 40; i++)
            {
                await queue.EnqueueAsync(Message($"m{i}", $"s{i}"), None);
            }

            var batches = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Queue().LeaseAsync(15, Lease, None))));

            var ids = batches.SelectMany(batch => batch).Select(leased => leased.Message.MessageId).ToList();
            Assert.AreEqual(40, ids.Count);
            Assert.AreEqual(40, ids.Distinct().Count());
        }
    }
}
