using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Xrm.Sdk;
using OneKosmos.Sandbox.BlockId;
using OneKosmos.Sandbox.Host;
using OneKosmos.Sandbox.Host.Tls;
using OneKosmos.Relay.Tests;
using OneKosmos.Tests.Shared;
using OneKosmos.Core.Callbacks;
using OneKosmos.Relay;
using OneKosmos.Relay.Dispatch;
using OneKosmos.Relay.Queue;

namespace OneKosmos.Benchmarks
{
    /// <summary>
    /// The relay's throughput, measured rather than micro-benchmarked: the ingress's durable accept rate over HTTP; events per
    /// second from the SQLite queue through the dispatcher and the sandbox's Web API into the callback API, at concurrency
    /// 1, 4 and 16, with the p50 and p99 of one delivery; and how enqueueing and draining change with 0, 10,000 and 100,000
    /// events already queued, with the process's memory at each. The queue is a file on disk, as deployed.
    /// </summary>
    internal static class RelayThroughput
    {
        private const string IngressSecret = "whsec_YmVuY2htYXJrLWluZ3Jlc3Mtc2VjcmV0LTAwMDE=";

        public sealed record Row(string What, string Figure, string Notes = "");

        public static async Task<IReadOnlyList<Row>> MeasureAsync(TextWriter progress)
        {
            var rows = new List<Row>();
            progress.WriteLine("relay: ingress accept rate");
            rows.Add(await IngressRateAsync(events: 2_000, senders: 16));
            foreach (var concurrency in new[] { 1, 4, 16 })
            {
                progress.WriteLine($"relay: end to end at concurrency {concurrency}");
                rows.Add(await EndToEndAsync(concurrency, events: 500, backlog: 0));
            }
            foreach (var backlog in new[] { 10_000, 100_000 })
            {
                progress.WriteLine($"relay: end to end behind a backlog of {backlog:N0}");
                rows.Add(await EndToEndAsync(concurrency: 16, events: 500, backlog));
            }
            return rows;
        }

        private static async Task<Row> IngressRateAsync(int events, int senders)
        {
            var queuePath = QueueFile();
            var url = $"http://127.0.0.1:{Loopback.FreePort()}";
            using var stop = new CancellationTokenSource();
            var relayTask = RelayProgram.RunAsync(new[] { "--urls", url, "--role", "ingress" }, builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Relay:QueuePath"] = queuePath,
                    ["Relay:Ingress:Secrets:0"] = IngressSecret,
                });
                builder.Logging.ClearProviders();
            }, stop.Token);
            try
            {
                using var client = new HttpClient { BaseAddress = new Uri(url) };
                await WaitForAsync(client);
                var next = -1;
                var refused = 0;
                var clock = Stopwatch.StartNew();
                await Task.WhenAll(Enumerable.Range(0, senders).Select(async _ =>
                {
                    int i;
                    while ((i = Interlocked.Increment(ref next)) < events)
                    {
                        var id = $"bench-{i}";
                        var body = $"{{\"type\":\"blockid.idv\",\"id\":\"{id}\",\"sessionId\":\"s-{i}\",\"occurredAt\":\"2026-11-27T08:00:00Z\",\"data\":{{}}}}";
                        var stamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                        using var request = new HttpRequestMessage(HttpMethod.Post, "/callbacks/blockid") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                        request.Headers.Add("webhook-id", id);
                        request.Headers.Add("webhook-timestamp", stamp.ToString(CultureInfo.InvariantCulture));
                        request.Headers.Add("webhook-signature", WebhookSignature.Sign(IngressSecret, id, stamp, body));
                        using var response = await client.SendAsync(request);
                        if ((int)response.StatusCode != 202)
                        {
                            Interlocked.Increment(ref refused);
                        }
                    }
                }));
                var rate = events / clock.Elapsed.TotalSeconds;
                return new Row("Ingress accept rate (signed POST → 202 after a durable enqueue)", $"{rate:N0} events/s",
                    $"{events:N0} events from {senders} senders; {refused} refused");
            }
            finally
            {
                stop.Cancel();
                await relayTask;
                SqliteRelayQueue.DeleteFiles(queuePath);
            }
        }

        /// <remarks>Each measurement has a Dataverse of its own: the in-memory one scans its tables, so rows left by an earlier run would slow a later one.</remarks>
        private static async Task<Row> EndToEndAsync(int concurrency, int events, int backlog)
        {
            await using var dataverse = await LocalDataverse.StartAsync();
            var product = dataverse.Product;
            using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = LocalCertificate.Pin(dataverse.Certificate) });
            var api = new TimedApi(new DataverseCallbackApi(http, new Uri(dataverse.Url), new FixedToken(await dataverse.TokenAsync())));
            var sessions = new List<string>();
            for (var i = 0; i < events; i++)
            {
                var contact = product.Dataverse.Seed(new Entity("contact") { ["lastname"] = $"Relay {concurrency}-{backlog}-{i}", ["emailaddress1"] = "r@example.com" })[0];
                var started = product.Call("okos_StartVerification", null, ("Subject", new EntityReference("contact", contact)));
                product.Simulator.Complete((string)started["SessionId"], CaptureOutcome.PassWithSelfie);
                sessions.Add((string)started["SessionId"]);
            }
            var queuePath = QueueFile();
            try
            {
                var queue = new SqliteRelayQueue(queuePath, TimeProvider.System);
                FillBacklog(queuePath, backlog);
                var enqueueClock = Stopwatch.StartNew();
                foreach (var session in sessions)
                {
                    var id = $"blockid-{session}";
                    var body = $"{{\"type\":\"blockid.idv\",\"id\":\"{id}\",\"sessionId\":\"{session}\",\"occurredAt\":\"2026-11-27T08:00:00Z\",\"data\":{{}}}}";
                    await queue.EnqueueAsync(new RelayMessage(id, MessageKind.Callback, session, body, DateTimeOffset.UtcNow, Guid.NewGuid().ToString("N")), CancellationToken.None);
                }
                var enqueueMs = enqueueClock.Elapsed.TotalMilliseconds / events;
                using var metrics = new RelayMetrics();
                var dispatcher = new Dispatcher(queue, api, new DispatcherOptions
                {
                    SigningSecret = ProductSandbox.SigningSecret,
                    Concurrency = concurrency,
                    BaseDelay = TimeSpan.FromMilliseconds(50),
                }, TimeProvider.System, NullLogger<Dispatcher>.Instance, metrics);
                var clock = Stopwatch.StartNew();
                while (await queue.DepthAsync(CancellationToken.None) > backlog)
                {
                    if (await dispatcher.DispatchOnceAsync(CancellationToken.None) == 0)
                    {
                        await Task.Delay(5);
                    }
                }
                var rate = events / clock.Elapsed.TotalSeconds;
                var durations = api.Durations.OrderBy(duration => duration).ToArray();
                GC.Collect();
                var memory = Process.GetCurrentProcess().WorkingSet64 / (1024.0 * 1024.0);
                var what = backlog == 0 ? $"End to end, concurrency {concurrency}" : $"End to end, concurrency {concurrency}, behind {backlog:N0} queued";
                return new Row(what, $"{rate:N0} events/s",
                    $"delivery p50 {Percentile(durations, 0.50):0.0} ms, p99 {Percentile(durations, 0.99):0.0} ms; enqueue {enqueueMs:0.00} ms each; working set {memory:N0} MiB");
            }
            finally
            {
                SqliteRelayQueue.DeleteFiles(queuePath);
            }
        }

        /// <summary>Events that wait in the queue, not yet visible (a dispatcher that was down), written in one transaction.</summary>
        private static void FillBacklog(string queuePath, int backlog)
        {
            if (backlog == 0)
            {
                return;
            }
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = queuePath, Pooling = false }.ToString());
            connection.Open();
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO messages (message_id, kind, ordering_key, body, received_at, correlation_id, visible_at)
                VALUES ($id, 0, $key, '{}', '2026-11-27T08:00:00Z', 'backlog', $visible)
                """;
            var id = command.Parameters.Add("$id", SqliteType.Text);
            var key = command.Parameters.Add("$key", SqliteType.Text);
            command.Parameters.AddWithValue("$visible", DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds());
            for (var i = 0; i < backlog; i++)
            {
                id.Value = $"backlog-{i}";
                key.Value = $"backlog-session-{i}";
                command.ExecuteNonQuery();
            }
            transaction.Commit();
        }

        private static double Percentile(double[] sorted, double share) =>
            sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(share * sorted.Length) - 1)];

        private static string QueueFile() => Path.Combine(Path.GetTempPath(), $"okos-bench-{Guid.NewGuid():N}.db");


        private static async Task WaitForAsync(HttpClient client)
        {
            for (var tries = 0; tries < 400; tries++)
            {
                try
                {
                    if ((await client.GetAsync("/healthz")).IsSuccessStatusCode)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                }
                await Task.Delay(25);
            }
            throw new InvalidOperationException("The relay's ingress did not start.");
        }

        /// <summary>The callback API with each delivery's duration kept.</summary>
        private sealed class TimedApi(ICallbackApi inner) : ICallbackApi
        {
            public ConcurrentBag<double> Durations { get; } = new();

            public async Task<ApiAnswer> ProcessAsync(string payload, string messageId, string timestamp, string signature, CancellationToken cancellation)
            {
                var clock = Stopwatch.StartNew();
                var answer = await inner.ProcessAsync(payload, messageId, timestamp, signature, cancellation);
                Durations.Add(clock.Elapsed.TotalMilliseconds);
                return answer;
            }

            public Task<ApiAnswer> ReconcileAsync(CancellationToken cancellation) => inner.ReconcileAsync(cancellation);
        }
    }
}
