using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using BenchmarkDotNet.Reports;

namespace OneKosmos.Benchmarks
{
    /// <summary>Writes docs/benchmarks.md from one run: the machine, the date, the command, each table, and each goal met or missed.</summary>
    internal static class BenchmarksDocument
    {
        /// <summary>The goals for Dataverse calls per path (docs name, test name, goal).</summary>
        private static readonly (string Path, string Test, int Goal)[] CallGoals =
        {
            ("Start on contact Create", "StartOnContactCreate", 6),
            ("Start on opportunity stage change", "StartOnStageChange", 6),
            ("Start by okos_StartVerification", "StartByTheApi", 6),
            ("Callback (okos_ProcessVerificationCallback)", "Callback", 6),
            ("Status (okos_GetVerificationStatus), nothing stale", "StatusWhenNothingIsStale", 1),
            ("Gate allowing a Win", "GateAllowingAWin", 2),
            ("Gate refusing a Win", "GateBlockingAWin", 3),
        };

        public static string Write(string root, string command, DateTimeOffset started, IReadOnlyList<Summary> summaries,
            IReadOnlyList<RelayThroughput.Row> relay, string? callCounts, string? soak)
        {
            var text = new StringBuilder();
            var culture = CultureInfo.InvariantCulture;
            text.AppendLine("# Benchmarks").AppendLine();
            text.AppendLine(culture, $"Measured {started:yyyy-MM-dd HH:mm} UTC on {Machine()}, {RuntimeInformation.OSDescription}, .NET {Environment.Version}.");
            text.AppendLine(culture, $"Regenerate with `{command}` (all of it takes about ten minutes on 2 cores; a filter such as `'*Crypto*'` runs less).");
            text.AppendLine("The Dataverse call counts and the fault soak are tests that CI runs on every change; this run reruns them for their figures.");
            text.AppendLine("Times are from this machine and vary from run to run; the call counts do not.").AppendLine();

            var overhead = Overhead(summaries).ToList();
            var crypto = summaries.SelectMany(summary => summary.Reports).Where(report => report.BenchmarkCase.Descriptor.Type == typeof(CryptoAndParsingBenchmarks)).ToList();
            var calls = callCounts is null ? new List<(string Path, string Test, int Goal, string[] Calls)>() : CallGoals
                .Where(goal => File.Exists(Path.Combine(callCounts, goal.Test + ".txt")))
                .Select(goal => (goal.Path, goal.Test, goal.Goal, File.ReadAllLines(Path.Combine(callCounts, goal.Test + ".txt")))).ToList();

            text.AppendLine("## Goals").AppendLine();
            text.AppendLine("| goal | measured | met |").AppendLine("| --- | --- | --- |");
            foreach (var row in overhead.Where(row => row.LatencyMs == 50))
            {
                text.AppendLine(culture, $"| plug-in overhead at L = 50 ms ≤ 2 % ({row.Path}) | {row.OverheadShare:0.0} % | {Met(row.OverheadShare <= 2)} |");
            }
            if (relay.FirstOrDefault(row => row.What.StartsWith("Ingress", StringComparison.Ordinal)) is { } ingress)
            {
                text.AppendLine(culture, $"| ingress ≥ 1,000 events/s, durable | {ingress.Figure} | {Met(Rate(ingress.Figure) >= 1000)} |");
            }
            if (relay.FirstOrDefault(row => row.What == "End to end, concurrency 16") is { } endToEnd)
            {
                text.AppendLine(culture, $"| end to end ≥ 200 events/s at concurrency 16 | {endToEnd.Figure} | {Met(Rate(endToEnd.Figure) >= 200)} |");
            }
            foreach (var (path, _, goal, list) in calls.Where(call => call.Test != "GateBlockingAWin"))
            {
                text.AppendLine(culture, $"| {path}: ≤ {goal} Dataverse calls | {list.Length} | {Met(list.Length <= goal)} |");
            }
            text.AppendLine();

            text.AppendLine("## 1. Plug-in overhead").AppendLine();
            text.AppendLine("The start-verification path with the 1Kosmos simulator answering after L ms, in process (no network), settings and tenant keys cached.");
            text.AppendLine("Overhead is (time − L) / L; at L = 0 it is the absolute time. Each call starts a verification for a new contact.").AppendLine();
            if (overhead.Count == 0)
            {
                text.AppendLine("Not run this time (filter).").AppendLine();
            }
            else
            {
                text.AppendLine("| path | L | time per call | (time − L) / L | allocated per call |").AppendLine("| --- | --- | --- | --- | --- |");
                foreach (var row in overhead)
                {
                    text.AppendLine(culture, $"| {row.Path} | {row.LatencyMs} ms | {Time(row.MeanNs)} | {(row.LatencyMs == 0 ? $"{row.MeanNs / 1000:N0} µs" : $"{row.OverheadShare:0.0} %")} | {Bytes(row.Allocated)} |");
                }
                text.AppendLine();
                text.AppendLine("""
                    At L = 0 the time is all ours, and most of it is the sandbox's: the path's Dataverse calls (section 2) go
                    through the in-memory Dataverse, which checks metadata on every write and copies every row it hands out
                    (the allocations are mostly those copies). The product's own pure work per start — the 1Kosmos request
                    sealed, the answer opened, the state machine — is a few tens of microseconds (section 3), and the
                    simulator's side of the call about as much. With L > 0 the simulated wait overshoots by up to a
                    millisecond (timer granularity), which the measure counts as ours. So the 2 % goal at L = 50 ms (1 ms) is
                    missed by the sandbox's cost, not the product's; in a real environment each of the path's Dataverse calls
                    is a round trip inside Dataverse, and the share has to be measured there (plug-in trace log timings).
                    """).AppendLine();
            }

            text.AppendLine("## 2. Dataverse calls per operation").AppendLine();
            text.AppendLine("Counted by the sandbox's organization service: the calls the product's plug-ins make, not the request that started them, settings cache warm.");
            text.AppendLine("`Tests/OneKosmos.CustomApis.Tests/CallCountTests` pins each list: a change that adds a call fails until it is justified here.").AppendLine();
            if (calls.Count == 0)
            {
                text.AppendLine("The call-count tests did not run (or failed): run `dotnet test --project Tests/OneKosmos.CustomApis.Tests -c Release -- --filter FullyQualifiedName~CallCountTests`.").AppendLine();
            }
            else
            {
                text.AppendLine("| path | calls | goal | the calls, in order |").AppendLine("| --- | --- | --- | --- |");
                foreach (var (path, _, goal, list) in calls)
                {
                    text.AppendLine(culture, $"| {path} | {list.Length} | ≤ {goal} | {string.Join(" → ", list)} |");
                }
                text.AppendLine();
                text.AppendLine("""
                    Why these calls, and what would remove more:
                    - Every start reserves its row before calling 1Kosmos, then writes the session (Create, then Update): a failure
                      between the two is never lost. Folding them into one write would create the 1Kosmos session first and leave
                      orphan sessions on every failed save; not worth one call.
                    - A start by stage change notes the contact's and the opportunity's timelines (two annotations), as the
                      people on each record look there.
                    - The API start reads the capture link back as the caller, so field security decides whether it is returned.
                    - Status needs 2 calls, not the 1 the goal asks: the caller's read of the contact is the access check (and
                      gives the name), and the verification rows are read with system rights so the answer never depends on
                      which rows the caller may see. One query as the caller (contact with its verifications linked) would make
                      that dependence; not worth one call.
                    - A gate that refuses reads the contact's name for its message; an allowed action does not.
                    """).AppendLine();
            }

            text.AppendLine("## 3. Crypto and parsing").AppendLine();
            if (crypto.Count == 0)
            {
                text.AppendLine("Not run this time (filter).").AppendLine();
            }
            else
            {
                text.AppendLine("| operation | time per call | allocated per call |").AppendLine("| --- | --- | --- |");
                foreach (var report in crypto)
                {
                    text.AppendLine(culture, $"| {report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\'')} | {Time(report.ResultStatistics?.Mean ?? 0)} | {Bytes(report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase))} |");
                }
                text.AppendLine();
                text.AppendLine("The 1Kosmos shared keys are agreed once per service key and kept (at most 16 per worker); each call then costs AES-GCM only.").AppendLine();
            }

            text.AppendLine("## 4. Relay").AppendLine();
            if (relay.Count == 0)
            {
                text.AppendLine("Not run this time (filter).").AppendLine();
            }
            else
            {
                text.AppendLine("The SQLite queue on disk, the dispatcher, the sandbox's Web API over HTTPS on 127.0.0.1 and the callback API in process;");
                text.AppendLine("each delivery fetches the authoritative result from the simulated 1Kosmos. Backlog rows are events not yet visible (a dispatcher that was down).").AppendLine();
                text.AppendLine("| measure | figure | notes |").AppendLine("| --- | --- | --- |");
                foreach (var row in relay)
                {
                    text.AppendLine(culture, $"| {row.What} | {row.Figure} | {row.Notes} |");
                }
                text.AppendLine();
                text.AppendLine("""
                    Reading these figures:
                    - They move by about a fifth from run to run on this 2-core machine, where the relay, the sandbox's Dataverse,
                      the simulated 1Kosmos and the measuring clients share the cores.
                    - The ingress answers 202 only after its event is on disk. Concurrent enqueues share one transaction and
                      one flush (group commit); one enqueue alone still costs a flush (the "enqueue" figure).
                    - End to end is bound by the sandbox, not the relay: the in-memory Dataverse runs one request at a time, so
                      the delivery p50 at concurrency 1 is its service time and more concurrency only queues in front of it.
                      A real Dataverse runs requests in parallel within its service-protection limits. What would raise it
                      here: a dispatcher that leases a new message as soon as a slot frees (it delivers in rounds, and a round
                      waits for its slowest delivery), and indexed lookups in the in-memory Dataverse.
                    - Enqueueing stays constant with 100,000 events queued. End to end drops behind a backlog as the lease query
                      walks the larger table (the depth gauge counts it at most once a second).
                    """).AppendLine();
            }

            text.AppendLine("## Fault soak").AppendLine();
            var soakFile = soak is null ? null : Path.Combine(soak, "fault-soak.txt");
            if (soakFile is null || !File.Exists(soakFile))
            {
                text.AppendLine("The soak did not run (or failed): run `dotnet test --project Tests/OneKosmos.Relay.Tests -c Release -- --filter FullyQualifiedName~FaultSoakTests`.").AppendLine();
            }
            else
            {
                text.AppendLine("`Tests/OneKosmos.Relay.Tests/FaultSoakTests` (in CI, 60 s budget): 1,000 verifications through the product and the relay with");
                text.AppendLine("5 % 5xx, 2 % timeouts and 1 % 429 from 1Kosmos, notifications duplicated, shuffled and lost, then reconcile.").AppendLine();
                text.AppendLine("```").Append(File.ReadAllText(soakFile).TrimEnd()).AppendLine().AppendLine("```").AppendLine();
            }

            var document = Path.Combine(root, "docs", "benchmarks.md");
            Directory.CreateDirectory(Path.GetDirectoryName(document)!);
            File.WriteAllText(document, text.ToString());
            return document;
        }

        private sealed record OverheadRow(string Path, int LatencyMs, double MeanNs, long Allocated)
        {
            public double OverheadShare => LatencyMs == 0 ? 0 : (MeanNs / 1e6 - LatencyMs) / LatencyMs * 100;
        }

        private static IEnumerable<OverheadRow> Overhead(IReadOnlyList<Summary> summaries) =>
            summaries.SelectMany(summary => summary.Reports)
                .Where(report => report.BenchmarkCase.Descriptor.Type == typeof(PluginOverheadBenchmarks) && report.ResultStatistics is not null)
                .Select(report => new OverheadRow(
                    report.BenchmarkCase.Descriptor.WorkloadMethod.Name == nameof(PluginOverheadBenchmarks.StartByTheApi) ? "okos_StartVerification" : "trigger plug-in on contact Create",
                    (int)report.BenchmarkCase.Parameters["LatencyMs"],
                    report.ResultStatistics!.Mean,
                    report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? 0))
                .OrderBy(row => row.Path, StringComparer.Ordinal).ThenBy(row => row.LatencyMs);

        private static string Met(bool met) => met ? "yes" : "**no** (see below)";

        private static double Rate(string figure) =>
            double.TryParse(figure.Split(' ')[0].Replace(",", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) ? rate : 0;

        private static string Time(double nanoseconds) => nanoseconds switch
        {
            >= 1e6 => string.Format(CultureInfo.InvariantCulture, "{0:N2} ms", nanoseconds / 1e6),
            >= 1e3 => string.Format(CultureInfo.InvariantCulture, "{0:N1} µs", nanoseconds / 1e3),
            _ => string.Format(CultureInfo.InvariantCulture, "{0:N0} ns", nanoseconds),
        };

        private static string Bytes(long? bytes) => bytes is null ? "–" : bytes >= 1024
            ? string.Format(CultureInfo.InvariantCulture, "{0:N1} KB", bytes / 1024.0)
            : string.Format(CultureInfo.InvariantCulture, "{0} B", bytes);

        private static string Machine()
        {
            var cpu = File.Exists("/proc/cpuinfo")
                ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
                : null;
            var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
            return string.Format(CultureInfo.InvariantCulture, "{0}, {1} cores, {2:N0} GiB", cpu ?? RuntimeInformation.ProcessArchitecture.ToString(), Environment.ProcessorCount, memory);
        }
    }
}
