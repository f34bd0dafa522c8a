using System;
using System.Linq;
using Microsoft.Extensions.Time.Testing;
using OneKosmos.Sandbox.Host.WebApi;

namespace OneKosmos.Sandbox.Host.Tests.WebApi
{
    /// <summary>
    /// The sandbox's service protection limits, each as Microsoft's "Service protection API limits" page documents it
    /// (learn.microsoft.com/power-apps/developer/data-platform/api-limits): codes, messages, sliding window, per user.
    /// </summary>
    [TestClass]
    public sealed class ServiceProtectionTests
    {
        private static readonly Guid Relay = Guid.Parse("00000000-0000-0000-0000-0000000000a1");
        private static readonly Guid Agent = Guid.Parse("00000000-0000-0000-0000-0000000000a2");
        private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));

        private ServiceProtection Limited(int requests = 6000, int executionSeconds = 1200, int concurrent = 52) =>
            new(new ServiceProtectionLimits(requests, TimeSpan.FromSeconds(executionSeconds), TimeSpan.FromSeconds(300), concurrent), _clock);

        private static void Run(ServiceProtection protection, Guid user, TimeSpan took)
        {
            Assert.IsNull(protection.Enter(user));
            protection.Leave(user, took);
        }

        [TestMethod]
        public void Documented_AreTheDefaultsMicrosoftPublishes()
        {
            var limits = ServiceProtectionLimits.Documented;

            Assert.AreEqual(6000, limits.Requests);
            Assert.AreEqual(TimeSpan.FromMilliseconds(1_200_000), limits.ExecutionTime);
            Assert.AreEqual(TimeSpan.FromSeconds(300), limits.Window);
            Assert.AreEqual(52, limits.ConcurrentRequests);
            Assert.AreEqual(20, limits.RequestsPerSecond);
        }

        [TestMethod]
        public void Faster_ShrinksTheWindowAndTheExecutionTime_KeepsTheCounts()
        {
            var faster = ServiceProtectionLimits.Documented.Faster(10);

            Assert.AreEqual(new ServiceProtectionLimits(6000, TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(30), 52), faster);
            Assert.AreEqual(200, faster.RequestsPerSecond);
        }

        [TestMethod]
        public void Requests_BeyondTheLimitInTheWindow_AreRefusedUntilTheOldestSlidesOut()
        {
            var protection = Limited(requests: 3);
            Run(protection, Relay, TimeSpan.Zero);
            _clock.Advance(TimeSpan.FromSeconds(100));
            Run(protection, Relay, TimeSpan.Zero);
            Run(protection, Relay, TimeSpan.Zero);

            var refusal = protection.Enter(Relay);

            Assert.IsNotNull(refusal);
            Assert.AreEqual("0x80072322", refusal.Code);
            Assert.AreEqual("Number of requests exceeded the limit of 3 over time window of 300 seconds.", refusal.Message);
            Assert.AreEqual(TimeSpan.FromSeconds(200), refusal.RetryAfter, "the first request leaves the window 300 s after it came");
            Assert.AreEqual("200", refusal.RetryAfterSeconds);

            _clock.Advance(TimeSpan.FromSeconds(199));
            Assert.AreEqual(TimeSpan.FromSeconds(1), protection.Enter(Relay)?.RetryAfter, "refused until the Retry-After has passed");
            _clock.Advance(TimeSpan.FromSeconds(1));
            Assert.IsNull(protection.Enter(Relay));
            Assert.AreEqual(2, protection.Refused);
        }

        [TestMethod]
        public void ExecutionTime_ReachingTheLimit_RefusesWithItsCodeUntilEnoughSlidesOut()
        {
            var protection = Limited(executionSeconds: 10);
            Run(protection, Relay, TimeSpan.FromSeconds(6));
            _clock.Advance(TimeSpan.FromSeconds(60));
            Run(protection, Relay, TimeSpan.FromSeconds(4));

            var refusal = protection.Enter(Relay);

            Assert.AreEqual("0x80072321", refusal?.Code);
            StringAssert.StartsWith(refusal!.Message, "Combined execution time of incoming requests exceeded limit of 10,000 milliseconds over time window of 300 seconds.");
            Assert.AreEqual(TimeSpan.FromSeconds(240), refusal.RetryAfter, "the first request's 6 s leave the window 300 s after it ended");
        }

        [TestMethod]
        public void Concurrency_BeyondTheLimit_IsRefusedAtOnce_AndFreesWhenOneEnds()
        {
            var protection = Limited(concurrent: 2);
            Assert.IsNull(protection.Enter(Relay));
            Assert.IsNull(protection.Enter(Relay));

            var refusal = protection.Enter(Relay);

            Assert.AreEqual("0x80072326", refusal?.Code);
            Assert.AreEqual("Number of concurrent requests exceeded the limit of 2.", refusal!.Message);
            protection.Leave(Relay, TimeSpan.Zero);
            Assert.IsNull(protection.Enter(Relay), "the concurrent limit throttles nobody for longer than the excess lasts");
        }

        [TestMethod]
        public void EachUser_IsLimitedOnTheirOwn()
        {
            var protection = Limited(requests: 2);
            Run(protection, Relay, TimeSpan.Zero);
            Run(protection, Relay, TimeSpan.Zero);

            Assert.IsNotNull(protection.Enter(Relay));
            Assert.IsNull(protection.Enter(Agent));
        }

        [TestMethod]
        public void RefusedRequests_DoNotCount()
        {
            var protection = Limited(requests: 2);
            Run(protection, Relay, TimeSpan.Zero);
            Run(protection, Relay, TimeSpan.Zero);
            foreach (var _ in Enumerable.Range(0, 50))
            {
                Assert.IsNotNull(protection.Enter(Relay));
            }

            _clock.Advance(TimeSpan.FromSeconds(300));

            Run(protection, Relay, TimeSpan.Zero);
            Run(protection, Relay, TimeSpan.Zero);
        }
    }
}
