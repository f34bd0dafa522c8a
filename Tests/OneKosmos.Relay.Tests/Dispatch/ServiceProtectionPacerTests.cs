using System;
using Microsoft.Extensions.Time.Testing;
using OneKosmos.Relay.Dispatch;

namespace OneKosmos.Relay.Tests
{
    /// <summary>How the relay paces itself by Dataverse's service protection limits: hit once, then just under.</summary>
    [TestClass]
    public sealed class ServiceProtectionPacerTests
    {
        private static readonly TimeSpan Window = TimeSpan.FromSeconds(300);
        private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));

        private ServiceProtectionPacer Pacer(int burst = 4) => new(_clock, Window, burst);

        private static void Send(ServiceProtectionPacer pacer, int calls)
        {
            for (var i = 0; i < calls; i++)
            {
                pacer.Sent();
            }
        }

        [TestMethod]
        public void BeforeAnyRefusal_CallsGoFreely()
        {
            var pacer = Pacer();

            Assert.AreEqual(16, pacer.Take(16, out var nextIn));
            Assert.AreEqual(TimeSpan.Zero, nextIn);
            Assert.IsNull(pacer.RatePerSecond);
        }

        [TestMethod]
        public void ARefusal_PausesEveryCall_ForItsRetryAfter()
        {
            var pacer = Pacer();
            Send(pacer, 6000);

            Assert.IsTrue(pacer.Refused(TimeSpan.FromSeconds(280)));

            Assert.AreEqual(0, pacer.Take(4, out var nextIn));
            Assert.AreEqual(TimeSpan.FromSeconds(280), nextIn);
            _clock.Advance(TimeSpan.FromSeconds(279));
            Assert.AreEqual(0, pacer.Take(4, out nextIn));
            Assert.AreEqual(TimeSpan.FromSeconds(1), nextIn);
        }

        [TestMethod]
        public void AfterTheRefusal_CallsAreSpreadAt90PercentOfWhatTheWindowCarried()
        {
            var pacer = Pacer(burst: 1);
            Send(pacer, 6000);
            pacer.Refused(TimeSpan.FromSeconds(10));
            _clock.Advance(TimeSpan.FromSeconds(10));

            Assert.AreEqual(18, pacer.RatePerSecond!.Value, 1e-9, "0.9 × 6,000 / 300 s");
            Assert.AreEqual(0, pacer.Take(1, out var nextIn), "no burst after the pause");
            Assert.AreEqual(1.0 / 18, nextIn.TotalSeconds, 1e-6);
            _clock.Advance(nextIn);
            Assert.AreEqual(1, pacer.Take(5, out nextIn), "one at a time at burst 1");
            Assert.AreEqual(1.0 / 18, nextIn.TotalSeconds, 1e-6);
        }

        [TestMethod]
        public void CallsTakenButNotMade_AreGivenBack()
        {
            var pacer = Pacer(burst: 4);
            Send(pacer, 6000);
            pacer.Refused(TimeSpan.Zero);
            _clock.Advance(TimeSpan.FromSeconds(1));
            Assert.AreEqual(4, pacer.Take(4, out _));

            pacer.Return(3);

            Assert.AreEqual(3, pacer.Take(4, out _));
        }

        [TestMethod]
        public void RefusalsOfCallsAlreadyInFlight_LengthenThePause_WithoutLoweringThePaceAgain()
        {
            var pacer = Pacer();
            Send(pacer, 3000);
            Assert.IsTrue(pacer.Refused(TimeSpan.FromSeconds(5)));

            Assert.IsFalse(pacer.Refused(TimeSpan.FromSeconds(8)));

            Assert.AreEqual(9, pacer.RatePerSecond!.Value, 1e-9);
            pacer.Take(1, out var nextIn);
            Assert.AreEqual(TimeSpan.FromSeconds(8), nextIn);
        }

        [TestMethod]
        public void EachWindowWithoutARefusal_GrowsThePaceBy5Percent()
        {
            var pacer = Pacer();
            Send(pacer, 6000);
            pacer.Refused(TimeSpan.FromSeconds(1));

            _clock.Advance(TimeSpan.FromSeconds(1) + Window);
            pacer.Take(1, out _);

            Assert.AreEqual(18 * 1.05, pacer.RatePerSecond!.Value, 1e-9);
        }

        [TestMethod]
        public void ARefusal_CountsOnlyTheCallsOfTheWindowBeforeIt()
        {
            var pacer = Pacer();
            Send(pacer, 6000);
            _clock.Advance(Window + TimeSpan.FromSeconds(1));
            Send(pacer, 600);

            pacer.Refused(TimeSpan.FromSeconds(1));

            Assert.AreEqual(1.8, pacer.RatePerSecond!.Value, 1e-9, "0.9 × 600 / 300 s: the 6,000 of the window before do not count");
        }

        [TestMethod]
        public void ARefusalWithNothingCarried_StillLeavesOneCallASecond()
        {
            var pacer = Pacer();

            pacer.Refused(TimeSpan.FromSeconds(1));

            Assert.AreEqual(ServiceProtectionPacer.SlowestPerSecond, pacer.RatePerSecond);
        }
    }
}
