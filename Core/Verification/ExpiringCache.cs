using System;
using System.Collections.Concurrent;
using System.Collections.Generic;

namespace OneKosmos.Core.Verification
{
    /// <summary>
    /// Values kept in the sandbox worker's memory for a lifetime, then read again: tenant bootstrap answers, settings,
    /// the connection. Safe for the concurrent executions Dataverse runs on one plug-in instance; two executions may both
    /// read at expiry, which is harmless since values are only read through it.
    /// </summary>
    public sealed class ExpiringCache<TKey, T>
        where TKey : notnull
        where T : class
    {
        private readonly ConcurrentDictionary<TKey, Entry> _entries;

        public ExpiringCache(TimeSpan lifetime, IEqualityComparer<TKey>? comparer = null)
        {
            Lifetime = lifetime;
            _entries = new ConcurrentDictionary<TKey, Entry>(comparer ?? EqualityComparer<TKey>.Default);
        }

        public TimeSpan Lifetime { get; }

        public T GetOrRead(TKey key, DateTimeOffset now, Func<T> read)
        {
            if (_entries.TryGetValue(key, out var entry) && now - entry.ReadAt < Lifetime)
            {
                return entry.Value;
            }
            var value = read();
            _entries[key] = new Entry(now, value);
            return value;
        }

        private sealed class Entry
        {
            public Entry(DateTimeOffset readAt, T value)
            {
                ReadAt = readAt;
                Value = value;
            }

            public DateTimeOffset ReadAt { get; }

            public T Value { get; }
        }
    }
}
