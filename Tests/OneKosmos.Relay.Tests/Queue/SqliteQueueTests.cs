using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using OneKosmos.Relay.Queue;

namespace OneKosmos.Relay.Tests
{
    /// <summary>What only the embedded queue promises beyond the shared contract: a file that survives restarts, and safe concurrent leasing.</summary>
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
            SqliteRelayQueue.DeleteFiles(_path);
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

        /// <summary>Issue #21: leases read by visibility, so a retry due comes before messages enqueued after it came due, and none starves.</summary>
        [TestMethod]
        public async Task Messages_AreHandedOutInTheOrderTheyBecameVisible()
        {
            var queue = Queue();
            await queue.EnqueueAsync(Message("retried", "s-retried"), None);
            await queue.AbandonAsync((await queue.LeaseAsync(1, Lease, None)).Single(), TimeSpan.FromSeconds(10), None);
            _clock.Advance(TimeSpan.FromSeconds(5));
            await queue.EnqueueAsync(Message("before-due", "s-before"), None);
            _clock.Advance(TimeSpan.FromSeconds(10));
            await queue.EnqueueAsync(Message("after-due", "s-after"), None);

            var order = (await queue.LeaseAsync(10, Lease, None)).Select(leased => leased.Message.MessageId).ToArray();

            CollectionAssert.AreEqual(new[] { "before-due", "retried", "after-due" }, order);
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
        public async Task ConcurrentEnqueues_AreCommittedTogether_AndEachIsAnsweredOnceOnDisk()
        {
            var queue = Queue();

            var accepted = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => queue.EnqueueAsync(Message($"m{i % 40}", $"s{i}"), None)));

            Assert.AreEqual(40, accepted.Count(answer => answer), "ten of them repeat an id");
            Assert.AreEqual(40, await Queue().DepthAsync(None), "on disk, as a second reader sees it");
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
