using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using OneKosmos.Relay;

namespace OneKosmos.Relay.Tests
{
    /// <summary>A background loop of the relay survives what it can and stops the relay, saying why, when it cannot heal.</summary>
    [TestClass]
    public sealed class RelayLoopTests
    {
        private sealed class Lifetime : IHostApplicationLifetime
        {
            public bool Stopped { get; private set; }

            public CancellationToken ApplicationStarted => CancellationToken.None;

            public CancellationToken ApplicationStopping => CancellationToken.None;

            public CancellationToken ApplicationStopped => CancellationToken.None;

            public void StopApplication() => Stopped = true;
        }

        private static readonly LoopOptions Quick = new() { FirstBackOff = TimeSpan.FromMilliseconds(1), LongestBackOff = TimeSpan.FromMilliseconds(5), GiveUpAfter = TimeSpan.FromMinutes(5) };

        [TestMethod]
        public async Task EveryKindOfFailure_IsSurvived_AndTheLoopGoesOn()
        {
            var lifetime = new Lifetime();
            var health = new RelayHealth(lifetime);
            var failures = new Queue<Exception>(new Exception[]
            {
                new InvalidOperationException("a hostile feed item"),
                new ArgumentOutOfRangeException("ts", "out of range"),
                new System.Security.Authentication.AuthenticationException("AADSTS50126"),
                new System.IO.IOException("disk full"),
                new TimeoutException("Service Bus"),
            });
            using var stop = new CancellationTokenSource();
            var rounds = 0;

            await new RelayLoop("The test loop", Quick, health, TimeProvider.System, NullLogger.Instance).RunAsync(_ =>
            {
                rounds++;
                if (failures.TryDequeue(out var failure))
                {
                    throw failure;
                }
                stop.Cancel();
                return Task.FromResult(new LoopRound(true, TimeSpan.Zero));
            }, stop.Token);

            Assert.AreEqual(6, rounds, "five failed rounds, then one that worked");
            Assert.IsNull(health.FatalReason);
            Assert.IsFalse(lifetime.Stopped);
        }

        [TestMethod]
        public async Task ALoopThatFailsEveryRoundPastTheLimit_StopsTheRelay_NamingTheFailure()
        {
            var lifetime = new Lifetime();
            var health = new RelayHealth(lifetime);
            var options = new LoopOptions { FirstBackOff = TimeSpan.FromMilliseconds(1), LongestBackOff = TimeSpan.FromMilliseconds(5), GiveUpAfter = TimeSpan.FromMilliseconds(100) };
            var round = 0;

            // Failing rounds with idle ones between (the failed message waits out its back-off): idle proves nothing.
            await new RelayLoop("The dispatcher", options, health, TimeProvider.System, NullLogger.Instance).RunAsync(_ =>
                ++round % 2 == 0
                    ? Task.FromResult(new LoopRound(false, TimeSpan.FromMilliseconds(1)))
                    : throw new System.Security.Authentication.AuthenticationException("AADSTS7000215: Invalid client secret provided."), CancellationToken.None);

            Assert.IsTrue(lifetime.Stopped);
            StringAssert.StartsWith(health.FatalReason, "The dispatcher has failed every round");
            StringAssert.Contains(health.FatalReason, "AuthenticationException: AADSTS7000215");
        }
    }
}
