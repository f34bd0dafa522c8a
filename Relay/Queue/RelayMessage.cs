using System;

namespace OneKosmos.Relay.Queue
{
    /// <summary>What the dispatcher does with a message.</summary>
    public enum MessageKind
    {
        /// <summary>A notification for okos_ProcessVerificationCallback.</summary>
        Callback,
        /// <summary>A reconcile notification: the dispatcher calls okos_ReconcileVerifications instead.</summary>
        Reconcile,
        /// <summary>
        /// Something the relay received but could not read (a hostile or malformed feed item): the dispatcher dead-letters it
        /// with the reason its body gives, without calling Dataverse, so an operator can see it and nothing is silently dropped.
        /// </summary>
        Unreadable,
    }

    /// <summary>
    /// One notification on its way to Dataverse: the raw body as received, never re-serialised. <c>MessageId</c> is the stable
    /// id (webhook-id), the same on every attempt and the idempotency key downstream; <c>OrderingKey</c> is the 1Kosmos session it
    /// is about, and messages with the same key are delivered in order.
    /// </summary>
    public sealed record RelayMessage(string MessageId, MessageKind Kind, string? OrderingKey, string Body, DateTimeOffset ReceivedAt, string CorrelationId);

    /// <summary>A message handed to one dispatcher until it completes, abandons or dead-letters it, or the lease expires.</summary>
    public sealed record LeasedMessage(RelayMessage Message, string LeaseToken, int Attempt);

    /// <summary>A message the relay gave up on, with why.</summary>
    public sealed record DeadLetter(RelayMessage Message, int Attempts, string Reason, DateTimeOffset DeadLetteredAt);
}
