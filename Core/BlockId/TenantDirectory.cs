using System;
using OneKosmos.Core.Verification;

namespace OneKosmos.Core.BlockId
{
    /// <summary>
    /// What a tenant's bootstrap calls return — community, service directory, service public keys — kept for
    /// <see cref="Lifetime"/> so a plug-in execution usually makes only the call it came for (blockid-protocol.md A: the helpers
    /// cache for 10 minutes). One instance per sandbox worker; safe for concurrent executions.
    /// </summary>
    public sealed class TenantDirectory
    {
        /// <value>How long bootstrap answers are reused. Default 10 minutes, as 1Kosmos' own helpers do.</value>
        public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

        /// <value>The directory plug-ins share within one sandbox worker.</value>
        public static readonly TenantDirectory Shared = new();

        private readonly ExpiringCache<string, string> _entries = new(Lifetime, StringComparer.Ordinal);

        public string GetOrAdd(string key, DateTimeOffset now, Func<string> fetch) => _entries.GetOrRead(key, now, fetch);
    }
}
