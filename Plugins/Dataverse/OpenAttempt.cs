using System;
using OneKosmos.Core.Verification;

namespace OneKosmos.Plugins.Dataverse
{
    /// <summary>An attempt that is not final yet: the one a contact may have per journey.</summary>
    public sealed class OpenAttempt(Guid id, Guid contactId, Journey journey, string sessionId, DateTimeOffset? expiresAt)
    {
        public Guid Id { get; } = id;

        public Guid ContactId { get; } = contactId;

        public Journey Journey { get; } = journey;

        public string SessionId { get; } = sessionId;

        public DateTimeOffset? ExpiresAt { get; } = expiresAt;

        /// <value>1Kosmos has a session for it; false while only the reservation exists (reserved:{row id}).</value>
        public bool HasSession => SessionIds.IsSession(SessionId);
    }

    /// <summary>What <see cref="VerificationRows.FindOpen(Guid, Journey, DateTimeOffset?)"/> found.</summary>
    public sealed class OpenLookup
    {
        internal OpenLookup(OpenAttempt? open, bool verified)
        {
            Open = open;
            Verified = verified;
        }

        public OpenAttempt? Open { get; }

        /// <value>A Verified attempt of the journey exists since the time asked about.</value>
        public bool Verified { get; }
    }
}
