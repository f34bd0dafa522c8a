using System;
using OneKosmos.Core.Verification;

namespace OneKosmos.Plugins.UseCases
{
    /// <summary>How a start ended.</summary>
    public enum StartOutcome
    {
        /// <summary>A new 1Kosmos session exists for the attempt.</summary>
        Started,
        /// <summary>An open attempt with a session already existed: nothing new was started.</summary>
        Reused,
        /// <summary>1Kosmos was unreachable or throttling: the attempt stays Pending with the reason, for reconciliation.</summary>
        WillRetry,
        /// <summary>1Kosmos refused or answered nonsense: the attempt is Failed with the reason.</summary>
        Failed,
        /// <summary>The contact was already Verified recently enough: nothing was reserved or started.</summary>
        AlreadyVerified,
    }

    /// <summary>How a start ended, and which verification row it concerns.</summary>
    public sealed class StartResult(StartOutcome outcome, Guid verificationId, string sessionId, VerificationStatus status, DateTimeOffset? expiresAt)
    {
        public StartOutcome Outcome { get; } = outcome;

        public Guid VerificationId { get; } = verificationId;

        /// <value>
        /// What the row holds in okos_sessionid — the 1Kosmos session id, or the reservation (reserved:{row id}) while there
        /// is none — so the caller is told without reading the row again.
        /// </value>
        public string SessionId { get; } = sessionId;

        public VerificationStatus Status { get; } = status;

        public DateTimeOffset? ExpiresAt { get; } = expiresAt;

        /// <value>For <see cref="StartOutcome.WillRetry"/>: 1Kosmos throttled the start and asked for this long (or did not say: zero).</value>
        public TimeSpan? ThrottledFor { get; set; }

        public override string ToString() => Outcome.ToString();
    }
}
