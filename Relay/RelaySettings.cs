using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.Extensions.Configuration;
using OneKosmos.Core.Callbacks;
using OneKosmos.Relay.Polling;
using OneKosmos.Relay.Dispatch;
using OneKosmos.Relay.Ingress;
using OneKosmos.Relay.Queue;

namespace OneKosmos.Relay
{
    /// <summary>The relay's configuration, validated before anything starts so a mistake stops it with a clear message.</summary>
    public sealed class RelaySettings
    {
        public string Role { get; private init; } = "all";

        public string QueuePath { get; private init; } = "";

        /// <value>Relay:Loops: how the poller and the dispatcher back off and when they give up.</value>
        public LoopOptions Loops { get; private init; } = new();

        public IngressOptions Ingress { get; private init; } = new();

        public DispatcherOptions Dispatcher { get; private init; } = new();

        public DataverseOptions? Dataverse { get; private init; }

        public PollerOptions Poller { get; private init; } = new();

        /// <value>Set when Relay:Queue:Mode is ServiceBus; null for the embedded SQLite queue.</value>
        public ServiceBusOptions? ServiceBus { get; private init; }

        /// <exception cref="InvalidOperationException">A setting is missing or wrong; the message names it.</exception>
        /// <remarks><paramref name="tokenSourceGiven"/>: the host registered its own token source (the local sandbox), so no Entra ID sign-in is configured.</remarks>
        public static RelaySettings Read(IConfiguration configuration, bool tokenSourceGiven = false)
        {
            var relay = configuration.GetSection("Relay");
            var role = configuration["role"] ?? relay["Role"] ?? "all";
            if (role is not ("all" or "ingress" or "dispatcher" or "poller"))
            {
                throw new InvalidOperationException($"--role is '{role}': use all, ingress, dispatcher or poller.");
            }
            var ingress = relay.GetSection("Ingress").Get<IngressOptions>() ?? new IngressOptions();
            var dispatcher = relay.GetSection("Dispatcher").Get<DispatcherOptions>() ?? new DispatcherOptions();
            var dataverse = relay.GetSection("Dataverse").Get<DataverseOptions>();
            var poller = relay.GetSection("BlockId").Get<PollerOptions>() ?? new PollerOptions();
            var problems = new List<string>();
            var mode = relay["Queue:Mode"] ?? "Sqlite";
            ServiceBusOptions? serviceBus = null;
            if (mode == "ServiceBus")
            {
                serviceBus = relay.GetSection("ServiceBus").Get<ServiceBusOptions>() ?? new ServiceBusOptions();
                if (string.IsNullOrEmpty(serviceBus.ConnectionString) || string.IsNullOrEmpty(serviceBus.QueueName))
                {
                    problems.Add("Relay:Queue:Mode is ServiceBus: set Relay:ServiceBus:ConnectionString (from Key Vault or the environment) and Relay:ServiceBus:QueueName");
                }
            }
            else if (mode != "Sqlite")
            {
                problems.Add($"Relay:Queue:Mode is '{mode}': use Sqlite (default) or ServiceBus");
            }
            if (role == "poller" && !poller.IsConfigured)
            {
                problems.Add("the poller needs Relay:BlockId:TenantDns, Community and LicenseKey (set the key from the environment: Relay__BlockId__LicenseKey)");
            }
            if (role is "all" or "ingress" && (ingress.Secrets.Count == 0 || !ingress.Secrets.All(WebhookSignature.IsUsableSecret)))
            {
                problems.Add($"Relay:Ingress:Secrets must list the senders' whsec_ secrets, each base64 of at least {WebhookSignature.MinimumSecretBytes} random bytes");
            }
            if (role is "all" or "ingress" && ingress.EntraApiKeys.Any(key => (key ?? "").Trim().Length < MinEntraApiKeyLength))
            {
                problems.Add($"Relay:Ingress:EntraApiKeys must hold the 1Kosmos Connection's generated Entra Callback API Key (at least {MinEntraApiKeyLength} characters each)");
            }
            if (role is "all" or "dispatcher")
            {
                if (!WebhookSignature.IsUsableSecret(dispatcher.SigningSecret))
                {
                    problems.Add($"Relay:Dispatcher:SigningSecret must be the whsec_ secret of the 1Kosmos Connection's Callback Signing Secret (base64 of at least {WebhookSignature.MinimumSecretBytes} random bytes)");
                }
                if (dispatcher.Concurrency < 1 || dispatcher.MaxAttempts < 1)
                {
                    problems.Add("Relay:Dispatcher:Concurrency and MaxAttempts must be at least 1");
                }
                if (dispatcher.ServiceProtectionWindow <= TimeSpan.Zero)
                {
                    problems.Add("Relay:Dispatcher:ServiceProtectionWindow must be a positive time span (Dataverse's window is 00:05:00)");
                }
                if (dispatcher.Concurrency > DispatcherOptions.MaxConcurrency)
                {
                    problems.Add($"Relay:Dispatcher:Concurrency is {dispatcher.Concurrency}: Dataverse refuses one user more than {DispatcherOptions.MaxConcurrency} concurrent requests; use at most that (16 carries the most a relay needs)");
                }
                if (dataverse?.Url is not { Scheme: "https" })
                {
                    problems.Add("Relay:Dataverse:Url must be the environment's https:// URL");
                }
                if (!tokenSourceGiven && dataverse is not null && ((dataverse.OidcAuthority is null && string.IsNullOrEmpty(dataverse.TenantId)) || string.IsNullOrEmpty(dataverse.ClientId)
                    || (string.IsNullOrEmpty(dataverse.ClientSecret) && string.IsNullOrEmpty(dataverse.CertificatePath))))
                {
                    problems.Add("Relay:Dataverse needs TenantId (or OidcAuthority), ClientId and a ClientSecret or CertificatePath");
                }
            }
            if (problems.Count > 0)
            {
                throw new InvalidOperationException("the configuration is not valid: " + string.Join("; ", problems) + ".");
            }
            return new RelaySettings
            {
                Role = role,
                QueuePath = QueuePathOf(relay),
                Ingress = ingress,
                Dispatcher = dispatcher,
                Dataverse = dataverse,
                Poller = poller,
                ServiceBus = serviceBus,
                Loops = relay.GetSection("Loops").Get<LoopOptions>() ?? new LoopOptions(),
            };
        }

        /// <summary>The queue the configuration names, for the dead-letter commands: they need nothing else configured.</summary>
        public static IRelayQueue Queue(IConfiguration configuration)
        {
            var relay = configuration.GetSection("Relay");
            return relay["Queue:Mode"] == "ServiceBus"
                ? (relay.GetSection("ServiceBus").Get<ServiceBusOptions>() ?? new ServiceBusOptions()).Open(TimeProvider.System)
                : new SqliteRelayQueue(QueuePathOf(relay), TimeProvider.System);
        }

        /// <remarks>
        /// Relay:QueuePath, else relay-queue.db in Relay:DataFolder (default: the user's local application data, okos-relay),
        /// never the application's own folder, which a redeploy replaces. The container sets Relay:DataFolder to its volume.
        /// </remarks>
        private static string QueuePathOf(IConfiguration relay)
        {
            if (relay["QueuePath"] is { Length: > 0 } path)
            {
                return path;
            }
            var folder = relay["DataFolder"] is { Length: > 0 } data
                ? data
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "okos-relay");
            Directory.CreateDirectory(folder);
            return Path.Combine(folder, "relay-queue.db");
        }

        /// <value>An api-key shorter than this is a placeholder, not the key the connection generated (43 characters).</value>
        private const int MinEntraApiKeyLength = 24;

    }
}
