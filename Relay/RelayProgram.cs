using System;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OneKosmos.Core.BlockId;
using OneKosmos.Core.Verification;
using OneKosmos.Relay.Polling;
using Org.BouncyCastle.Security;
using OneKosmos.Relay.Dispatch;
using OneKosmos.Relay.Ingress;
using OneKosmos.Relay.Queue;

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
                return await DeadLetterCommands.RunAsync(RelaySettings.Queue(builder.Configuration), args.Skip(1).ToArray());
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
            builder.Services.AddSingleton(settings.Loops);
            builder.Services.AddSingleton<RelayHealth>();
            builder.Services.AddSingleton<RelayMetrics>();
            builder.Services.AddSingleton(settings.Ingress);
            builder.Services.AddSingleton(settings.Dispatcher);
            builder.Services.AddSingleton(provider => new SqliteRelayQueue(settings.QueuePath, provider.GetRequiredService<TimeProvider>()));
            builder.Services.AddSingleton<ICursorStore>(provider => provider.GetRequiredService<SqliteRelayQueue>());
            // A host may bring its own queue (a measurement of the ingress without its disk write).
            builder.Services.TryAddSingleton<IRelayQueue>(provider => settings.ServiceBus is { } serviceBus
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
            var health = app.Services.GetRequiredService<RelayHealth>();
            await app.RunAsync(stopping);
            if (health.FatalReason is { } fatal)
            {
                Console.Error.WriteLine($"okos-relay stopped: {fatal}");
                return 3;
            }
            return 0;
        }
    }
}
