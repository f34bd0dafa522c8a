using System;

namespace OneKosmos.Core.Verification
{
    /// <summary>Where a contact stands, across all their attempts: what flows, forms, Copilot and the gate read.</summary>
    public sealed class IdentityStanding(
        VerificationStatus status, AssuranceLevel? level = null, decimal? matchConfidence = null, DateTimeOffset? verifiedAt = null, string? credentialDid = null,
        DateTimeOffset? lastStepUpAt = null, Journey? pendingJourney = null, bool verifiedIdIssued = false, bool faceCheckReady = false)
    {
        /// <value>Verified only while a Verified proofing is within the validity period; an older one reads Expired.</value>
        public VerificationStatus Status { get; } = status;

        public AssuranceLevel? Level { get; } = level;

        public decimal? MatchConfidence { get; } = matchConfidence;

        public DateTimeOffset? VerifiedAt { get; } = verifiedAt;

        public string? CredentialDid { get; } = credentialDid;

        /// <value>When the last biometric step-up passed; null when none ever did.</value>
        public DateTimeOffset? LastStepUpAt { get; } = lastStepUpAt;

        /// <value>The journey of an attempt still open; null when none is.</value>
        public Journey? PendingJourney { get; } = pendingJourney;

        /// <value>The person accepted a Microsoft Entra Verified ID credential of ours into Microsoft Authenticator.</value>
        public bool VerifiedIdIssued { get; } = verifiedIdIssued;

        /// <value>One of those credentials carries the verified face photo, so a Face Check step-up can be asked for.</value>
        public bool FaceCheckReady { get; } = faceCheckReady;
    }
}
