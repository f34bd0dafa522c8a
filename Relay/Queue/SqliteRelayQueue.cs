using System;
using System.Linq;
using System.IO;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;

namespace OneKosmos.Relay.Queue
{
    /// <summary>
    /// The embedded queue: one SQLite file in WAL mode. A message is durable once <see cref="EnqueueAsync"/> returns; a lease
    /// is a token and an expiry on the row, so a dispatcher killed at any point loses nothing: its leases expire and the
    /// messages are delivered again (the callback API answers Duplicate for what it already applied).
    /// </summary>
    public sealed partial class SqliteRelayQueue : IRelayQueue, ICursorStore
    {
        private const string Schema = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS messages (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                message_id TEXT NOT NULL UNIQUE,
                kind INTEGER NOT NULL,
                ordering_key TEXT,
                body TEXT NOT NULL,
                received_at TEXT NOT NULL,
                correlation_id TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                visible_at INTEGER NOT NULL,
                lease_token TEXT,
                lease_until INTEGER);
            CREATE INDEX IF NOT EXISTS messages_by_key ON messages (ordering_key, seq);
            CREATE INDEX IF NOT EXISTS messages_by_visibility ON messages (visible_at, seq);
            CREATE TABLE IF NOT EXISTS dead_letters (
                message_id TEXT PRIMARY KEY,
                kind INTEGER NOT NULL,
                ordering_key TEXT,
                body TEXT NOT NULL,
                received_at TEXT NOT NULL,
                correlation_id TEXT NOT NULL,
                attempts INTEGER NOT NULL,
                reason TEXT NOT NULL,
                dead_lettered_at TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS cursors (name TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS delivered (message_id TEXT PRIMARY KEY, at INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS delivered_by_time ON delivered (at);
            """;

        /// <value>
        /// How long a delivered message id is remembered, so the poller re-reading its overlap does not deliver it again.
        /// Default 1 hour: well above the poller's overlap (Service Bus' duplicate-detection window plays this part there).
        /// </value>
        public static readonly TimeSpan DeliveredMemory = TimeSpan.FromHours(1);

        private readonly string _connectionString;
        private readonly TimeProvider _clock;

        /// <remarks>Creates the file and its tables when missing.</remarks>
        public SqliteRelayQueue(string path, TimeProvider clock)
        {
            _clock = clock;
            // Pooled: opening the file for every transaction cost more than the transaction.
            _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
            using var connection = Open();
            Execute(connection, null, Schema);
        }

        /// <remarks>Committed with whatever else is waiting to be written (see <see cref="GroupCommitAsync{T}"/>), and only then answered.</remarks>
        public Task<bool> EnqueueAsync(RelayMessage message, CancellationToken cancellation) =>
            GroupCommitAsync(Durability.Flushed, async (connection, transaction) => await ExecuteAsync(connection, transaction, """
                INSERT OR IGNORE INTO messages (message_id, kind, ordering_key, body, received_at, correlation_id, visible_at)
                SELECT $id, $kind, $key, $body, $received, $correlation, $now
                WHERE NOT EXISTS (SELECT 1 FROM delivered WHERE message_id = $id AND at > $forgotten)
                """, CancellationToken.None, ("$now", Now()), ("$forgotten", Now() - (long)DeliveredMemory.TotalMilliseconds),
                ("$id", message.MessageId), ("$kind", (int)message.Kind), ("$key", message.OrderingKey), ("$body", message.Body),
                ("$received", message.ReceivedAt.ToString("O", CultureInfo.InvariantCulture)), ("$correlation", message.CorrelationId)) == 1, cancellation);

        /// <remarks>
        /// Oldest first by the time each message became visible (its enqueue, or its retry coming due), then by arrival, read
        /// through the visibility index: messages waiting for a later time are never walked, however many there are (#21).
        /// </remarks>
        public async Task<IReadOnlyList<LeasedMessage>> LeaseAsync(int maximum, TimeSpan leaseFor, CancellationToken cancellation)
        {
            using var writing = await WriterAsync(cancellation);
            var now = Now();
            await using var connection = Open(Durability.Ordered);
            await using var transaction = connection.BeginTransaction();
            var candidates = new List<(long Seq, RelayMessage Message, int Attempts)>();
            await using (var command = Command(connection, transaction, """
                SELECT seq, message_id, kind, ordering_key, body, received_at, correlation_id, attempts FROM messages m INDEXED BY messages_by_visibility
                WHERE m.visible_at <= $now AND (m.lease_until IS NULL OR m.lease_until <= $now)
                  AND NOT EXISTS (SELECT 1 FROM messages e WHERE e.ordering_key = m.ordering_key AND e.seq < m.seq)
                ORDER BY m.visible_at, m.seq LIMIT $max
                """, ("$now", now), ("$max", maximum)))
            await using (var reader = await command.ExecuteReaderAsync(cancellation))
            {
                while (await reader.ReadAsync(cancellation))
                {
                    candidates.Add((reader.GetInt64(0), Read(reader, 1), reader.GetInt32(7)));
                }
            }
            var leased = new List<LeasedMessage>();
            foreach (var (seq, message, attempts) in candidates)
            {
                var token = Guid.NewGuid().ToString("N");
                await ExecuteAsync(connection, transaction, "UPDATE messages SET lease_token = $token, lease_until = $until, attempts = attempts + 1 WHERE seq = $seq",
                    cancellation, ("$token", token), ("$until", now + (long)leaseFor.TotalMilliseconds), ("$seq", seq));
                leased.Add(new LeasedMessage(message, token, attempts + 1));
            }
            transaction.Commit();
            return leased;
        }

        /// <remarks>The id is remembered for <see cref="DeliveredMemory"/>; older ids are forgotten in the same transaction.</remarks>
        public Task<bool> CompleteAsync(LeasedMessage leased, CancellationToken cancellation) =>
            GroupCommitAsync(Durability.Ordered, async (connection, transaction) =>
            {
                var now = Now();
                var completed = await ExecuteAsync(connection, transaction, "DELETE FROM messages WHERE message_id = $id AND lease_token = $token", CancellationToken.None,
                    ("$id", leased.Message.MessageId), ("$token", leased.LeaseToken)) == 1;
                if (completed)
                {
                    await ExecuteAsync(connection, transaction, "INSERT OR REPLACE INTO delivered (message_id, at) VALUES ($id, $now)", CancellationToken.None, ("$id", leased.Message.MessageId), ("$now", now));
                    await ExecuteAsync(connection, transaction, "DELETE FROM delivered WHERE at <= $forgotten", CancellationToken.None, ("$forgotten", now - (long)DeliveredMemory.TotalMilliseconds));
                }
                return completed;
            }, cancellation);

        public Task AbandonAsync(LeasedMessage leased, TimeSpan retryAfter, CancellationToken cancellation) =>
            GroupCommitAsync(Durability.Ordered, (connection, transaction) => ExecuteAsync(connection, transaction, """
                UPDATE messages SET lease_token = NULL, lease_until = NULL, visible_at = $visible WHERE message_id = $id AND lease_token = $token
                """, CancellationToken.None, ("$visible", Now() + (long)retryAfter.TotalMilliseconds), ("$id", leased.Message.MessageId), ("$token", leased.LeaseToken)), cancellation);

        public Task DeadLetterAsync(LeasedMessage leased, string reason, CancellationToken cancellation) =>
            GroupCommitAsync(Durability.Ordered, async (connection, transaction) =>
            {
                var moved = await ExecuteAsync(connection, transaction, """
                    INSERT OR REPLACE INTO dead_letters (message_id, kind, ordering_key, body, received_at, correlation_id, attempts, reason, dead_lettered_at)
                    SELECT message_id, kind, ordering_key, body, received_at, correlation_id, attempts, $reason, $at FROM messages
                    WHERE message_id = $id AND lease_token = $token
                    """, CancellationToken.None, ("$reason", reason), ("$at", _clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture)),
                    ("$id", leased.Message.MessageId), ("$token", leased.LeaseToken));
                if (moved == 1)
                {
                    await ExecuteAsync(connection, transaction, "DELETE FROM messages WHERE message_id = $id", CancellationToken.None, ("$id", leased.Message.MessageId));
                }
                return moved;
            }, cancellation);

        public async Task<int> DepthAsync(CancellationToken cancellation)
        {
            await using var connection = Open();
            await using var command = Command(connection, null, "SELECT COUNT(*) FROM messages");
            return Convert.ToInt32(await command.ExecuteScalarAsync(cancellation), CultureInfo.InvariantCulture);
        }

        public async Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(CancellationToken cancellation)
        {
            await using var connection = Open();
            await using var command = Command(connection, null, """
                SELECT message_id, kind, ordering_key, body, received_at, correlation_id, attempts, reason, dead_lettered_at
                FROM dead_letters ORDER BY dead_lettered_at, message_id
                """);
            await using var reader = await command.ExecuteReaderAsync(cancellation);
            var letters = new List<DeadLetter>();
            while (await reader.ReadAsync(cancellation))
            {
                letters.Add(new DeadLetter(Read(reader, 0), reader.GetInt32(6), reader.GetString(7), DateTimeOffset.Parse(reader.GetString(8), CultureInfo.InvariantCulture)));
            }
            return letters;
        }

        public async Task<bool> ReplayAsync(string messageId, CancellationToken cancellation)
        {
            using var writing = await WriterAsync(cancellation);
            await using var connection = Open(Durability.Ordered);
            await using var transaction = connection.BeginTransaction();
            var moved = await ExecuteAsync(connection, transaction, """
                INSERT OR IGNORE INTO messages (message_id, kind, ordering_key, body, received_at, correlation_id, visible_at)
                SELECT message_id, kind, ordering_key, body, received_at, correlation_id, 0 FROM dead_letters WHERE message_id = $id
                """, cancellation, ("$id", messageId));
            if (moved == 1)
            {
                // Deleted only once it is back in the queue: a message of the same id already queued keeps the dead letter.
                await ExecuteAsync(connection, transaction, "DELETE FROM dead_letters WHERE message_id = $id", cancellation, ("$id", messageId));
            }
            transaction.Commit();
            return moved == 1;
        }

        public async Task<int> PurgeDeadLettersAsync(CancellationToken cancellation)
        {
            using var writing = await WriterAsync(cancellation);
            await using var connection = Open(Durability.Ordered);
            return await ExecuteAsync(connection, null, "DELETE FROM dead_letters", cancellation);
        }

        /// <summary>A named value kept in the same file, written in one statement (the event poller's cursor).</summary>
        public async Task<string?> ReadCursorAsync(string name, CancellationToken cancellation)
        {
            await using var connection = Open();
            await using var command = Command(connection, null, "SELECT value FROM cursors WHERE name = $name", ("$name", name));
            return await command.ExecuteScalarAsync(cancellation) as string;
        }

        public async Task WriteCursorAsync(string name, string value, CancellationToken cancellation)
        {
            using var writing = await WriterAsync(cancellation);
            await using var connection = Open(Durability.Ordered);
            await ExecuteAsync(connection, null, "INSERT OR REPLACE INTO cursors (name, value) VALUES ($name, $value)", cancellation, ("$name", name), ("$value", value));
        }

        /// <summary>The files a queue at <paramref name="path"/> consists of that exist now: the database and its write-ahead log and index.</summary>
        public static IReadOnlyList<string> FilesOf(string path) =>
            new[] { path, path + "-wal", path + "-shm", path + "-journal" }.Where(File.Exists).ToList();

        /// <summary>Deletes a queue's files (a queue no process has open).</summary>
        public static void DeleteFiles(string path)
        {
            // Pooled connections would keep a deleted file alive for the next queue opened at the same path.
            SqliteConnection.ClearAllPools();
            foreach (var file in FilesOf(path))
            {
                File.Delete(file);
            }
        }

        private long Now() => _clock.GetUtcNow().ToUnixTimeMilliseconds();
    }
}
