using System.Globalization;
using OneKosmos.Core.Verification;

namespace OneKosmos.Plugins.UseCases
{
    /// <summary>What the timeline note about a result says, for every journey.</summary>
    public static class ResultNotes
    {
        public static string Subject(Journey journey, VerificationState state)
        {
            var passed = state.Status == VerificationStatus.Verified;
            return journey switch
            {
                Journey.VerifiedIdIssuance or Journey.VerifiedIdFaceCheck when state.Status == VerificationStatus.Expired => "Verified ID request expired",
                Journey.VerifiedIdIssuance => passed ? "Verified ID credential issued" : "Verified ID credential not issued",
                Journey.VerifiedIdFaceCheck => passed ? "Face Check step-up passed" : "Face Check step-up failed",
                Journey.LiveIdStepUp when state.Status is VerificationStatus.Verified => "Biometric step-up passed",
                Journey.LiveIdStepUp when state.Status is VerificationStatus.Failed => "Biometric step-up failed",
                _ => state.Status switch
                {
                    VerificationStatus.Verified => $"Identity verified ({state.AssuranceLevel})",
                    VerificationStatus.Failed => "Identity verification failed",
                    VerificationStatus.Expired => "Identity verification expired",
                    _ => "Identity verification updated",
                },
            };
        }

        public static string Text(Journey journey, VerificationState state)
        {
            if (state.Status != VerificationStatus.Verified)
            {
                return state.FailureReason ?? "";
            }
            return journey switch
            {
                Journey.VerifiedIdIssuance => "The person accepted the credential into Microsoft Authenticator.",
                Journey.VerifiedIdFaceCheck => string.Format(CultureInfo.InvariantCulture, "Face match {0:0.##}% with the verified photo.", state.MatchConfidence * 100),
                Journey.LiveIdStepUp => "The person approved with LiveID in the BlockID app.",
                _ => string.Format(CultureInfo.InvariantCulture, "Assurance level {0}; match confidence {1:0}%.", state.AssuranceLevel, state.MatchConfidence * 100),
            };
        }
    }
}
