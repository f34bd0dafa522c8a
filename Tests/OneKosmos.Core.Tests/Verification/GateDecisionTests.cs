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

        /// <summary>Issue #22, finding 3: the message names the panel's buttons and the one next step that works from the contact's state.</summary>
        [TestMethod]
        [DataRow(VerificationStatus.Pending, null, "Contact Jane Doe has an identity verification in progress; this needs IAL2 verification. Wait until the identity panel shows Verified, and try again.")]
        [DataRow(VerificationStatus.Verified, AssuranceLevel.IAL1, "Contact Jane Doe is verified at IAL1; this needs IAL2 verification. In the identity panel, select Start verification for a new document and selfie check; then try again.")]
        [DataRow(VerificationStatus.Failed, null, "Contact Jane Doe's last identity verification failed; this needs IAL2 verification. In the identity panel, select Start verification; then try again.")]
        [DataRow(VerificationStatus.NotStarted, null, "Contact Jane Doe is not verified; this needs IAL2 verification. In the identity panel, select Start verification; then try again.")]
        public void ABlockedContact_IsToldTheNextStepThatWorksForItsState(VerificationStatus status, AssuranceLevel? level, string expected)
        {
            var standing = new IdentityStanding(status, level);

            var message = GateDecision.Of(Rule("opportunity", "Win", requireStepUp: false), standing, 15, Now).Explain("Jane Doe");

            Assert.AreEqual(expected, message);
            Assert.IsFalse(message.Contains("now:", StringComparison.Ordinal), "no internal values");
        }

        [TestMethod]
        public void APendingContact_NeedingAStepUpToo_WaitsThenStepsUp()
        {
            var message = GateDecision.Of(Rule("opportunity", "Win"), new IdentityStanding(VerificationStatus.Pending), 15, Now).Explain("Jane Doe");

            StringAssert.EndsWith(message, "Wait until the identity panel shows Verified, then select Request step-up, and try again.");
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
