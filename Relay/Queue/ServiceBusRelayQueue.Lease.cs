using System;
using System.Threading;
using System.Threading.Tasks;
using Azure.Messaging.ServiceBus;

namespace OneKosmos.Relay.Queue
{
    public sealed partial class ServiceBusRelayQueue
    {
        /// <summary>A session lock held for one delivery, renewed every half lease until the delivery ends.</summary>
        private sealed class Lease : IAsyncDisposable
        {
            private readonly CancellationTokenSource _stop = new();
            private readonly Task _renewal;

            public Lease(ServiceBusSessionReceiver receiver, ServiceBusReceivedMessage message, TimeSpan leaseFor)
            {
                Receiver = receiver;
                Message = message;
                _renewal = RenewAsync(leaseFor / 2, _stop.Token);
            }

            public ServiceBusSessionReceiver Receiver { get; }

            public ServiceBusReceivedMessage Message { get; }

            public async ValueTask DisposeAsync()
            {
                _stop.Cancel();
                await _renewal;
                _stop.Dispose();
                await Receiver.DisposeAsync();
            }

            private async Task RenewAsync(TimeSpan every, CancellationToken stop)
            {
                try
                {
                    while (true)
                    {
                        await Task.Delay(every, stop);
                        await Receiver.RenewSessionLockAsync(stop);
                    }
                }
                catch (OperationCanceledException)
                {
                }
                catch (ServiceBusException)
                {
                    // A lost lock ends the lease: the completion fails and the message is delivered again.
                }
            }
        }
    }
}
