using System;
using OneKosmos.Core.Verification;

namespace OneKosmos.Core.Tests.Verification
{
    /// <summary>The status API's sentence names things for what they are (issue #22, finding 1 and 6).</summary>
    [TestClass]
    public sealed class StandingSummaryTests
    {
        private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

        [TestMethod]
        [DataRow(1.0, "Jane Doe is verified at IAL2 (all 1Kosmos checks passed), since 2026-12-01")]
        [DataRow(0.75, "Jane Doe is verified at IAL2 (75% of 1Kosmos checks passed), since 2026-12-01")]
        public void Verified_SaysTheShareOfChecksPassed_NeverAFaceMatch(double passed, string expected)
        {
            var standing = new IdentityStanding(VerificationStatus.Verified, AssuranceLevel.IAL2, (decimal)passed, Now.AddDays(-6));

            var summary = StandingSummary.Of("Jane Doe", standing, 15, Now);

            StringAssert.StartsWith(summary, expected);
            Assert.IsFalse(summary.Contains("face match", StringComparison.OrdinalIgnoreCase));
        }

        [TestMethod]
        [DataRow(Journey.IdentityProofing, "an identity proofing (document and selfie) is in progress")]
        [DataRow(Journey.LiveIdStepUp, "a LiveID step-up is in progress")]
        [DataRow(Journey.VerifiedIdIssuance, "a Verified ID issuance is in progress")]
        [DataRow(Journey.VerifiedIdFaceCheck, "a Face Check is in progress")]
        public void APendingJourney_IsSaidInWords_NotByItsCode(Journey journey, string expected)
        {
            var standing = new IdentityStanding(VerificationStatus.Verified, AssuranceLevel.IAL2, 1m, Now.AddDays(-1), pendingJourney: journey);

            var summary = StandingSummary.Of("Jane Doe", standing, 15, Now);

            StringAssert.EndsWith(summary, "; " + expected + ".");
        }
    }
}
