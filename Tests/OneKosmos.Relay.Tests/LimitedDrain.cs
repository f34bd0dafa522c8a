using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Xrm.Sdk;
using OneKosmos.Core.Callbacks;
using OneKosmos.Core.Verification;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Relay.Dispatch;
using OneKosmos.Relay.Queue;
using OneKosmos.Sandbox.BlockId;
using OneKosmos.Sandbox.Host.Tls;
using OneKosmos.Sandbox.Host.WebApi;
using OneKosmos.Tests.Shared;

namespace OneKosmos.Relay.Tests
{
    /// <summary>
    /// A backlog of verification callbacks drained by the running dispatcher through the sandbox's Web API while Dataverse
    /// enforces its service protection limits on the relay's application user: what was applied, refused and paused, and
    /// the rate the relay kept once it knew the limit. The drain test (CI) and the benchmark (docs/benchmarks.md) share it.
    /// </summary>
    internal static class LimitedDrain
    {
        /// <param name="Events">Callbacks queued, one per verification.</param>
        /// <param name="Applied">Deliveries the callback API applied.</param>
        /// <param name="Duplicates">Deliveries it answered Duplicate (a message delivered twice, applied once).</param>
        /// <param name="DeadLettered">Messages given up on.</param>
        /// <param name="Receipts">Callback receipts in Dataverse: one per event applied.</param>
        /// <param name="StillPending">Verifications not Verified at the end.</param>
        /// <param name="Refused">Requests the sandbox refused with 429.</param>
        /// <param name="Pauses">Times the relay paused every delivery for a Retry-After (its warning lines).</param>
        /// <param name="Seconds">From the first delivery to the last.</param>
        /// <param name="CeilingPerSecond">The most requests per second the limits let one user sustain.</param>
        /// <param name="PacedPerSecond">Deliveries per second once the window of the first refusal had passed: the rate the relay keeps.</param>
        /// <param name="PauseLines">The relay's warning lines, one per pause.</param>
        public sealed record Report(int Events, int Applied, int Duplicates, int DeadLettered, int Receipts, int StillPending, int Refused, int Pauses,
            double Seconds, double CeilingPerSecond, double PacedPerSecond, IReadOnlyList<string> PauseLines)
        {
            public double Throughput => Applied / Seconds;

            public double ShareOfCeiling => PacedPerSecond / CeilingPerSecond;
        }

        public static async Task<Report> RunAsync(ServiceProtectionLimits limits, int events, int concurrency, CancellationToken budget)
        {
            var product = new ProductSandbox();
            await using var dataverse = await LocalDataverse.StartAsync(product);
            var sessions = new List<string>();
            for (var i = 0; i < events; i++)
            {
                var contact = product.Dataverse.Seed(new Entity("contact") { ["lastname"] = $"Limited {i}", ["emailaddress1"] = $"l{i}@example.com" })[0];
                var started = product.Call("okos_StartVerification", null, ("Subject", new EntityReference("contact", contact)));
                product.Simulator.Complete((string)started["SessionId"], CaptureOutcome.PassWithSelfie);
                sessions.Add((string)started["SessionId"]);
            }
            var folder = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
            var queuePath = Path.Combine(folder, $"okos-limited-{Guid.NewGuid():N}.db");
            try
            {
                var queue = new SqliteRelayQueue(queuePath, TimeProvider.System);
                foreach (var session in sessions)
                {
                    var id = $"blockid-{session}";
                    var body = $"{{\"type\":\"blockid.idv\",\"id\":\"{id}\",\"sessionId\":\"{session}\",\"occurredAt\":\"2026-12-07T08:00:00Z\",\"data\":{{}}}}";
                    await queue.EnqueueAsync(new RelayMessage(id, MessageKind.Callback, session, body, DateTimeOffset.UtcNow, Guid.NewGuid().ToString("N")), budget);
                }
                var protection = new ServiceProtection(limits);
                dataverse.Api.ServiceProtection = protection;
                var log = new DispatcherLog();
                using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = LocalCertificate.Pin(dataverse.Certificate) });
                var api = new DataverseCallbackApi(http, new Uri(dataverse.Url), new FixedToken(await dataverse.TokenAsync()));
                using var metrics = new RelayMetrics();
                var dispatcher = new Dispatcher(queue, api, new DispatcherOptions
                {
                    SigningSecret = ProductSandbox.SigningSecret,
                    Concurrency = concurrency,
                    BaseDelay = TimeSpan.FromMilliseconds(50),
                    ServiceProtectionWindow = limits.Window,
                }, TimeProvider.System, log, metrics);
                // The depth is counted only when the dispatcher idles: counting a large queue every turn would be the measure's cost.
                while (true)
                {
                    if (await dispatcher.PumpAsync(budget) != 0)
                    {
                        continue;
                    }
                    if (await queue.DepthAsync(budget) <= 0)
                    {
                        break;
                    }
                    // Idle with messages left: they wait for a retry time.
                    await Task.Delay(5, budget);
                }
                await dispatcher.FinishInFlightAsync();
                var entries = log.Entries;
                var deliveries = entries.Where(entry => entry.Text.StartsWith("Delivered ", StringComparison.Ordinal)).ToList();
                var pauses = entries.Where(entry => entry.Level == LogLevel.Warning && entry.Text.StartsWith("Dataverse's service protection limit", StringComparison.Ordinal)).ToList();
                var first = deliveries.Count == 0 ? TimeSpan.Zero : deliveries[0].At;
                var last = deliveries.Count == 0 ? TimeSpan.Zero : deliveries[^1].At;
                // Once a whole window has passed since the first refusal, what the window holds is the relay's own pace.
                var pacedFrom = pauses.Count == 0 ? first : pauses[0].At + limits.Window;
                var paced = deliveries.Count(entry => entry.At >= pacedFrom);
                var rows = product.Dataverse.Rows("okos_verification");
                return new Report(
                    events,
                    deliveries.Count(entry => entry.Text.EndsWith(": Applied.", StringComparison.Ordinal)),
                    deliveries.Count(entry => entry.Text.Contains(": Duplicate", StringComparison.Ordinal)),
                    (await queue.DeadLettersAsync(budget)).Count,
                    product.Dataverse.Rows("okos_callbackreceipt").Count,
                    rows.Count(row => row.GetAttributeValue<OptionSetValue>("okos_status").Value != Choices.Of(VerificationStatus.Verified).Value),
                    protection.Refused,
                    pauses.Count,
                    (last - first).TotalSeconds,
                    limits.RequestsPerSecond,
                    last > pacedFrom ? paced / (last - pacedFrom).TotalSeconds : 0,
                    pauses.Select(entry => entry.Text).ToList());
            }
            finally
            {
                SqliteRelayQueue.DeleteFiles(queuePath);
            }
        }
    }
}
