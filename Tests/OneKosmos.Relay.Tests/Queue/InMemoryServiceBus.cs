using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Azure.Messaging.ServiceBus;

namespace OneKosmos.Relay.Tests
{
    /// <summary>
    /// An in-memory Service Bus queue behind the SDK's own mocking seams (protected constructors, virtual members, the
    /// model factory), with the behaviour the relay relies on and the contract suite asserts: sessions with locks that
    /// expire, one session's messages in order, duplicate detection by message id, delivery counts, session state, and a
    /// dead-letter sub-queue with reason and description. What only a real namespace proves: the AMQP wire, lock timing
    /// under load, and duplicate detection across a real window — run the suite with OKOS_SERVICEBUS_CONNECTION for those.
    /// </summary>
    internal sealed class InMemoryServiceBus
    {
        private readonly object _gate = new();
        private readonly TimeProvider _clock;
        private readonly List<Stored> _active = new();
        private readonly List<Stored> _deadLetters = new();
        private readonly Dictionary<string, DateTimeOffset> _seenIds = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (object Holder, DateTimeOffset Until)> _sessionLocks = new(StringComparer.Ordinal);
        private readonly Dictionary<string, BinaryData?> _sessionStates = new(StringComparer.Ordinal);
        private long _sequence;

        public InMemoryServiceBus(TimeProvider clock, TimeSpan lockDuration)
        {
            _clock = clock;
            LockDuration = lockDuration;
        }

        public TimeSpan LockDuration { get; }

        /// <value>How long a message id is remembered for duplicate detection. Default 10 minutes, as Service Bus' default.</value>
        public TimeSpan DuplicateWindow { get; init; } = TimeSpan.FromMinutes(10);

        public ServiceBusClient Client() => new FakeClient(this);

        public int ActiveCount
        {
            get
            {
                lock (_gate)
                {
                    return _active.Count;
                }
            }
        }

        private sealed class Stored
        {
            public long Sequence { get; init; }

            public ServiceBusMessage Message { get; init; } = null!;

            public DateTimeOffset EnqueuedAt { get; init; }

            public int DeliveryCount { get; set; }

            public Guid LockToken { get; set; }

            public object? Holder { get; set; }

            public Dictionary<string, object> Properties { get; } = new();
        }

        private void Send(ServiceBusMessage message)
        {
            lock (_gate)
            {
                var now = _clock.GetUtcNow();
                if (_seenIds.TryGetValue(message.MessageId, out var seen) && now - seen < DuplicateWindow)
                {
                    return;
                }
                if (string.IsNullOrEmpty(message.SessionId))
                {
                    throw new InvalidOperationException("The queue requires sessions: every message needs a SessionId.");
                }
                _seenIds[message.MessageId] = now;
                var stored = new Stored { Sequence = ++_sequence, Message = message, EnqueuedAt = now };
                foreach (var pair in message.ApplicationProperties)
                {
                    stored.Properties[pair.Key] = pair.Value;
                }
                _active.Add(stored);
            }
        }

        private FakeSessionReceiver? AcceptNextSession()
        {
            lock (_gate)
            {
                var now = _clock.GetUtcNow();
                var session = _active.OrderBy(stored => stored.Sequence).Select(stored => stored.Message.SessionId)
                    .FirstOrDefault(id => !_sessionLocks.TryGetValue(id, out var held) || held.Until <= now);
                if (session is null)
                {
                    return null;
                }
                var receiver = new FakeSessionReceiver(this, session);
                _sessionLocks[session] = (receiver, now + LockDuration);
                return receiver;
            }
        }

        private void RequireLock(FakeSessionReceiver receiver)
        {
            if (!_sessionLocks.TryGetValue(receiver.SessionId, out var held) || held.Holder != receiver || held.Until <= _clock.GetUtcNow())
            {
                throw new ServiceBusException("The session lock was lost.", ServiceBusFailureReason.SessionLockLost);
            }
        }

        private ServiceBusReceivedMessage Received(Stored stored, int deliveryCount) =>
            ServiceBusModelFactory.ServiceBusReceivedMessage(
                body: stored.Message.Body,
                messageId: stored.Message.MessageId,
                sessionId: stored.Message.SessionId,
                contentType: stored.Message.ContentType,
                properties: new Dictionary<string, object>(stored.Properties),
                lockTokenGuid: stored.LockToken,
                deliveryCount: deliveryCount,
                lockedUntil: _clock.GetUtcNow() + LockDuration,
                sequenceNumber: stored.Sequence,
                enqueuedTime: stored.EnqueuedAt);

        private sealed class FakeClient(InMemoryServiceBus bus) : ServiceBusClient
        {
            public override ServiceBusSender CreateSender(string queueOrTopicName) => new FakeSender(bus);

            public override Task<ServiceBusSessionReceiver> AcceptNextSessionAsync(string queueName, ServiceBusSessionReceiverOptions? options = null, CancellationToken cancellationToken = default) =>
                bus.AcceptNextSession() is { } receiver
                    ? Task.FromResult<ServiceBusSessionReceiver>(receiver)
                    : Task.FromException<ServiceBusSessionReceiver>(new ServiceBusException("No session is available.", ServiceBusFailureReason.ServiceTimeout));

            public override ServiceBusReceiver CreateReceiver(string queueName, ServiceBusReceiverOptions options) =>
                options.SubQueue == SubQueue.DeadLetter ? new FakeDeadLetterReceiver(bus) : throw new NotSupportedException("The relay receives from sessions only.");

            public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }

        private sealed class FakeSender(InMemoryServiceBus bus) : ServiceBusSender
        {
            public override Task SendMessageAsync(ServiceBusMessage message, CancellationToken cancellationToken = default)
            {
                bus.Send(message);
                return Task.CompletedTask;
            }

            public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }

        private sealed class FakeSessionReceiver(InMemoryServiceBus bus, string sessionId) : ServiceBusSessionReceiver
        {
            public override string SessionId => sessionId;

            public override Task<IReadOnlyList<ServiceBusReceivedMessage>> ReceiveMessagesAsync(int maxMessages, TimeSpan? maxWaitTime = null, CancellationToken cancellationToken = default)
            {
                lock (bus._gate)
                {
                    bus.RequireLock(this);
                    var messages = bus._active.Where(stored => stored.Message.SessionId == sessionId && stored.Holder != this)
                        .OrderBy(stored => stored.Sequence).Take(maxMessages).ToList();
                    foreach (var stored in messages)
                    {
                        stored.Holder = this;
                        stored.LockToken = Guid.NewGuid();
                        stored.DeliveryCount++;
                    }
                    return Task.FromResult<IReadOnlyList<ServiceBusReceivedMessage>>(messages.Select(stored => bus.Received(stored, stored.DeliveryCount)).ToList());
                }
            }

            public override Task CompleteMessageAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default) =>
                Settle(message, stored => bus._active.Remove(stored));

            public override Task AbandonMessageAsync(ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = null, CancellationToken cancellationToken = default) =>
                Settle(message, stored => stored.Holder = null);

            public override Task DeadLetterMessageAsync(ServiceBusReceivedMessage message, string deadLetterReason, string? deadLetterErrorDescription = null, CancellationToken cancellationToken = default) =>
                Settle(message, stored =>
                {
                    bus._active.Remove(stored);
                    stored.Holder = null;
                    stored.Properties["DeadLetterReason"] = deadLetterReason;
                    stored.Properties["DeadLetterErrorDescription"] = deadLetterErrorDescription ?? "";
                    bus._deadLetters.Add(stored);
                });

            public override Task<BinaryData> GetSessionStateAsync(CancellationToken cancellationToken = default)
            {
                lock (bus._gate)
                {
                    bus.RequireLock(this);
                    return Task.FromResult(bus._sessionStates.TryGetValue(sessionId, out var state) ? state! : null!);
                }
            }

            public override Task SetSessionStateAsync(BinaryData? sessionState, CancellationToken cancellationToken = default)
            {
                lock (bus._gate)
                {
                    bus.RequireLock(this);
                    bus._sessionStates[sessionId] = sessionState;
                    return Task.CompletedTask;
                }
            }

            public override Task RenewSessionLockAsync(CancellationToken cancellationToken = default)
            {
                lock (bus._gate)
                {
                    bus.RequireLock(this);
                    bus._sessionLocks[sessionId] = (this, bus._clock.GetUtcNow() + bus.LockDuration);
                    return Task.CompletedTask;
                }
            }

            public override ValueTask DisposeAsync()
            {
                lock (bus._gate)
                {
                    foreach (var stored in bus._active.Where(stored => stored.Holder == this))
                    {
                        stored.Holder = null;
                    }
                    if (bus._sessionLocks.TryGetValue(sessionId, out var held) && held.Holder == this)
                    {
                        bus._sessionLocks.Remove(sessionId);
                    }
                }
                return ValueTask.CompletedTask;
            }

            private Task Settle(ServiceBusReceivedMessage message, Action<Stored> settle)
            {
                lock (bus._gate)
                {
                    bus.RequireLock(this);
                    var stored = bus._active.FirstOrDefault(candidate => candidate.Holder == this && candidate.LockToken.ToString() == message.LockToken)
                        ?? throw new ServiceBusException("The message lock was lost.", ServiceBusFailureReason.MessageLockLost);
                    settle(stored);
                    return Task.CompletedTask;
                }
            }
        }

        private sealed class FakeDeadLetterReceiver(InMemoryServiceBus bus) : ServiceBusReceiver
        {
            public override Task<IReadOnlyList<ServiceBusReceivedMessage>> PeekMessagesAsync(int maxMessages, long? fromSequenceNumber = null, CancellationToken cancellationToken = default)
            {
                lock (bus._gate)
                {
                    return Task.FromResult<IReadOnlyList<ServiceBusReceivedMessage>>(bus._deadLetters.Where(stored => stored.Sequence >= (fromSequenceNumber ?? 0))
                        .OrderBy(stored => stored.Sequence).Take(maxMessages).Select(stored => bus.Received(stored, stored.DeliveryCount)).ToList());
                }
            }

            public override Task<IReadOnlyList<ServiceBusReceivedMessage>> ReceiveMessagesAsync(int maxMessages, TimeSpan? maxWaitTime = null, CancellationToken cancellationToken = default)
            {
                lock (bus._gate)
                {
                    var messages = bus._deadLetters.Where(stored => stored.Holder is null).OrderBy(stored => stored.Sequence).Take(maxMessages).ToList();
                    foreach (var stored in messages)
                    {
                        stored.Holder = this;
                        stored.LockToken = Guid.NewGuid();
                    }
                    return Task.FromResult<IReadOnlyList<ServiceBusReceivedMessage>>(messages.Select(stored => bus.Received(stored, stored.DeliveryCount)).ToList());
                }
            }

            public override Task CompleteMessageAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default)
            {
                lock (bus._gate)
                {
                    bus._deadLetters.RemoveAll(stored => stored.Holder == this && stored.LockToken.ToString() == message.LockToken);
                    return Task.CompletedTask;
                }
            }

            public override Task AbandonMessageAsync(ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = null, CancellationToken cancellationToken = default)
            {
                lock (bus._gate)
                {
                    foreach (var stored in bus._deadLetters.Where(stored => stored.LockToken.ToString() == message.LockToken))
                    {
                        stored.Holder = null;
                    }
                    return Task.CompletedTask;
                }
            }

            public override ValueTask DisposeAsync()
            {
                lock (bus._gate)
                {
                    foreach (var stored in bus._deadLetters.Where(stored => stored.Holder == this))
                    {
                        stored.Holder = null;
                    }
                }
                return ValueTask.CompletedTask;
            }
        }
    }
}
