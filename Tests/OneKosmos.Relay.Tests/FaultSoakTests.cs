using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Xrm.Sdk;
using Newtonsoft.Json.Linq;
using OneKosmos.Sandbox.BlockId;
using OneKosmos.Sandbox.Host.Tls;
using OneKosmos.Core.Callbacks;
using OneKosmos.Relay;
using OneKosmos.Relay.Dispatch;
using OneKosmos.Relay.Polling;
using OneKosmos.Relay.Queue;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Core.Verification;

namespace OneKosmos.Relay.Tests
{
    /// <summary>
    /// 1,000 verifications through the product and the relay in weather: the simulated 1Kosmos fails 5 % of its calls with
    /// 5xx, 2 % with timeouts (half after doing the work) and 1 % with 429; notifications are duplicated, reordered and lost;
    /// then reconcile. Every session must end in the state its capture earned, no event may be applied twice, and nothing
    /// that should have been delivered may be dead-lettered. The run has a 60 s budget: it must finish, nothing asserts speed.
    /// </summary>
    [TestClass]
    public sealed class FaultSoakTests
    {
        private const int Verifications = 1_000;
        private static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

        public TestContext TestContext { get; set; } = null!;

        [TestMethod]
        public async Task AThousandVerifications_ThroughFaultsDuplicatesReorderingAndLoss_EachEndsInTheStateItEarned()
        {
            using var budget = new CancellationTokenSource(Budget);
            var clock = Stopwatch.StartNew();
            var weather = new Dictionary<SimulatedFault, double>
            {
                [SimulatedFault.ServerError] = 0.05,
                [SimulatedFault.TimeoutBeforeWork] = 0.01,
                [SimulatedFault.TimeoutAfterWork] = 0.01,
                [SimulatedFault.Throttle] = 0.01,
            };
            var product = new ProductSandbox(weather, faultSeed: 20261127);
            await using var dataverse = await LocalDataverse.StartAsync(product);
            var dice = new Random(42);

            // Contacts, each with the outcome its person will choose on the capture page.
            var outcomes = new Dictionary<Guid, CaptureOutcome>();
            foreach (var i in Enumerable.Range(0, Verifications))
            {
                var contact = product.Dataverse.Seed(new Entity("contact") { ["firstname"] = "Soak", ["lastname"] = $"Person {i}", ["emailaddress1"] = $"p{i}@example.com" })[0];
                var roll = dice.NextDouble();
                outcomes[contact] = roll < 0.7 ? CaptureOutcome.PassWithSelfie : roll < 0.85 ? CaptureOutcome.DocumentOnly : CaptureOutcome.LivenessFail;
            }

            // Starts: a start that meets a fault stays Pending with the reason; reconcile retries it.
            foreach (var contact in outcomes.Keys)
            {
                product.Call("okos_StartVerification", null, ("Subject", new EntityReference("contact", contact)));
            }
            var startsToRetry = Rows(product).Count(row => ((string)row["okos_sessionid"]).StartsWith("reserved:", StringComparison.Ordinal));
            var reconcilePasses = 0;
            while (Rows(product).Any(row => ((string)row["okos_sessionid"]).StartsWith("reserved:", StringComparison.Ordinal)))
            {
                budget.Token.ThrowIfCancellationRequested();
                Reconcile(product);
                reconcilePasses++;
            }

            // Each person finishes their capture; 1Kosmos raises two events per session.
            var notifications = new List<RelayMessage>();
            foreach (var row in Rows(product))
            {
                var session = (string)row["okos_sessionid"];
                product.Simulator.Complete(session, outcomes[row.GetAttributeValue<EntityReference>("okos_contactid").Id]);
                foreach (var name in new[] { "E_IDV_INITIALIZATION", "E_IDV_DOCUMENT_VALIDATE" })
                {
                    var item = new JObject { ["eventId"] = $"{session}-{name}", ["event_name"] = name, ["sessionId"] = session, ["ts"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() };
                    notifications.Add(EventPoller.Notification(item, DateTimeOffset.UtcNow)!);
                }
            }
            var lost = notifications.Where(_ => dice.NextDouble() < 0.05).ToHashSet();
            var delivered = notifications.Except(lost).OrderBy(_ => dice.Next()).ToList();
            var duplicated = delivered.Where(_ => dice.NextDouble() < 0.10).ToList();

            // The queue is about order, retries and dead letters here, not the disk: on a RAM disk when there is one (the crash
            // tests prove durability), so the run spends its budget on the product.
            var folder = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
            var queuePath = Path.Combine(folder, $"okos-soak-{Guid.NewGuid():N}.db");
            try
            {
                var queue = new SqliteRelayQueue(queuePath, TimeProvider.System);
                var logs = new DispatcherLog();
                using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = LocalCertificate.Pin(dataverse.Certificate) });
                var api = new DataverseCallbackApi(http, new Uri(dataverse.Url), new FixedToken(await dataverse.TokenAsync()));
                using var metrics = new RelayMetrics();
                var dispatcher = new Dispatcher(queue, api, new DispatcherOptions
                {
                    SigningSecret = ProductSandbox.SigningSecret,
                    Concurrency = 16,
                    MaxAttempts = 10,
                    BaseDelay = TimeSpan.FromMilliseconds(10),
                    MaxDelay = TimeSpan.FromMilliseconds(200),
                }, TimeProvider.System, logs, metrics, new Random(3));

                foreach (var message in delivered)
                {
                    await queue.EnqueueAsync(message, budget.Token);
                }
                await DrainAsync(queue, dispatcher, budget.Token);
                // The same events again (an overlapping poll, a second relay): the queue remembers what it delivered.
                var requeued = 0;
                foreach (var message in duplicated)
                {
                    requeued += await queue.EnqueueAsync(message with { CorrelationId = Guid.NewGuid().ToString("N") }, budget.Token) ? 1 : 0;
                }
                await DrainAsync(queue, dispatcher, budget.Token);
                // And past the queue, straight to Dataverse (a delivery whose answer was lost): the callback API refuses to apply it twice.
                var replayAnswers = new List<string>();
                foreach (var message in duplicated)
                {
                    var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                    var answer = await api.ProcessAsync(message.Body, message.MessageId, timestamp.ToString(CultureInfo.InvariantCulture),
                        WebhookSignature.Sign(ProductSandbox.SigningSecret, message.MessageId, timestamp, message.Body), budget.Token);
                    replayAnswers.Add(answer.Kind == AnswerKind.Outcome ? answer.Outcome : answer.Kind.ToString());
                }
                // Lost notifications: reconcile finds their results.
                var pendingBeforeReconcile = Rows(product).Count(row => row.GetAttributeValue<OptionSetValue>("okos_status").Value == Pending);
                while (Rows(product).Any(row => row.GetAttributeValue<OptionSetValue>("okos_status").Value == Pending))
                {
                    budget.Token.ThrowIfCancellationRequested();
                    Reconcile(product);
                    reconcilePasses++;
                }
                var deadLetters = await queue.DeadLettersAsync(budget.Token);
                var rows = Rows(product);
                var wrong = rows.Where(row => !Earned(row, outcomes[row.GetAttributeValue<EntityReference>("okos_contactid").Id])).ToList();
                var finalNotes = product.Dataverse.Rows("annotation").Where(note => ((string)note["subject"]).StartsWith("Identity verif", StringComparison.Ordinal)
                    && (string)note["subject"] != "Identity verification started").GroupBy(note => note.GetAttributeValue<EntityReference>("objectid").Id).ToList();
                var receipts = product.Dataverse.Rows("okos_callbackreceipt");

                var report = $"""
                    Fault soak: {Verifications} verifications in {clock.Elapsed.TotalSeconds:0.0} s (budget {Budget.TotalSeconds:0} s).
                      1Kosmos faults injected: {string.Join(", ", product.Simulator.InjectedFaults.OrderBy(pair => pair.Key.ToString()).Select(pair => $"{pair.Key} {pair.Value}"))}
                      starts: {startsToRetry} met a fault and waited for reconcile to retry them; reconcile passes {reconcilePasses}
                      notifications: {notifications.Count} raised, {lost.Count} lost, {delivered.Count} delivered in shuffled order, {duplicated.Count} duplicated
                        (the queue took {requeued} of them again; straight to Dataverse they answered {string.Join(", ", replayAnswers.GroupBy(a => a).Select(group => $"{group.Key} {group.Count()}"))})
                      relay: {deadLetters.Count} dead-lettered; {receipts.Count} receipts; {pendingBeforeReconcile} still pending after the relay, settled by reconcile
                      outcome: {rows.Count(row => row.GetAttributeValue<OptionSetValue>("okos_status").Value == Verified)} Verified, {rows.Count(row => row.GetAttributeValue<OptionSetValue>("okos_status").Value == Failed)} Failed, {wrong.Count} wrong
                    """;
                TestContext.WriteLine(report);
                // The figures docs/benchmarks.md publishes: kept where every run can be read back.
                var results = Path.Combine(RepositoryPaths.Root, "Tests", "OneKosmos.Relay.Tests", "test-results");
                Directory.CreateDirectory(results);
                File.WriteAllText(Path.Combine(results, "fault-soak.txt"), report);

                Assert.AreEqual(Verifications, rows.Count, "one verification row per contact");
                Assert.AreEqual(0, wrong.Count, $"rows not in the state their capture earned: {string.Join("; ", wrong.Take(5).Select(Describe))}");
                Assert.AreEqual(0, deadLetters.Count, $"dead-lettered: {string.Join("; ", deadLetters.Take(5).Select(letter => letter.Reason))}");
                Assert.AreEqual(Verifications, finalNotes.Count, "every contact's timeline says how its verification ended");
                Assert.IsTrue(finalNotes.All(group => group.Count() == 1), "no verification's end was written twice");
                Assert.AreEqual(receipts.Count, receipts.Select(receipt => receipt["okos_messageid"]).Distinct().Count(), "one receipt per event");
                Assert.IsTrue(replayAnswers.All(answer => answer == "Duplicate"), $"a replayed event is a Duplicate: {string.Join(", ", replayAnswers.Distinct())}");
                Assert.AreEqual(0, requeued, "the queue does not take an event it delivered");
                Assert.IsTrue(product.Simulator.InjectedFaults.Values.Sum() > 0, "the weather was bad");

                // The leak check's share of the soak: no secret or capture link in what the run wrote.
                var canaries = new[] { product.Simulator.Options.LicenseKey, product.Simulator.Options.DvcId, ProductSandbox.SigningSecret }
                    .Concat(product.Simulator.Sessions.Select(session => $"{product.Simulator.BaseUrl}/idproofing/session/{session.Id}")).ToList();
                var written = product.Dataverse.PluginRuns.SelectMany(run => run.TraceLines.Append(run.Error ?? ""))
                    .Concat(product.Dataverse.Rows("annotation").Select(note => $"{note["subject"]} {note.GetAttributeValue<string>("notetext")}"))
                    .Concat(logs.Lines)
                    .Concat(deadLetters.Select(letter => letter.Reason + letter.Message.Body))
                    .Concat(SqliteRelayQueue.FilesOf(queuePath).Select(file => System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(file))))
                    .ToList();
                Assert.AreEqual(0, canaries.Count(canary => written.Any(text => text.Contains(canary, StringComparison.Ordinal))), "a secret or capture link was written where people or logs see it");
            }
            finally
            {
                SqliteRelayQueue.DeleteFiles(queuePath);
            }
        }

        private static readonly int Pending = Choices.Of(VerificationStatus.Pending).Value;
        private static readonly int Verified = Choices.Of(VerificationStatus.Verified).Value;
        private static readonly int Failed = Choices.Of(VerificationStatus.Failed).Value;
        private static readonly int Ial1 = Choices.Of(AssuranceLevel.IAL1).Value;
        private static readonly int Ial2 = Choices.Of(AssuranceLevel.IAL2).Value;

        private static List<Entity> Rows(ProductSandbox product) => product.Dataverse.Rows("okos_verification").ToList();

        private static void Reconcile(ProductSandbox product) =>
            product.Call("okos_ReconcileVerifications", null, ("OlderThanMinutes", 0), ("MaxSessions", 500));

        private static bool Earned(Entity row, CaptureOutcome outcome)
        {
            var status = row.GetAttributeValue<OptionSetValue>("okos_status").Value;
            var level = row.GetAttributeValue<OptionSetValue>("okos_iallevel")?.Value;
            return outcome switch
            {
                CaptureOutcome.PassWithSelfie => status == Verified && level == Ial2,
                CaptureOutcome.DocumentOnly => status == Verified && level == Ial1,
                _ => status == Failed,
            };
        }

        private static string Describe(Entity row) =>
            $"{row.Id}: status {row.GetAttributeValue<OptionSetValue>("okos_status")?.Value}, level {row.GetAttributeValue<OptionSetValue>("okos_iallevel")?.Value}, reason {row.GetAttributeValue<string>("okos_failurereason")}";

        /// <summary>Dispatches until the queue is empty; retries wait their (short) back-off.</summary>
        private static async Task DrainAsync(SqliteRelayQueue queue, Dispatcher dispatcher, CancellationToken budget)
        {
            while (await queue.DepthAsync(budget) > 0)
            {
                if (await dispatcher.DispatchOnceAsync(budget) == 0)
                {
                    await Task.Delay(10, budget);
                }
            }
        }
    }
}
