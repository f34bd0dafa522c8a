using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OneKosmos.Core.BlockId;
using OneKosmos.Core.Callbacks;
using OneKosmos.Core.Verification;
using OneKosmos.Relay.Polling;
using Org.BouncyCastle.Security;
using OneKosmos.Relay.Dispatch;
using OneKosmos.Relay.Ingress;
using OneKosmos.Relay.Queue;
using Azure.Messaging.ServiceBus;
using Azure.Messaging.ServiceBus.Administration;

namespace OneKosmos.Relay
{
    /// <summary>
    /// <c>okos-relay [--role all|ingress|dispatcher|poller]</c> runs the relay; <c>okos-relay dead-letters list|replay ID|purge</c>
    /// looks after the dead letters. Configuration: appsettings.json, then environment variables (Relay__Dispatcher__SigningSecret …).
    /// </summary>
    public static class RelayProgram
    {
        public static async Task<int> RunAsync(string[] args, Action<WebApplicationBuilder>? configure = null, CancellationToken stopping = default)
        {
            var command = args.Length > 0 && args[0] == "dead-letters";
            var builder = WebApplication.CreateBuilder(command ? Array.Empty<string>() : args);
            configure?.Invoke(builder);
            if (command)
            {
                return await DeadLettersAsync(RelaySettings.Queue(builder.Configuration), args.Skip(1).ToArray());
            }
            RelaySettings settings;
            try
            {
                settings = RelaySettings.Read(builder.Configuration, builder.Services.Any(service => service.ServiceType == typeof(ITokenSource)));
            }
            catch (InvalidOperationException exception)
            {
                Console.Error.WriteLine($"okos-relay: {exception.Message}");
                return 2;
            }
            builder.Services.AddSingleton(TimeProvider.System);
            builder.Services.AddSingleton<RelayMetrics>();
            builder.Services.AddSingleton(settings.Ingress);
            builder.Services.AddSingleton(settings.Dispatcher);
            builder.Services.AddSingleton(provider => new SqliteRelayQueue(settings.QueuePath, provider.GetRequiredService<TimeProvider>()));
            builder.Services.AddSingleton<ICursorStore>(provider => provider.GetRequiredService<SqliteRelayQueue>());
            builder.Services.AddSingleton<IRelayQueue>(provider => settings.ServiceBus is { } serviceBus
                ? serviceBus.Open(provider.GetRequiredService<TimeProvider>())
                : provider.GetRequiredService<SqliteRelayQueue>());
            builder.Services.TryAddSingleton<ITokenSource>(_ => new MsalTokenSource(settings.Dataverse!));
            builder.Services.AddHttpClient<ICallbackApi, DataverseCallbackApi>((http, provider) =>
                new DataverseCallbackApi(http, settings.Dataverse!.Url, provider.GetRequiredService<ITokenSource>(), provider.GetRequiredService<TimeProvider>()));
            builder.Services.AddSingleton<Dispatcher>();
            if (settings.Role is "all" or "dispatcher")
            {
                builder.Services.AddHostedService<DispatcherService>();
            }
            if (settings.Role is "all" or "poller" && settings.Poller.IsConfigured)
            {
                builder.Services.AddSingleton(settings.Poller);
                builder.Services.AddHttpClient(EventPollerService.HttpClientName);
                builder.Services.AddSingleton(provider =>
                {
                    var http = provider.GetRequiredService<IHttpClientFactory>();
                    var keys = BlockIdKeyPair.Generate(new SecureRandom());
                    var directory = new TenantDirectory();
                    var connection = new BlockIdConnection(settings.Poller.TenantDns, settings.Poller.Community, settings.Poller.LicenseKey, settings.Poller.DvcId);
                    return new EventPoller(
                        () => new BlockIdClient(http.CreateClient(EventPollerService.HttpClientName), connection, keys, SystemClock.Instance, new SecureRandom(), directory),
                        provider.GetRequiredService<IRelayQueue>(), provider.GetRequiredService<ICursorStore>(), settings.Poller, provider.GetRequiredService<TimeProvider>(),
                        provider.GetRequiredService<RelayMetrics>(), provider.GetRequiredService<ILogger<EventPoller>>());
                });
                builder.Services.AddHostedService<EventPollerService>();
            }
            var app = builder.Build();
            if (settings.Role is "all" or "ingress")
            {
                app.MapRelayIngress();
            }
            await app.RunAsync(stopping);
            return 0;
        }

        private static async Task<int> DeadLettersAsync(IRelayQueue queue, string[] args)
        {
            switch (args.FirstOrDefault())
            {
                case "list":
                    foreach (var letter in await queue.DeadLettersAsync(CancellationToken.None))
                    {
                        Console.WriteLine($"{letter.Message.MessageId}\t{letter.DeadLetteredAt:u}\tattempts {letter.Attempts}\t{letter.Reason}");
                    }
                    return 0;
                case "replay" when args.Length == 2:
                    var replayed = await queue.ReplayAsync(args[1], CancellationToken.None);
                    Console.WriteLine(replayed ? $"{args[1]} is back in the queue." : $"No dead letter {args[1]}.");
                    return replayed ? 0 : 1;
                case "purge":
                    Console.WriteLine($"Deleted {await queue.PurgeDeadLettersAsync(CancellationToken.None)} dead letter(s).");
                    return 0;
                default:
                    Console.Error.WriteLine("usage: okos-relay dead-letters list | replay <message id> | purge");
                    return 2;
            }
        }
    }

    /// <summary>The relay's configuration, validated before anything starts so a mistake stops it with a clear message.</summary>
    public sealed class RelaySettings
    {
        public string Role { get; private init; } = "all";

        public string QueuePath { get; private init; } = "";

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
            if (role is "all" or "ingress" && (ingress.Secrets.Count == 0 || !ingress.Secrets.All(IsSecret)))
            {
                problems.Add("Relay:Ingress:Secrets must list the senders' whsec_ secrets");
            }
            if (role is "all" or "ingress" && ingress.EntraApiKeys.Any(key => (key ?? "").Trim().Length < MinEntraApiKeyLength))
            {
                problems.Add($"Relay:Ingress:EntraApiKeys must hold the 1Kosmos Connection's generated Entra Callback API Key (at least {MinEntraApiKeyLength} characters each)");
            }
            if (role is "all" or "dispatcher")
            {
                if (!IsSecret(dispatcher.SigningSecret))
                {
                    problems.Add("Relay:Dispatcher:SigningSecret must be the whsec_ secret of the 1Kosmos Connection's Callback Signing Secret");
                }
                if (dispatcher.Concurrency < 1 || dispatcher.MaxAttempts < 1)
                {
                    problems.Add("Relay:Dispatcher:Concurrency and MaxAttempts must be at least 1");
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

        private static string QueuePathOf(IConfiguration relay) =>
            relay["QueuePath"] is { Length: > 0 } path ? path : Path.Combine(AppContext.BaseDirectory, "relay-queue.db");

        /// <value>An api-key shorter than this is a placeholder, not the key the connection generated (43 characters).</value>
        private const int MinEntraApiKeyLength = 24;

        private static bool IsSecret(string? secret)
        {
            if (string.IsNullOrEmpty(secret))
            {
                return false;
            }
            try
            {
                WebhookSignature.Sign(secret, "check", 0, "");
                return true;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }
    }

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

    /// <summary>Polls the 1Kosmos events feed on its interval until the host stops.</summary>
    public sealed class EventPollerService : BackgroundService
    {
        public const string HttpClientName = "blockid";

        private readonly EventPoller _poller;
        private readonly PollerOptions _options;

        public EventPollerService(EventPoller poller, PollerOptions options)
        {
            _poller = poller;
            _options = options;
        }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await _poller.PollOnceAsync(stoppingToken);
                    await Task.Delay(_options.Interval, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Runs the dispatcher until the host stops.</summary>
    public sealed class DispatcherService : BackgroundService
    {
        private readonly Dispatcher _dispatcher;
        private readonly DispatcherOptions _options;
        private readonly ILogger<DispatcherService> _logger;

        public DispatcherService(Dispatcher dispatcher, DispatcherOptions options, ILogger<DispatcherService> logger)
        {
            _dispatcher = dispatcher;
            _options = options;
            _logger = logger;
        }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (await _dispatcher.DispatchOnceAsync(stoppingToken) == 0)
                    {
                        await Task.Delay(_options.IdleDelay, stoppingToken);
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception exception) when (exception is IOException or Microsoft.Data.Sqlite.SqliteException)
                {
                    _logger.LogError("The queue could not be read ({Error}); trying again shortly.", exception.Message);
                    await Task.Delay(_options.IdleDelay, stoppingToken);
                }
            }
        }
    }
}
