using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Xrm.Sdk;
using OneKosmos.Relay.Tests;
using OneKosmos.Sandbox.BlockId;
using OneKosmos.Sandbox.Host.WebApi;
using OneKosmos.Tests.Shared;

namespace OneKosmos.Benchmarks
{
    /// <summary>
    /// The product at the limits Dataverse and 1Kosmos enforce (#21): callbacks one relay application user can carry under
    /// the service protection limits; a 10,000-contact import with verify-on-create while 1Kosmos takes 20 starts a second;
    /// one reconcile run with 1,000 and with 100,000 verifications pending.
    /// </summary>
    internal static class PlatformLimits
    {
        public static async Task<Section> MeasureAsync(TextWriter progress)
        {
            var rows = new List<Row>();
            var goals = new List<Goal>();
            using var budget = new CancellationTokenSource(TimeSpan.FromMinutes(60));

            // The documented limits as they are: the in-memory Dataverse serves these callbacks at about three times the
            // 20-a-second ceiling, so the limit binds, not the sandbox (about nine minutes).
            progress.WriteLine("limits: 10,000 callbacks under the service protection limits (about 9 minutes)");
            var drain = await LimitedDrain.RunAsync(ServiceProtectionLimits.Documented, 10_000, concurrency: 16, budget.Token);
            var perHour = drain.PacedPerSecond * 3600;
            rows.Add(new Row("Callbacks drained under the limits (10,000 queued, concurrency 16)", $"{drain.Applied:N0} applied in {drain.Seconds:N1} s",
                $"{drain.Duplicates} applied twice, {drain.DeadLettered} dead-lettered, {drain.StillPending} left Pending; {drain.Refused} requests refused with 429 in {drain.Pauses} pause(s)"));
            rows.Add(new Row("Pace kept once the limit was known", $"{drain.PacedPerSecond:N1} callbacks/s", $"{drain.ShareOfCeiling:P0} of the {drain.CeilingPerSecond:N0}/s ceiling (6,000 requests per 5 minutes; one request per callback)"));
            rows.Add(new Row("One relay application user, sustained", $"{perHour:N0} callbacks/hour", "the pace kept, for an hour"));
            goals.Add(new Goal("under the limits, 10,000 callbacks: none lost, none applied twice",
                $"{drain.Applied:N0} applied, {drain.Receipts:N0} receipts, {drain.DeadLettered} dead letters",
                drain.Applied == drain.Events && drain.Receipts == drain.Events && drain.DeadLettered == 0 && drain.StillPending == 0));
            goals.Add(new Goal("the pace the relay keeps is within 10 % of the limit's ceiling", $"{drain.ShareOfCeiling:P0}", drain.ShareOfCeiling is >= 0.9 and <= 1.0));
            goals.Add(new Goal("no 429 storm: refusals only for deliveries in flight when a limit was met", $"{drain.Refused} in {drain.Pauses} pause(s)", drain.Refused <= drain.Pauses * 16));

            progress.WriteLine("limits: bulk import of 10,000 contacts, 1Kosmos at 20 starts/s (about 10 minutes)");
            var import = await BulkOnboarding.RunAsync(10_000, startsPerSecond: 20, ServiceProtectionLimits.Documented, budget.Token);
            rows.Add(new Row("Bulk import, 10,000 contacts with verify-on-create", $"all started in {import.Seconds:N0} s",
                $"import {import.ImportSeconds:N0} s ({import.ImportRequests:N0} requests, {import.ImportRefusals} refused by the importer's limit), then {import.ReconcileRuns} reconcile run(s)"));
            rows.Add(new Row("… Dataverse calls by the product's plug-ins", $"{import.PluginCalls:N0}", $"{(double)import.PluginCalls / import.Contacts:N1} per contact, inside Dataverse (not counted by service protection)"));
            rows.Add(new Row("… 1Kosmos calls", $"{import.BlockIdCalls:N0}", $"{import.StartsThrottled:N0} starts answered 429; the floor is {import.Contacts / 20.0:N0} s of starts at 20/s"));
            goals.Add(new Goal("bulk import: every contact has exactly one verification, none unstarted",
                $"{import.Verifications:N0} verifications, {import.ContactsVerifiedOnce:N0} contacts with one, {import.Unstarted} unstarted",
                import.Verifications == import.Contacts && import.ContactsVerifiedOnce == import.Contacts && import.Unstarted == 0));

            foreach (var pending in new[] { 1_000, 100_000 })
            {
                progress.WriteLine($"limits: one reconcile run with {pending:N0} pending");
                rows.Add(ReconcileRun(pending));
            }
            return new Section(rows, goals);
        }

        /// <summary>One okos_ReconcileVerifications run of 500 sessions (its cap) over <paramref name="pending"/> Pending verifications.</summary>
        private static Row ReconcileRun(int pending)
        {
            var product = new ProductSandbox();
            product.Connect();
            var first = product.Dataverse.Seed(new Entity("contact") { ["lastname"] = "Template", ["emailaddress1"] = "t@example.com" })[0];
            product.Call("okos_StartVerification", null, ("Subject", new EntityReference("contact", first)));
            var template = product.Verifications.Single();
            var checkedAt = DateTime.UtcNow.AddMinutes(-10);
            var sessions = new List<SimulatedSession>();
            const int Batch = 5_000;
            for (var start = 1; start < pending; start += Batch)
            {
                var count = Math.Min(Batch, pending - start);
                var contacts = product.Dataverse.Seed(Enumerable.Range(start, count)
                    .Select(i => new Entity("contact") { ["lastname"] = $"Pending {i}", ["emailaddress1"] = $"p{i}@example.com" }).ToArray());
                var rows = contacts.Select(contact =>
                {
                    var session = Guid.NewGuid().ToString();
                    sessions.Add(new SimulatedSession(session, contact.ToString(), null, null, "dl_object", DateTimeOffset.UtcNow));
                    var row = new Entity("okos_verification");
                    foreach (var pair in template.Attributes.Where(pair => pair.Key is not ("okos_verificationid" or "okos_sessionid" or "okos_contactid" or "okos_reservationkey" or "okos_lastcheckedat")))
                    {
                        row[pair.Key] = pair.Value;
                    }
                    row["okos_sessionid"] = session;
                    row["okos_contactid"] = new EntityReference("contact", contact);
                    row["okos_reservationkey"] = Guid.NewGuid().ToString("N");
                    row["okos_lastcheckedat"] = checkedAt;
                    return row;
                }).ToArray();
                product.Dataverse.Seed(rows);
            }
            product.Simulator.Restore(sessions, Array.Empty<SimulatedLiveIdSession>());
            product.Call("okos_ReconcileVerifications", null, ("MaxSessions", 10));
            using var calls = product.Dataverse.StartCallLog();
            var clock = Stopwatch.StartNew();
            var response = product.Call("okos_ReconcileVerifications", null, ("MaxSessions", 500));
            var seconds = clock.Elapsed.TotalSeconds;
            var queries = calls.Calls.Count(call => call.StartsWith("RetrieveMultiple okos_verification", StringComparison.Ordinal));
            return new Row($"One reconcile run of 500 sessions, {pending:N0} pending", $"{seconds * 1000:N0} ms",
                $"checked {(int)response["Checked"]}; {calls.Count:N0} Dataverse calls, {queries} of them the paged query for the oldest-checked; a full pass takes {Math.Ceiling(pending / 500.0):N0} run(s)");
        }
    }
}
