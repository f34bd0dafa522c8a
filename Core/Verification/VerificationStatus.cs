namespace OneKosmos.Core.Verification
{
    /// <summary>Where a verification attempt stands. <see cref="NotStarted"/> is never stored: it means no attempt exists.</summary>
    public enum VerificationStatus
    {
        NotStarted,
        Pending,
        Verified,
        Failed,
        Expired,
    }

    /// <summary>NIST SP 800-63A identity assurance level reached.</summary>
    public enum AssuranceLevel
    {
        /// <summary>Identity evidence checked (document only).</summary>
        IAL1,
        /// <summary>Evidence checked and the person matched to it (document, face compare and selfie liveness).</summary>
        IAL2,
    }

    /// <summary>What kind of verification an attempt is.</summary>
    public enum Journey
    {
        IdentityProofing,
        LiveIdStepUp,
        VerifiedIdIssuance,
        VerifiedIdFaceCheck,
    }

    /// <summary>How 1Kosmos described a session when we last asked.</summary>
    public enum SessionState
    {
        /// <summary>Not finished: the person is still capturing, or 1Kosmos is still deciding.</summary>
        InProgress,
        Succeeded,
        Failed,
        /// <summary>A value we do not know; treated as not finished, and traced.</summary>
        Unknown,
    }
}
