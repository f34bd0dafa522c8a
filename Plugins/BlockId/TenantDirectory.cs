using System;
using System.Collections.Concurrent;

namespace OneKosmos.Plugins.BlockId
{
    /// <summary>
    /// What a tenant's bootstrap calls return — community, service directory, service public keys — kept for
    /// <see cref="Lifetime"/> so a plug-in execution usually makes only the call it came for (facts A: the helpers
    /// cache for 10 minutes). One instance per sandbox worker; safe for concurrent executions.
    /// </summary>
    public sealed class TenantDirectory
    {
        /// <value>How long bootstrap answers are reused. Default 10 minutes, as 1Kosmos' own helpers do.</value>
        public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

        /// <value>The directory plug-ins share within one sandbox worker.</value>
        public static readonly TenantDirectory Shared = new();

        private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

        public string GetOrAdd(string key, DateTimeOffset now, Func<string> fetch)
        {
            if (_entries.TryGetValue(key, out var entry) && entry.ExpiresAt > now)
            {
                return entry.Value;
            }
            var value = fetch();
            _entries[key] = new Entry(value, now + Lifetime);
            return value;
        }

        /// <summary>Forgets a tenant's answers, after a key stopped working, so the next call asks again.</summary>
        public void Forget(string keyPrefix)
        {
            foreach (var key in _entries.Keys)
            {
                if (key.StartsWith(keyPrefix, StringComparison.Ordinal))
                {
                    _entries.TryRemove(key, out _);
                }
            }
        }

        private sealed class Entry
        {
            public Entry(string value, DateTimeOffset expiresAt)
            {
                Value = value;
                ExpiresAt = expiresAt;
            }

            public string Value { get; }

            public DateTimeOffset ExpiresAt { get; }
        }
    }
}
