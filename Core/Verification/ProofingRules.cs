using System;
using System.Linq;

namespace OneKosmos.Core.Verification
{
    /// <summary>How a successful proofing's checks become an assurance level and a match confidence.</summary>
    public static class ProofingRules
    {
        /// <value>The checks that speak to identity, as far as a result carries them; session_decision and session_summary do not count.</value>
        public static readonly string[] IdentityChecks =
        {
            "document_liveness_front", "document_liveness_back", "fraud_detection", "face_compare", "selfie_liveness",
        };

        /// <summary>IAL2 when face compare and selfie liveness both passed (KYC with selfie), else IAL1 (document only).</summary>
        public static AssuranceLevel AssuranceLevelOf(ProofingObservation observation) =>
            Passed(observation, "face_compare") && Passed(observation, "selfie_liveness") ? AssuranceLevel.IAL2 : AssuranceLevel.IAL1;

        /// <summary>
        /// A provider score when the result has one; otherwise the share of the identity checks present that passed,
        /// from 0 to 1 with 4 decimals (1Kosmos reports pass/fail only). Null when the result carries no identity check.
        /// </summary>
        public static decimal? MatchConfidenceOf(ProofingObservation observation)
        {
            if (observation.ProviderScore is { } score)
            {
                return Math.Round(Math.Min(1m, Math.Max(0m, score)), 4, MidpointRounding.AwayFromZero);
            }
            var present = IdentityChecks.Where(observation.Checks.ContainsKey).ToList();
            if (present.Count == 0)
            {
                return null;
            }
            return Math.Round((decimal)present.Count(check => observation.Checks[check]) / present.Count, 4, MidpointRounding.AwayFromZero);
        }

        private static bool Passed(ProofingObservation observation, string check) =>
            observation.Checks.TryGetValue(check, out var passed) && passed;
    }
}
