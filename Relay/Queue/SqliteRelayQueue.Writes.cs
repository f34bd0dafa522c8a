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
    /// <summary>How the embedded queue writes: one writer per process, group commit, and the SQL helpers.</summary>
    public sealed partial class SqliteRelayQueue
    {
        /// <summary>
        /// Group commit: the write joins whatever else waits to be written, and one flusher commits them all in one
        /// transaction (one disk flush). Every caller is answered after the commit, so "accepted" still means "on disk";
        /// when the commit fails, every write of the batch fails with it.
        /// </summary>
        /// <remarks>
        /// Only the flusher takes the writer lock, once a batch: callers never queue on it one by one (a chain of handoffs
        /// that serialised every write and left batches of one).
        /// </remarks>
        private async Task<T> GroupCommitAsync<T>(Durability durability, Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellation)
        {
            var write = new PendingWrite<T>(durability, work);
            _pending.Enqueue(write);
            if (Interlocked.CompareExchange(ref _flushing, 1, 0) == 0)
            {
                _ = Task.Run(FlushWhilePendingAsync, CancellationToken.None);
            }
            return await write.Completion.WaitAsync(cancellation);
        }

        private int _flushing;

        /// <summary>Commits batches until nothing waits; then lets the next write start a flusher again.</summary>
        private async Task FlushWhilePendingAsync()
        {
            do
            {
                using (await WriterAsync(CancellationToken.None))
                {
                    await FlushAsync();
                }
                Volatile.Write(ref _flushing, 0);
            }
            while (!_pending.IsEmpty && Interlocked.CompareExchange(ref _flushing, 1, 0) == 0);
        }

        private async Task FlushAsync()
        {
            var batch = new List<PendingWrite>();
            while (_pending.TryDequeue(out var next))
            {
                batch.Add(next);
            }
            try
            {
                await using var connection = Open(batch.Any(write => write.Durability == Durability.Flushed) ? Durability.Flushed : Durability.Ordered);
                await using var transaction = connection.BeginTransaction();
                foreach (var write in batch)
                {
                    await write.RunAsync(connection, transaction);
                }
                transaction.Commit();
                batch.ForEach(write => write.Succeed());
            }
            catch (Exception problem)
            {
                // Nothing of the batch is on disk: every caller hears it, and retries (the ingress answers 5xx, the dispatcher backs off).
                batch.ForEach(write => write.Fail(problem));
            }
        }

        private readonly System.Collections.Concurrent.ConcurrentQueue<PendingWrite> _pending = new();

        /// <summary>What a commit waits for (SQLite's synchronous setting, per connection, in WAL mode).</summary>
        private enum Durability
        {
            /// <summary>
            /// Written in order and kept through a crash of the relay, though a power loss may take back the last ones: for
            /// leases, completions, retries and dead letters, whose loss only means a message is delivered again (the callback
            /// API answers Duplicate). A later flushed commit makes them durable too. (synchronous = NORMAL)
            /// </summary>
            Ordered,

            /// <summary>On disk before the commit returns: for an enqueue, which the ingress answers 202 only after. (synchronous = FULL)</summary>
            Flushed,
        }

        private abstract class PendingWrite(Durability durability)
        {
            public Durability Durability { get; } = durability;

            public abstract bool IsDone { get; }

            public abstract Task RunAsync(SqliteConnection connection, SqliteTransaction transaction);

            public abstract void Succeed();

            public abstract void Fail(Exception problem);
        }

        private sealed class PendingWrite<T>(Durability durability, Func<SqliteConnection, SqliteTransaction, Task<T>> work) : PendingWrite(durability)
        {
            private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
            private T _result = default!;

            public Task<T> Completion => _done.Task;

            public override bool IsDone => _done.Task.IsCompleted;

            public override async Task RunAsync(SqliteConnection connection, SqliteTransaction transaction) => _result = await work(connection, transaction);

            public override void Succeed() => _done.TrySetResult(_result);

            public override void Fail(Exception problem) => _done.TrySetException(problem);
        }

        /// <summary>
        /// One writer at a time in this process. SQLite allows only one anyway; letting them collide costs a busy retry that
        /// waits far longer than the write (the deliveries of one dispatch round complete at once).
        /// </summary>
        private async Task<Writing> WriterAsync(CancellationToken cancellation)
        {
            await _writer.WaitAsync(cancellation);
            return new Writing(_writer);
        }

        private readonly SemaphoreSlim _writer = new(1, 1);

        private readonly struct Writing(SemaphoreSlim writer) : IDisposable
        {
            public void Dispose() => writer.Release();
        }

        /// <remarks>A pooled connection keeps its last synchronous setting: every writer sets the one it needs.</remarks>
        private SqliteConnection Open(Durability? durability = null)
        {
            var connection = new SqliteConnection(_connectionString);
            connection.Open();
            if (durability is { } wanted)
            {
                Execute(connection, null, wanted == Durability.Flushed ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
            }
            return connection;
        }

        private static RelayMessage Read(SqliteDataReader reader, int first) =>
            new(
                reader.GetString(first),
                (MessageKind)reader.GetInt32(first + 1),
                reader.IsDBNull(first + 2) ? null : reader.GetString(first + 2),
                reader.GetString(first + 3),
                DateTimeOffset.Parse(reader.GetString(first + 4), CultureInfo.InvariantCulture),
                reader.GetString(first + 5));

        private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = transaction;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }
            return command;
        }

        private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
        {
            using var command = Command(connection, transaction, sql);
            command.ExecuteNonQuery();
        }

        private static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellation, params (string Name, object? Value)[] parameters)
        {
            await using var command = Command(connection, transaction, sql, parameters);
            return await command.ExecuteNonQueryAsync(cancellation);
        }
    }
}
