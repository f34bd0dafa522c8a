using System;
using OneKosmos.Core.Verification;
using OneKosmos.Plugins.Dataverse;

namespace OneKosmos.Plugins.UseCases
{
    /// <summary>One open Verified ID request per contact and journey: reused until Entra's time for it runs out, then expired.</summary>
    public static class OpenRequests
    {
        /// <summary>The contact's open request of the journey while it is still valid; an expired one is marked Expired and null returned.</summary>
        public static StartResult? Reusable(VerificationRows verifications, Guid contactId, Journey journey, DateTimeOffset now)
        {
            var open = verifications.FindOpen(contactId, journey);
            if (open is null)
            {
                return null;
            }
            if (open.ExpiresAt is { } expiresAt && expiresAt > now)
            {
                return new StartResult(StartOutcome.Reused, open.Id, open.SessionId, VerificationStatus.Pending, expiresAt);
            }
            verifications.Expire(open, now);
            return null;
        }
    }
}
