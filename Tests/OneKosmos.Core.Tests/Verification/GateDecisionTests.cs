using System;
using OneKosmos.Core.Verification;

namespace OneKosmos.Core.Tests.Verification
{
    /// <summary>The verdict of a gate rule on a contact's standing, and the thresholds it filters records by.</summary>
    [TestClass]
    public sealed class GateDecisionTests
    {
        private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

        private static GateRule Rule(string table, string message, AssuranceLevel level = AssuranceLevel.IAL2, bool requireStepUp = true) =>
            new(table, message, Array.Empty<string>(), null, level, null, requireStepUp);

        [TestMethod]
        [DataRow(">=", 100, true)]
        [DataRow(">=", 99.99, false)]
        [DataRow(">", 100, false)]
        [DataRow("<", 5, true)]
        [DataRow("==", 100, true)]
        [DataRow("!=", 100, false)]
        public void Thresholds_Compare(string comparison, double value, bool met) =>
            Assert.AreEqual(met, GateThreshold.Parse($"amount {comparison} 100").IsMetBy((decimal)value));

        [TestMethod]
        public void AVerifiedFreshContact_Passes_AStaleOne_IsToldTheAge()
        {
            var rule = Rule("opportunity", "Win");
            var fresh = new IdentityStanding(VerificationStatus.Verified, AssuranceLevel.IAL2, lastStepUpAt: Now.AddMinutes(-5));
            var stale = new IdentityStanding(VerificationStatus.Verified, AssuranceLevel.IAL2, lastStepUpAt: Now.AddHours(-26));

            Assert.IsTrue(GateDecision.Of(rule, fresh, 15, Now).IsAllowed);
            StringAssert.StartsWith(GateDecision.Of(rule, stale, 15, Now).Explain("Jane Doe"), "Contact Jane Doe needs a biometric step-up: last step-up 1 day ago, policy requires 15 min.");
        }

        [TestMethod]
        public void Ial1Rules_AcceptIal2()
        {
            var rule = Rule("lead", "QualifyLead", AssuranceLevel.IAL1, requireStepUp: false);

            Assert.IsTrue(GateDecision.Of(rule, new IdentityStanding(VerificationStatus.Verified, AssuranceLevel.IAL2), 15, Now).IsAllowed);
            Assert.IsTrue(GateDecision.Of(rule, new IdentityStanding(VerificationStatus.Verified, AssuranceLevel.IAL1), 15, Now).IsAllowed);
        }

        [TestMethod]
        public void AStepUpDatedInTheFuture_IsNotFresh() =>
            Assert.IsFalse(StepUpFreshness.IsFresh(Now.AddMinutes(10), 15, Now));
    }
}
