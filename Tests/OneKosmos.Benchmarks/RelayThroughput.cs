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
using Microsoft.Extensions.DependencyInjection;
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
    /// The relay's throughput, measured rather than micro-benchmarked: the ingress's durable accept rate over HTTP, against the
    /// same ingress with its queue write replaced by a no-op; events per second from the SQLite queue through the running
    /// dispatcher and the sandbox's Web API into the callback API, at concurrency 1, 4 and 16, against calling the callback
    /// API directly at 16; and how draining changes with 10,000 and 100,000 events already queued. The queue is a file on
    /// disk, as deployed. The sandbox's service protection limits are off here: this is the relay's own speed (the limits
    /// have their section).
    /// </summary>
    internal static class RelayThroughput
    {
        private const string IngressSecret = "whsec_YmVuY2htYXJrLWluZ3Jlc3Mtc2VjcmV0LTAwMDE=";
        private const int Events = 1_000;

        public static async Task<Section> MeasureAsync(TextWriter progress)
        {
            var rows = new List<Row>();
            progress.WriteLine("relay: ingress accept rate, durable and with a no-op queue");
            // Both warmed first (the first run pays for compiling the paths), then each measured twice in turn, the better
            // kept: the two share the machine with the senders, and one unlucky run would decide the ratio.
            await IngressRateAsync(events: 500, senders: 16, durable: true);
            await IngressRateAsync(events: 500, senders: 16, durable: false);
            var runs = new List<(double Rate, Row Row, bool Durable)>();
            for (var round = 0; round < 2; round++)
            {
                foreach (var durableWrite in new[] { true, false })
                {
                    var (rate, row) = await IngressRateAsync(events: 4_000, senders: 16, durableWrite);
                    runs.Add((rate, row, durableWrite));
                }
            }
            var (durable, durableRow, _) = runs.Where(run => run.Durable).MaxBy(run => run.Rate);
            var (noOp, noOpRow, _) = runs.Where(run => !run.Durable).MaxBy(run => run.Rate);
            rows.Add(durableRow with { Notes = durableRow.Notes + "; the better of two runs" });
            rows.Add(noOpRow with { Notes = noOpRow.Notes + "; the better of two runs" });
            foreach (var concurrency in new[] { 1, 4 })
            {
                progress.WriteLine($"relay: end to end at concurrency {concurrency}");
                rows.Add((await EndToEndAsync(concurrency, Events, backlog: 0)).Row);
            }
            // The figures the goals compare, each measured twice in turn and the better kept, as for the ingress.
            var compared = new Dictionary<string, List<(double Rate, Row Row)>>();
            for (var round = 0; round < 2; round++)
            {
                foreach (var backlog in new[] { 0, 10_000, 100_000 })
                {
                    progress.WriteLine($"relay: end to end at concurrency 16 behind {backlog:N0} queued (round {round + 1})");
                    Keep(compared, $"backlog {backlog}", await EndToEndAsync(concurrency: 16, Events, backlog));
                }
                progress.WriteLine($"relay: the callback API called directly at concurrency 16 (round {round + 1})");
                Keep(compared, "direct", await DirectAsync(concurrency: 16, Events));
            }
            var best = compared.ToDictionary(pair => pair.Key, pair => pair.Value.MaxBy(run => run.Rate));
            rows.Add(best["backlog 0"].Row with { Notes = best["backlog 0"].Row.Notes + "; the better of two runs" });
            rows.Add(best["direct"].Row with { Notes = best["direct"].Row.Notes + "; the better of two runs" });
            rows.Add(best["backlog 10000"].Row with { Notes = best["backlog 10000"].Row.Notes + "; the better of two runs" });
            rows.Add(best["backlog 100000"].Row with { Notes = best["backlog 100000"].Row.Notes + "; the better of two runs" });
            var endToEnd = best["backlog 0"].Rate;
            var goals = new List<Goal>
            {
                Ratio("durable ingress ≥ ½ of the same ingress with a no-op queue write", durable, noOp, 0.5),
                Ratio("end to end at concurrency 16 ≥ 80 % of the callback API called directly at 16", endToEnd, best["direct"].Rate, 0.8),
                Ratio("end to end behind 100,000 queued ≥ 90 % of an empty queue", best["backlog 100000"].Rate, endToEnd, 0.9),
            };
            return new Section(rows, goals);
        }

        private static void Keep(Dictionary<string, List<(double Rate, Row Row)>> runs, string what, (double Rate, Row Row) run)
        {
            if (!runs.TryGetValue(what, out var list))
            {
                runs[what] = list = new List<(double Rate, Row Row)>();
            }
            list.Add(run);
        }

        internal static Goal Ratio(string what, double measured, double against, double goal) =>
            new(what, $"{measured / against:P0} ({measured:N0} / {against:N0})", measured >= goal * against);

        private static async Task<(double Rate, Row Row)> IngressRateAsync(int events, int senders, bool durable)
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
                if (!durable)
                {
                    builder.Services.AddSingleton<IRelayQueue>(new NoWriteQueue());
                }
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
                return (rate, new Row(durable ? "Ingress accept rate (signed POST → 202 after a durable enqueue)" : "Ingress accept rate, the queue write a no-op",
                    $"{rate:N0} events/s", $"{events:N0} events from {senders} senders; {refused} refused"));
            }
            finally
            {
                stop.Cancel();
                await relayTask;
                SqliteRelayQueue.DeleteFiles(queuePath);
            }
        }

        /// <remarks>Each measurement has a Dataverse of its own: the in-memory one scans its tables, so rows left by an earlier run would slow a later one.</remarks>
        /// <summary>Verifications whose person finished the capture, in a Dataverse of their own: what each delivery applies.</summary>
        private static List<string> FinishedSessions(LocalDataverse dataverse, int events, string label)
        {
            var product = dataverse.Product;
            dataverse.Api.ServiceProtection = null;
            var sessions = new List<string>();
            for (var i = 0; i < events; i++)
            {
                var contact = product.Dataverse.Seed(new Entity("contact") { ["lastname"] = $"Relay {label}-{i}", ["emailaddress1"] = "r@example.com" })[0];
                var started = product.Call("okos_StartVerification", null, ("Subject", new EntityReference("contact", contact)));
                product.Simulator.Complete((string)started["SessionId"], CaptureOutcome.PassWithSelfie);
                sessions.Add((string)started["SessionId"]);
            }
            return sessions;
        }

        private static string Body(string id, string session) =>
            $"{{\"type\":\"blockid.idv\",\"id\":\"{id}\",\"sessionId\":\"{session}\",\"occurredAt\":\"2026-11-27T08:00:00Z\",\"data\":{{}}}}";

        /// <summary>The callback API without the relay: signed deliveries straight from <paramref name="concurrency"/> callers.</summary>
        private static async Task<(double Rate, Row Row)> DirectAsync(int concurrency, int events)
        {
            await using var dataverse = await LocalDataverse.StartAsync();
            var sessions = FinishedSessions(dataverse, events, $"direct-{concurrency}");
            using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = LocalCertificate.Pin(dataverse.Certificate) });
            var api = new DataverseCallbackApi(http, new Uri(dataverse.Url), new FixedToken(await dataverse.TokenAsync()));
            var next = -1;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < events)
                {
                    var id = $"blockid-{sessions[i]}";
                    var body = Body(id, sessions[i]);
                    var stamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                    await api.ProcessAsync(body, id, stamp.ToString(CultureInfo.InvariantCulture), WebhookSignature.Sign(ProductSandbox.SigningSecret, id, stamp, body), CancellationToken.None);
                }
            }));
            var rate = events / clock.Elapsed.TotalSeconds;
            return (rate, new Row($"The callback API called directly, concurrency {concurrency}", $"{rate:N0} events/s", "no queue, no dispatcher: the ceiling the relay is measured against"));
        }

        private static async Task<(double Rate, Row Row)> EndToEndAsync(int concurrency, int events, int backlog)
        {
            await using var dataverse = await LocalDataverse.StartAsync();
            var sessions = FinishedSessions(dataverse, events, $"{concurrency}-{backlog}");
            using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = LocalCertificate.Pin(dataverse.Certificate) });
            var api = new TimedApi(new DataverseCallbackApi(http, new Uri(dataverse.Url), new FixedToken(await dataverse.TokenAsync())));
            var queuePath = QueueFile();
            try
            {
                var queue = new SqliteRelayQueue(queuePath, TimeProvider.System);
                FillBacklog(queuePath, backlog);
                var enqueueClock = Stopwatch.StartNew();
                foreach (var session in sessions)
                {
                    var id = $"blockid-{session}";
                    await queue.EnqueueAsync(new RelayMessage(id, MessageKind.Callback, session, Body(id, session), DateTimeOffset.UtcNow, Guid.NewGuid().ToString("N")), CancellationToken.None);
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
                // The running relay's way: a slot is refilled as soon as it frees. The queue is counted only when the dispatcher
                // idles (the backlog is not visible): counting 100,000 rows every turn would be the measure's own cost.
                while (true)
                {
                    if (await dispatcher.PumpAsync(CancellationToken.None) != 0)
                    {
                        continue;
                    }
                    if (await queue.DepthAsync(CancellationToken.None) <= backlog)
                    {
                        break;
                    }
                    // Idle with messages left: they wait for a retry time.
                    await Task.Delay(5, CancellationToken.None);
                }
                await dispatcher.FinishInFlightAsync();
                var rate = events / clock.Elapsed.TotalSeconds;
                var durations = api.Durations.OrderBy(duration => duration).ToArray();
                GC.Collect();
                var memory = Process.GetCurrentProcess().WorkingSet64 / (1024.0 * 1024.0);
                var what = backlog == 0 ? $"End to end, concurrency {concurrency}" : $"End to end, concurrency {concurrency}, behind {backlog:N0} queued";
                return (rate, new Row(what, $"{rate:N0} events/s",
                    $"delivery p50 {Percentile(durations, 0.50):0.0} ms, p99 {Percentile(durations, 0.99):0.0} ms; enqueue {enqueueMs:0.00} ms each; working set {memory:N0} MiB"));
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

        /// <summary>The ingress's queue with its write taken out: accepts everything, stores nothing (the no-op the durable rate is held against).</summary>
        private sealed class NoWriteQueue : IRelayQueue
        {
            public Task<bool> EnqueueAsync(RelayMessage message, CancellationToken cancellation) => Task.FromResult(true);

            public Task<IReadOnlyList<LeasedMessage>> LeaseAsync(int maximum, TimeSpan leaseFor, CancellationToken cancellation) => throw new NotSupportedException("The no-op queue only accepts.");

            public Task<bool> CompleteAsync(LeasedMessage leased, CancellationToken cancellation) => throw new NotSupportedException("The no-op queue only accepts.");

            public Task AbandonAsync(LeasedMessage leased, TimeSpan retryAfter, CancellationToken cancellation) => throw new NotSupportedException("The no-op queue only accepts.");

            public Task DeadLetterAsync(LeasedMessage leased, string reason, CancellationToken cancellation) => throw new NotSupportedException("The no-op queue only accepts.");

            public Task<int> DepthAsync(CancellationToken cancellation) => Task.FromResult(0);

            public Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(CancellationToken cancellation) => throw new NotSupportedException("The no-op queue only accepts.");

            public Task<bool> ReplayAsync(string messageId, CancellationToken cancellation) => throw new NotSupportedException("The no-op queue only accepts.");

            public Task<int> PurgeDeadLettersAsync(CancellationToken cancellation) => throw new NotSupportedException("The no-op queue only accepts.");
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
