using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace OneKosmos.Relay.Queue
{
    /// <summary>
    /// The relay's durable queue: at-least-once, in order per ordering key, leases that expire so a crashed dispatcher's
    /// messages come back, and a dead-letter store with reasons. SQLite by default, Azure Service Bus at scale.
    /// </summary>
    public interface IRelayQueue
    {
        /// <summary>
        /// Stores the message durably before returning. A message id already queued, or delivered recently, is not stored
        /// again (false, where the queue can tell).
        /// </summary>
        Task<bool> EnqueueAsync(RelayMessage message, CancellationToken cancellation);

        /// <summary>
        /// Up to <paramref name="maximum"/> visible messages, each leased for <paramref name="leaseFor"/>; never a message whose
        /// ordering key has an earlier message not yet completed or dead-lettered.
        /// </summary>
        Task<IReadOnlyList<LeasedMessage>> LeaseAsync(int maximum, TimeSpan leaseFor, CancellationToken cancellation);

        /// <summary>Removes a delivered message. False when the lease was lost (expired and taken by another dispatcher).</summary>
        Task<bool> CompleteAsync(LeasedMessage leased, CancellationToken cancellation);

        /// <summary>Returns the message to the queue, invisible for <paramref name="retryAfter"/>, its attempt counted.</summary>
        Task AbandonAsync(LeasedMessage leased, TimeSpan retryAfter, CancellationToken cancellation);

        Task DeadLetterAsync(LeasedMessage leased, string reason, CancellationToken cancellation);

        Task<int> DepthAsync(CancellationToken cancellation);

        Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(CancellationToken cancellation);

        /// <summary>Puts a dead-lettered message back in the queue with a fresh attempt count; false when no such dead letter.</summary>
        Task<bool> ReplayAsync(string messageId, CancellationToken cancellation);

        /// <summary>Deletes every dead letter; returns how many.</summary>
        Task<int> PurgeDeadLettersAsync(CancellationToken cancellation);
    }

    /// <summary>Small named values that must survive restarts (the events poller's cursor).</summary>
    public interface ICursorStore
    {
        Task<string?> ReadCursorAsync(string name, CancellationToken cancellation);

        Task WriteCursorAsync(string name, string value, CancellationToken cancellation);
    }
}
