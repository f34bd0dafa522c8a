using System;

namespace OneKosmos.Core.Verification
{
    /// <summary>Where a contact stands, across all their attempts: what flows, forms, Copilot and the gate read.</summary>
    public sealed class IdentityStanding
    {
        public IdentityStanding(
            VerificationStatus status,
            AssuranceLevel? level = null,
            decimal? matchConfidence = null,
            DateTimeOffset? verifiedAt = null,
            string? credentialDid = null,
            DateTimeOffset? lastStepUpAt = null,
            Journey? pendingJourney = null,
            bool verifiedIdIssued = false,
            bool faceCheckReady = false)
        {
            VerifiedIdIssued = verifiedIdIssued;
            FaceCheckReady = faceCheckReady;
            Status = status;
            Level = level;
            MatchConfidence = matchConfidence;
            VerifiedAt = verifiedAt;
            CredentialDid = credentialDid;
            LastStepUpAt = lastStepUpAt;
            PendingJourney = pendingJourney;
        }

        /// <value>Verified only while a Verified proofing is within the validity period; an older one reads Expired.</value>
        public VerificationStatus Status { get; }

        public AssuranceLevel? Level { get; }

        public decimal? MatchConfidence { get; }

        public DateTimeOffset? VerifiedAt { get; }

        public string? CredentialDid { get; }

        /// <value>When the last biometric step-up passed; null when none ever did.</value>
        public DateTimeOffset? LastStepUpAt { get; }

        /// <value>The journey of an attempt still open; null when none is.</value>
        public Journey? PendingJourney { get; }

        /// <value>The person accepted a Microsoft Entra Verified ID credential of ours into Microsoft Authenticator.</value>
        public bool VerifiedIdIssued { get; }

        /// <value>One of those credentials carries the verified face photo, so a Face Check step-up can be asked for.</value>
        public bool FaceCheckReady { get; }
    }
}
