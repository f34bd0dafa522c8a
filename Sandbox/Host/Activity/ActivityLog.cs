using System;
using System.Collections.Generic;
using System.Linq;

namespace OneKosmos.Sandbox.Host.Activity
{
    /// <summary>Where an activity line comes from.</summary>
    public enum ActivitySource
    {
        PlugIn,
        Trace,
        CustomApi,
        Gate,
        BlockId,
        Entra,
        Person,
        Relay,
    }

    /// <summary>
    /// One line of the activity log. <see cref="Correlation"/> is the Dataverse correlation id of the request it belongs to
    /// (or the relay's own for a relay line); the keys say which verification, 1Kosmos session or relay message it is about,
    /// so a line also shows under the request that started that verification.
    /// </summary>
    public sealed record ActivityEntry(long Sequence, DateTimeOffset At, string Correlation, ActivitySource Source, string Text)
    {
        public string? VerificationId { get; init; }

        public string? SessionId { get; init; }

        public string? MessageId { get; init; }
    }

    /// <summary>
    /// What happened in the sandbox, line by line, grouped by correlation id on request. Bounded: the oldest lines go first,
    /// so a sandbox left running for days keeps a steady size.
    /// </summary>
    public sealed class ActivityLog
    {
        public const int Capacity = 5_000;

        private readonly object _gate = new();
        private readonly Queue<ActivityEntry> _entries = new();
        private readonly TimeProvider _clock;
        private long _sequence;

        public ActivityLog(TimeProvider? clock = null)
        {
            _clock = clock ?? TimeProvider.System;
        }

        public void Add(string correlation, ActivitySource source, string text, string? verificationId = null, string? sessionId = null, string? messageId = null)
        {
            lock (_gate)
            {
                _entries.Enqueue(new ActivityEntry(++_sequence, _clock.GetUtcNow(), correlation, source, text)
                {
                    VerificationId = verificationId,
                    SessionId = sessionId,
                    MessageId = messageId,
                });
                while (_entries.Count > Capacity)
                {
                    _entries.Dequeue();
                }
            }
        }

        /// <summary>Drops every line of a correlation id: a request that turned out to be noise.</summary>
        public void Forget(string correlation)
        {
            lock (_gate)
            {
                var kept = _entries.Where(entry => entry.Correlation != correlation).ToList();
                _entries.Clear();
                kept.ForEach(_entries.Enqueue);
            }
        }

        public IReadOnlyList<ActivityEntry> Entries()
        {
            lock (_gate)
            {
                return _entries.ToList();
            }
        }

        /// <summary>
        /// The lines grouped by correlation id, newest group first. A line about a verification or a 1Kosmos session also shows
        /// (marked as coming from elsewhere) in the group of the request that started it; a relay line about a message also shows
        /// in the group of the Dataverse request that processed it.
        /// </summary>
        /// <param name="startedBy">The correlation id a verification (by id) or a 1Kosmos session (by id) was started under, if known.</param>
        public IReadOnlyList<ActivityGroup> Groups(Func<string, string?> startedBy)
        {
            var entries = Entries();
            var processedBy = entries.Where(entry => entry.MessageId is not null && entry.Source == ActivitySource.CustomApi)
                .GroupBy(entry => entry.MessageId!)
                .ToDictionary(group => group.Key, group => group.First().Correlation, StringComparer.Ordinal);
            var groups = new Dictionary<string, List<ActivityLine>>(StringComparer.Ordinal);
            void Put(string correlation, ActivityEntry entry, bool elsewhere)
            {
                if (!groups.TryGetValue(correlation, out var lines))
                {
                    groups[correlation] = lines = new List<ActivityLine>();
                }
                lines.Add(new ActivityLine(entry, elsewhere));
            }
            foreach (var entry in entries)
            {
                var origin = (entry.VerificationId is { } verification ? startedBy(verification) : null)
                    ?? (entry.SessionId is { } session ? startedBy(session) : null);
                var home = entry.Source == ActivitySource.Person && origin is not null ? origin : entry.Correlation;
                Put(home, entry, elsewhere: false);
                if (origin is not null && origin != home)
                {
                    Put(origin, entry, elsewhere: true);
                }
                if (entry.Source == ActivitySource.Relay && entry.MessageId is { } message && processedBy.TryGetValue(message, out var processor) && processor != home)
                {
                    Put(processor, entry, elsewhere: true);
                }
            }
            return groups
                .Select(pair => new ActivityGroup(pair.Key, Title(pair.Value), pair.Value.Min(line => line.Entry.At), pair.Value.OrderBy(line => line.Entry.Sequence).ToList()))
                // Newest request first, by when it started: a later line from elsewhere never moves an old request up.
                .OrderByDescending(group => group.StartedAt).ThenByDescending(group => group.Lines.Min(line => line.Entry.Sequence))
                .ToList();
        }

        /// <remarks>A request is named by what ran (a plug-in, API, gate, relay delivery or the person), not by a call it made on the way.</remarks>
        private static string Title(List<ActivityLine> lines) =>
            lines.FirstOrDefault(line => !line.Elsewhere && line.Entry.Source is not (ActivitySource.Trace or ActivitySource.BlockId or ActivitySource.Entra))?.Entry.Text
            ?? lines[0].Entry.Text;
    }

    public sealed record ActivityLine(ActivityEntry Entry, bool Elsewhere);

    public sealed record ActivityGroup(string Correlation, string Title, DateTimeOffset StartedAt, IReadOnlyList<ActivityLine> Lines);
}
