using System;

namespace OneKosmos.Core.Verification
{
    /// <summary>What we store about one verification attempt (the outcome columns of okos_verification).</summary>
    public sealed class VerificationState(
        VerificationStatus status, DateTimeOffset? expiresAt = null, AssuranceLevel? assuranceLevel = null, decimal? matchConfidence = null, DateTimeOffset? verifiedAt = null,
        string? documentType = null, string? documentCountry = null, DateTime? documentExpiresOn = null, string? failureReason = null)
    {
        public VerificationStatus Status { get; } = status;

        /// <value>Our local deadline (okos_SessionTtlMinutes after the start): 1Kosmos publishes no session lifetime.</value>
        public DateTimeOffset? ExpiresAt { get; } = expiresAt;

        public AssuranceLevel? AssuranceLevel { get; } = assuranceLevel;

        public decimal? MatchConfidence { get; } = matchConfidence;

        public DateTimeOffset? VerifiedAt { get; } = verifiedAt;

        public string? DocumentType { get; } = documentType;

        public string? DocumentCountry { get; } = documentCountry;

        public DateTime? DocumentExpiresOn { get; } = documentExpiresOn;

        /// <value>"CODE: text" when the attempt failed or expired.</value>
        public string? FailureReason { get; } = failureReason;

        /// <value>Verified and Failed never change again; Expired is our own guess and yields to a final answer from 1Kosmos.</value>
        public bool IsFinal => Status is VerificationStatus.Verified or VerificationStatus.Failed or VerificationStatus.Expired;
    }
}
