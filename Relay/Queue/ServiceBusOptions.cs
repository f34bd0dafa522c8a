using System;
using Azure.Messaging.ServiceBus;
using Azure.Messaging.ServiceBus.Administration;

namespace OneKosmos.Relay.Queue
{
    /// <summary>The Service Bus queue; bound from <c>Relay:ServiceBus</c>.</summary>
    public sealed class ServiceBusOptions
    {
        public string ConnectionString { get; set; } = "";

        /// <value>A queue with sessions and duplicate detection enabled, and a max delivery count above Relay:Dispatcher:MaxAttempts.</value>
        public string QueueName { get; set; } = "";

        /// <exception cref="InvalidOperationException">The connection string or queue name is missing.</exception>
        public IRelayQueue Open(TimeProvider clock)
        {
            if (string.IsNullOrEmpty(ConnectionString) || string.IsNullOrEmpty(QueueName))
            {
                throw new InvalidOperationException("Relay:ServiceBus:ConnectionString and Relay:ServiceBus:QueueName are required when Relay:Queue:Mode is ServiceBus.");
            }
            var administration = new ServiceBusAdministrationClient(ConnectionString);
            return new ServiceBusRelayQueue(new ServiceBusClient(ConnectionString), QueueName, clock,
                async cancellation => (int)(await administration.GetQueueRuntimePropertiesAsync(QueueName, cancellation)).Value.ActiveMessageCount);
        }
    }
}
