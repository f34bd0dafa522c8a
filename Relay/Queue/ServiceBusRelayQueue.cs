using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Azure.Messaging.ServiceBus;

namespace OneKosmos.Relay.Queue
{
    /// <summary>
    /// The queue at scale: an Azure Service Bus queue with sessions (session id = the 1Kosmos session, so one session's
    /// notifications stay in order while different sessions go in parallel) and duplicate detection (Service Bus message
    /// id = the notification id). A lease is a session lock, renewed while the delivery runs; a retry waits by writing its
    /// time into the session state; dead letters go to the queue's dead-letter sub-queue with reason and description.
    /// </summary>
    /// <remarks>
    /// The queue must be created with sessions and duplicate detection enabled, and a max delivery count above the
    /// dispatcher's MaxAttempts (so the dispatcher, not Service Bus, decides when to give up).
    /// </remarks>
    public sealed partial class ServiceBusRelayQueue : IRelayQueue, IAsyncDisposable
    {
        /// <value>The session of notifications about no session (reconcile): they are delivered one at a time, in order.</value>
        public const string NoSession = "okos-no-session";

        private const string IdProperty = "okos-message-id";
        private const string KindProperty = "okos-kind";
        private const string CorrelationProperty = "okos-correlation-id";
        private const string ReceivedProperty = "okos-received-at";
        private const string RetryAtState = "retry-at:";

        /// <value>How long a lease waits for a session with work before reporting none. Default 1 s: the dispatcher polls again.</value>
        public static readonly TimeSpan AcceptWait = TimeSpan.FromSeconds(1);

        private readonly ServiceBusClient _client;
        private readonly ServiceBusSender _sender;
        private readonly string _queue;
        private readonly TimeProvider _clock;
        private readonly Func<CancellationToken, Task<int>> _depth;
        private readonly ConcurrentDictionary<string, Lease> _leases = new(StringComparer.Ordinal);

        /// <param name="client">The namespace connection.</param>
        /// <param name="queue">The session-enabled queue.</param>
        /// <param name="clock">Time, for retry waits.</param>
        /// <param name="depth">How many messages wait (the administration client's active message count).</param>
        public ServiceBusRelayQueue(ServiceBusClient client, string queue, TimeProvider clock, Func<CancellationToken, Task<int>> depth)
        {
            _client = client;
            _queue = queue;
            _clock = clock;
            _depth = depth;
            _sender = client.CreateSender(queue);
        }

        /// <remarks>Service Bus drops a message id it saw within its duplicate-detection window, without telling: always true.</remarks>
        public async Task<bool> EnqueueAsync(RelayMessage message, CancellationToken cancellation)
        {
            await _sender.SendMessageAsync(ToServiceBus(message, message.MessageId), cancellation);
            return true;
        }

        public async Task<IReadOnlyList<LeasedMessage>> LeaseAsync(int maximum, TimeSpan leaseFor, CancellationToken cancellation)
        {
            var leased = new List<LeasedMessage>();
            for (var tries = 0; leased.Count < maximum && tries < maximum * 2; tries++)
            {
                var receiver = await AcceptNextSessionAsync(cancellation);
                if (receiver is null)
                {
                    break;
                }
                if (await RetryAtAsync(receiver, cancellation) is { } retryAt && retryAt > _clock.GetUtcNow())
                {
                    await receiver.DisposeAsync();
                    continue;
                }
                var messages = await receiver.ReceiveMessagesAsync(1, AcceptWait, cancellation);
                if (messages.Count == 0)
                {
                    await receiver.DisposeAsync();
                    continue;
                }
                var message = messages[0];
                var lease = new Lease(receiver, message, leaseFor);
                _leases[message.LockToken] = lease;
                leased.Add(new LeasedMessage(FromServiceBus(message), message.LockToken, message.DeliveryCount));
            }
            return leased;
        }

        public async Task<bool> CompleteAsync(LeasedMessage leased, CancellationToken cancellation)
        {
            if (!_leases.TryRemove(leased.LeaseToken, out var lease))
            {
                return false;
            }
            await using (lease)
            {
                try
                {
                    await lease.Receiver.SetSessionStateAsync(null, cancellation);
                    await lease.Receiver.CompleteMessageAsync(lease.Message, cancellation);
                    return true;
                }
                catch (ServiceBusException exception) when (exception.Reason is ServiceBusFailureReason.MessageLockLost or ServiceBusFailureReason.SessionLockLost)
                {
                    return false;
                }
            }
        }

        public async Task AbandonAsync(LeasedMessage leased, TimeSpan retryAfter, CancellationToken cancellation)
        {
            if (!_leases.TryRemove(leased.LeaseToken, out var lease))
            {
                return;
            }
            await using (lease)
            {
                try
                {
                    var retryAt = _clock.GetUtcNow() + retryAfter;
                    await lease.Receiver.SetSessionStateAsync(new BinaryData(RetryAtState + retryAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)), cancellation);
                    await lease.Receiver.AbandonMessageAsync(lease.Message, cancellationToken: cancellation);
                }
                catch (ServiceBusException exception) when (exception.Reason is ServiceBusFailureReason.MessageLockLost or ServiceBusFailureReason.SessionLockLost)
                {
                    // The lock expired: Service Bus hands the message out again by itself.
                }
            }
        }

        public async Task DeadLetterAsync(LeasedMessage leased, string reason, CancellationToken cancellation)
        {
            if (!_leases.TryRemove(leased.LeaseToken, out var lease))
            {
                return;
            }
            await using (lease)
            {
                try
                {
                    await lease.Receiver.SetSessionStateAsync(null, cancellation);
                    var kind = reason.Split(':')[0];
                    await lease.Receiver.DeadLetterMessageAsync(lease.Message, kind, reason, cancellation);
                }
                catch (ServiceBusException exception) when (exception.Reason is ServiceBusFailureReason.MessageLockLost or ServiceBusFailureReason.SessionLockLost)
                {
                    // Another delivery holds it now and decides.
                }
            }
        }

        public Task<int> DepthAsync(CancellationToken cancellation) => _depth(cancellation);

        public async Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(CancellationToken cancellation)
        {
            await using var receiver = DeadLetterReceiver();
            var letters = new List<DeadLetter>();
            long? from = null;
            while (true)
            {
                var page = await receiver.PeekMessagesAsync(100, from, cancellation);
                if (page.Count == 0)
                {
                    return letters;
                }
                letters.AddRange(page.Select(message => new DeadLetter(FromServiceBus(message), message.DeliveryCount, message.DeadLetterErrorDescription ?? message.DeadLetterReason ?? "", message.EnqueuedTime)));
                from = page[^1].SequenceNumber + 1;
            }
        }

        /// <remarks>The replayed copy gets a new Service Bus message id (duplicate detection would drop the old one) and keeps the notification's id.</remarks>
        public async Task<bool> ReplayAsync(string messageId, CancellationToken cancellation)
        {
            await using var receiver = DeadLetterReceiver();
            foreach (var message in await receiver.ReceiveMessagesAsync(100, AcceptWait, cancellation))
            {
                if (FromServiceBus(message).MessageId != messageId)
                {
                    await receiver.AbandonMessageAsync(message, cancellationToken: cancellation);
                    continue;
                }
                await _sender.SendMessageAsync(ToServiceBus(FromServiceBus(message), $"{messageId}~replay~{Guid.NewGuid():N}"), cancellation);
                await receiver.CompleteMessageAsync(message, cancellation);
                return true;
            }
            return false;
        }

        public async Task<int> PurgeDeadLettersAsync(CancellationToken cancellation)
        {
            await using var receiver = DeadLetterReceiver();
            var purged = 0;
            while (await receiver.ReceiveMessagesAsync(100, AcceptWait, cancellation) is { Count: > 0 } batch)
            {
                foreach (var message in batch)
                {
                    await receiver.CompleteMessageAsync(message, cancellation);
                    purged++;
                }
            }
            return purged;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var lease in _leases.Values)
            {
                await lease.DisposeAsync();
            }
            await _sender.DisposeAsync();
        }

        private async Task<ServiceBusSessionReceiver?> AcceptNextSessionAsync(CancellationToken cancellation)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            wait.CancelAfter(AcceptWait);
            try
            {
                return await _client.AcceptNextSessionAsync(_queue, new ServiceBusSessionReceiverOptions { ReceiveMode = ServiceBusReceiveMode.PeekLock }, wait.Token);
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                return null;
            }
            catch (ServiceBusException exception) when (exception.Reason == ServiceBusFailureReason.ServiceTimeout)
            {
                return null;
            }
        }

        private static async Task<DateTimeOffset?> RetryAtAsync(ServiceBusSessionReceiver receiver, CancellationToken cancellation)
        {
            var state = (await receiver.GetSessionStateAsync(cancellation))?.ToString();
            return state is not null && state.StartsWith(RetryAtState, StringComparison.Ordinal)
                && long.TryParse(state[RetryAtState.Length..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var at)
                ? DateTimeOffset.FromUnixTimeMilliseconds(at)
                : null;
        }

        private ServiceBusReceiver DeadLetterReceiver() =>
            _client.CreateReceiver(_queue, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter, ReceiveMode = ServiceBusReceiveMode.PeekLock });

        private static ServiceBusMessage ToServiceBus(RelayMessage message, string serviceBusId) =>
            new(message.Body)
            {
                MessageId = serviceBusId,
                SessionId = message.OrderingKey ?? NoSession,
                ContentType = "application/json",
                ApplicationProperties =
                {
                    [IdProperty] = message.MessageId,
                    [KindProperty] = (int)message.Kind,
                    [CorrelationProperty] = message.CorrelationId,
                    [ReceivedProperty] = message.ReceivedAt.ToString("O", CultureInfo.InvariantCulture),
                },
            };

        private static RelayMessage FromServiceBus(ServiceBusReceivedMessage message)
        {
            var properties = message.ApplicationProperties;
            return new RelayMessage(
                properties.TryGetValue(IdProperty, out var id) ? (string)id : message.MessageId,
                properties.TryGetValue(KindProperty, out var kind) ? (MessageKind)Convert.ToInt32(kind, CultureInfo.InvariantCulture) : MessageKind.Callback,
                message.SessionId == NoSession ? null : message.SessionId,
                message.Body.ToString(),
                properties.TryGetValue(ReceivedProperty, out var received) ? DateTimeOffset.Parse((string)received, CultureInfo.InvariantCulture) : message.EnqueuedTime,
                properties.TryGetValue(CorrelationProperty, out var correlation) ? (string)correlation : "");
        }
    }
}
