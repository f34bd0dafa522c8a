using System;

namespace OneKosmos.Plugins.Dataverse
{
    /// <summary>What an okos_sessionid holds: 1Kosmos' session id, or a reservation made before 1Kosmos gave one (docs/design.md §1b).</summary>
    public static class SessionIds
    {
        public const string ReservedPrefix = "reserved:";

        public static string Reserved(Guid verificationId) => ReservedPrefix + verificationId;

        /// <summary>Whether 1Kosmos has a session behind the value (false for empty values and reservations).</summary>
        public static bool IsSession(string? sessionId) =>
            !string.IsNullOrEmpty(sessionId) && !sessionId!.StartsWith(ReservedPrefix, StringComparison.Ordinal);
    }
}
