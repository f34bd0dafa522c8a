using System.Collections.Generic;
using OneKosmos.Core.Verification;

namespace OneKosmos.Core.Tests.Verification
{
    [TestClass]
    public sealed class ProofingRulesTests
    {
        private static ProofingObservation With(Dictionary<string, bool> checks, decimal? score = null) =>
            new(SessionState.Succeeded, checks: checks, providerScore: score);

        [TestMethod]
        public void AssuranceLevel_DocumentOnly_IsIal1()
        {
            var checks = new Dictionary<string, bool> { ["document_liveness_front"] = true, ["document_liveness_back"] = true, ["fraud_detection"] = true };

            Assert.AreEqual(AssuranceLevel.IAL1, ProofingRules.AssuranceLevelOf(With(checks)));
        }

        [TestMethod]
        public void AssuranceLevel_SelfieLivenessFailed_IsIal1()
        {
            var checks = new Dictionary<string, bool> { ["document_liveness_front"] = true, ["face_compare"] = true, ["selfie_liveness"] = false };

            Assert.AreEqual(AssuranceLevel.IAL1, ProofingRules.AssuranceLevelOf(With(checks)));
        }

        [TestMethod]
        public void MatchConfidence_IsTheShareOfIdentityChecksPassed_ToFourDecimals()
        {
            var checks = new Dictionary<string, bool>
            {
                ["document_liveness_front"] = true,
                ["document_liveness_back"] = false,
                ["fraud_detection"] = true,
                ["session_decision"] = false,
            };

            Assert.AreEqual(0.6667m, ProofingRules.MatchConfidenceOf(With(checks)));
        }

        [TestMethod]
        public void MatchConfidence_ProviderScoreWins()
        {
            var checks = new Dictionary<string, bool> { ["face_compare"] = false };

            Assert.AreEqual(0.9123m, ProofingRules.MatchConfidenceOf(With(checks, 0.91234m)));
        }

        [TestMethod]
        public void MatchConfidence_NoIdentityCheck_IsUnknown()
        {
            Assert.IsNull(ProofingRules.MatchConfidenceOf(With(new Dictionary<string, bool> { ["session_summary"] = true })));
        }
    }
}
