using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OneKosmos.Relay.Queue;
using OneKosmos.Sandbox.BlockId;
using OneKosmos.Sandbox.Host.Identity;
using OneKosmos.Sandbox.Host.Tls;
using IMsalHttpClientFactory = Microsoft.Identity.Client.IMsalHttpClientFactory;
using RelayDispatch = OneKosmos.Relay.Dispatch;
using RelayPoller = OneKosmos.Relay.EventPollerService;
using RelayProgram = OneKosmos.Relay.RelayProgram;

namespace OneKosmos.Sandbox.Host
{
    /// <summary>
    /// The relay as it runs in production (ingress, poller, dispatcher, SQLite queue, MSAL sign-in), in this process on a
    /// loopback port: trusting exactly the local certificate, reading the simulator's events feed, logging onto the
    /// environment's timeline and activity log. Its queue file is deleted when it stops.
    /// </summary>
    internal sealed class LocalRelay : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop;
        private readonly Task<int> _run;

        /// <value>How many loopback ports a start tries: another process may take a free port between its choice and the bind.</value>
        private const int PortAttempts = 5;

        private LocalRelay(Task<int> run, CancellationTokenSource stop, string url, string queuePath)
        {
            _run = run;
            _stop = stop;
            Url = url;
            QueuePath = queuePath;
        }

        /// <value>Where it listens: the address asked for, or another free one when that was taken meanwhile.</value>
        public string Url { get; }

        public string QueuePath { get; }

        /// <param name="url">Where the relay should listen; when the port was taken meanwhile, another free one is used (see <see cref="Url"/>).</param>
        /// <param name="settings">Its Relay:… configuration, as appsettings or environment variables would give it.</param>
        /// <param name="certificate">The local Web API's certificate, the only one the relay trusts.</param>
        /// <param name="simulator">The BlockID simulator whose events feed the poller reads; null for a real tenant.</param>
        /// <param name="environment">Where the relay's log lines go.</param>
        public static async Task<LocalRelay> StartAsync(string url, IDictionary<string, string?> settings, X509Certificate2 certificate, BlockIdSimulator? simulator, LocalEnvironment environment)
        {
            var queuePath = Path.Combine(Path.GetTempPath(), $"okos-sandbox-relay-{Guid.NewGuid():N}.db");
            settings["Relay:QueuePath"] = queuePath;
            var dataverseOptions = new RelayDispatch.DataverseOptions
            {
                Url = new Uri(settings["Relay:Dataverse:Url"]!),
                OidcAuthority = new Uri(settings["Relay:Dataverse:OidcAuthority"]!),
                ClientId = settings["Relay:Dataverse:ClientId"]!,
                ClientSecret = settings["Relay:Dataverse:ClientSecret"]!,
            };
            for (var attempt = 1; ; attempt++)
            {
                var stop = new CancellationTokenSource();
                var run = RelayProgram.RunAsync(new[] { "--urls", url }, relayBuilder =>
                {
                    relayBuilder.Configuration.AddInMemoryCollection(settings);
                    relayBuilder.Logging.ClearProviders();
                    relayBuilder.Logging.AddProvider(new TimelineLogger(environment));
                    relayBuilder.Services.AddSingleton<RelayDispatch.ITokenSource>(new RelayDispatch.MsalTokenSource(dataverseOptions, new PinnedHttpClientFactory(certificate)));
                    relayBuilder.Services.AddHttpClient(nameof(RelayDispatch.ICallbackApi)).ConfigurePrimaryHttpMessageHandler(() =>
                        new HttpClientHandler { ServerCertificateCustomValidationCallback = LocalCertificate.Pin(certificate) });
                    if (simulator is not null)
                    {
                        relayBuilder.Services.AddHttpClient(RelayPoller.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new SimulatorHttpHandler(simulator));
                    }
                }, stop.Token);
                if (await WaitUntilHealthyAsync(url, run))
                {
                    return new LocalRelay(run, stop, url, queuePath);
                }
                stop.Dispose();
                if (attempt == PortAttempts || !IsPortTaken(run))
                {
                    throw new InvalidOperationException($"The relay did not start: {Failure(run)}.");
                }
                url = $"http://127.0.0.1:{Loopback.FreePort()}";
            }
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            await _run;
            _stop.Dispose();
            SqliteRelayQueue.DeleteFiles(QueuePath);
        }

        /// <summary>Whether the relay answers its health check; false as soon as it stopped instead.</summary>
        private static async Task<bool> WaitUntilHealthyAsync(string url, Task<int> run)
        {
            using var http = new HttpClient();
            for (var tries = 0; tries < 200; tries++)
            {
                try
                {
                    if ((await http.GetAsync(url + "/healthz")).IsSuccessStatusCode)
                    {
                        return true;
                    }
                }
                catch (HttpRequestException)
                {
                    if (run.IsCompleted)
                    {
                        return false;
                    }
                }
                await Task.Delay(50);
            }
            return false;
        }

        private static bool IsPortTaken(Task<int> run) =>
            run.Exception?.Flatten().InnerExceptions.Any(exception => exception is IOException { InnerException: Microsoft.AspNetCore.Connections.AddressInUseException }) == true;

        private static string Failure(Task<int> run) =>
            run.IsFaulted ? run.Exception!.Flatten().InnerExceptions[0].Message
            : run.IsCompleted ? $"it exited with code {run.Result}"
            : "it did not answer its health check within 10 s";

        /// <summary>MSAL's HTTP, trusting exactly the local certificate.</summary>
        private sealed class PinnedHttpClientFactory(X509Certificate2 certificate) : IMsalHttpClientFactory
        {
            private readonly HttpClient _http = new(new HttpClientHandler { ServerCertificateCustomValidationCallback = LocalCertificate.Pin(certificate) });

            public HttpClient GetHttpClient() => _http;
        }

        /// <summary>The relay's own log lines about deliveries and the feed, onto the timeline and the activity log.</summary>
        private sealed class TimelineLogger(LocalEnvironment environment) : ILoggerProvider, ILogger
        {
            private static readonly AsyncLocal<IReadOnlyDictionary<string, object>?> Scope = new();

            public ILogger CreateLogger(string categoryName) => categoryName.StartsWith("OneKosmos", StringComparison.Ordinal) ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

            /// <remarks>The relay scopes a delivery with its CorrelationId and MessageId: the activity log groups by them.</remarks>
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull
            {
                if (state is not IReadOnlyDictionary<string, object> values)
                {
                    return null;
                }
                var outer = Scope.Value;
                Scope.Value = values;
                return new Restore(() => Scope.Value = outer);
            }

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var text = formatter(state, exception);
                if (!text.StartsWith("Read 0 events", StringComparison.Ordinal))
                {
                    environment.Note("Relay: " + text);
                    var scope = Scope.Value;
                    environment.Activity.Relay(
                        scope is not null && scope.TryGetValue("CorrelationId", out var correlation) ? correlation.ToString() : null,
                        scope is not null && scope.TryGetValue("MessageId", out var message) ? message.ToString() : null,
                        text);
                }
            }

            public void Dispose()
            {
            }

            private sealed class Restore(Action restore) : IDisposable
            {
                public void Dispose() => restore();
            }
        }
    }
}
