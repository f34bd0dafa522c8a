using System;
using System.Collections.Concurrent;

namespace OneKosmos.Plugins.Dataverse
{
    /// <summary>
    /// A value per organization, kept in the sandbox worker's memory for a lifetime and then read again. Safe for the
    /// concurrent executions Dataverse runs on one plug-in instance; two executions may both read at expiry, which is
    /// harmless since the value is only read, never written, through it.
    /// </summary>
    public sealed class WorkerCache<T>
        where T : class
    {
        private readonly ConcurrentDictionary<Guid, Entry> _entries = new();

        public WorkerCache(TimeSpan lifetime)
        {
            Lifetime = lifetime;
        }

        public TimeSpan Lifetime { get; }

        public T GetOrRead(Guid organizationId, DateTimeOffset now, Func<T> read)
        {
            if (_entries.TryGetValue(organizationId, out var entry) && now - entry.ReadAt < Lifetime)
            {
                return entry.Value;
            }
            var value = read();
            _entries[organizationId] = new Entry(now, value);
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
