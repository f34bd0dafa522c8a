using System;

namespace OneKosmos.Core.Verification
{
    /// <summary>What we store about one verification attempt (the outcome columns of okos_verification).</summary>
    public sealed class VerificationState
    {
        public VerificationState(
            VerificationStatus status,
            DateTimeOffset? expiresAt = null,
            AssuranceLevel? assuranceLevel = null,
            decimal? matchConfidence = null,
            DateTimeOffset? verifiedAt = null,
            string? documentType = null,
            string? documentCountry = null,
            DateTime? documentExpiresOn = null,
            string? failureReason = null)
        {
            Status = status;
            ExpiresAt = expiresAt;
            AssuranceLevel = assuranceLevel;
            MatchConfidence = matchConfidence;
            VerifiedAt = verifiedAt;
            DocumentType = documentType;
            DocumentCountry = documentCountry;
            DocumentExpiresOn = documentExpiresOn;
            FailureReason = failureReason;
        }

        public VerificationStatus Status { get; }

        /// <value>Our local deadline (okos_SessionTtlMinutes after the start): 1Kosmos publishes no session lifetime.</value>
        public DateTimeOffset? ExpiresAt { get; }

        public AssuranceLevel? AssuranceLevel { get; }

        public decimal? MatchConfidence { get; }

        public DateTimeOffset? VerifiedAt { get; }

        public string? DocumentType { get; }

        public string? DocumentCountry { get; }

        public DateTime? DocumentExpiresOn { get; }

        /// <value>"CODE: text" when the attempt failed or expired.</value>
        public string? FailureReason { get; }

        /// <value>Verified and Failed never change again; Expired is our own guess and yields to a final answer from 1Kosmos.</value>
        public bool IsFinal => Status is VerificationStatus.Verified or VerificationStatus.Failed or VerificationStatus.Expired;
    }
}
