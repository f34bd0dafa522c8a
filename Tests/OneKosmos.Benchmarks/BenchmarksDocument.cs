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
            // One more than the other paths: a callback that ends a verification raises the business event okos_VerificationEnded (#23).
            ("Callback (okos_ProcessVerificationCallback)", "Callback", 7),
            ("Status (okos_GetVerificationStatus), nothing stale", "StatusWhenNothingIsStale", 1),
            ("Gate allowing a Win", "GateAllowingAWin", 2),
            ("Gate refusing a Win", "GateBlockingAWin", 5),
        };

        public static string Write(string root, string command, DateTimeOffset started, IReadOnlyList<Summary> summaries,
            Section relay, Section limits, string? callCounts, string? soak)
        {
            var text = new StringBuilder();
            var culture = CultureInfo.InvariantCulture;
            text.AppendLine("# Benchmarks").AppendLine();
            text.AppendLine(culture, $"Measured {started:yyyy-MM-dd HH:mm} UTC on {Machine()}, {RuntimeInformation.OSDescription}, .NET {Environment.Version}.");
            text.AppendLine(culture, $"Regenerate with `{command}` (all of it takes about 45 minutes on 2 cores, the limits section 25 of them; a filter such as `'*Crypto*'` runs less).");
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
                text.AppendLine(culture, $"| plug-in overhead at L = 50 ms ≤ 2 % ({row.Path}), net of the wait measured | {row.OverheadShare:0.0} % | {Met(row.OverheadShare <= 2)} |");
            }
            foreach (var goal in relay.Goals.Concat(limits.Goals))
            {
                text.AppendLine(culture, $"| {goal.What} | {goal.Measured} | {Met(goal.Met)} |");
            }
            foreach (var (path, _, goal, list) in calls.Where(call => call.Test != "GateBlockingAWin"))
            {
                text.AppendLine(culture, $"| {path}: ≤ {goal} Dataverse calls | {list.Length} | {Met(list.Length <= goal)} |");
            }
            text.AppendLine();

            text.AppendLine("## 1. Plug-in overhead").AppendLine();
            text.AppendLine("The start-verification path with the 1Kosmos simulator answering after L ms, in process (no network), settings and tenant keys cached.");
            text.AppendLine("Overhead is (time − W) / L, W the simulated wait each call actually took, measured (a timer overshoots L); at L = 0 it is the absolute time.");
            text.AppendLine("Each call starts a verification for a new contact.").AppendLine();
            if (overhead.Count == 0)
            {
                text.AppendLine("Not run this time (filter).").AppendLine();
            }
            else
            {
                text.AppendLine("| path | L | time per call | wait measured (W) | (time − W) / L | allocated per call |").AppendLine("| --- | --- | --- | --- | --- | --- |");
                foreach (var row in overhead)
                {
                    text.AppendLine(culture, $"| {row.Path} | {row.LatencyMs} ms | {Time(row.MeanNs)} | {Time(row.WaitNs)} | {(row.LatencyMs == 0 ? $"{row.MeanNs / 1000:N0} µs" : $"{row.OverheadShare:0.0} %")} | {Bytes(row.Allocated)} |");
                }
                text.AppendLine();
                text.AppendLine("""
                    At L = 0 the time is all ours, and most of it is the sandbox's: the path's Dataverse calls (section 2) go
                    through the in-memory Dataverse, which checks metadata on every write and copies every row it hands out
                    (the allocations are mostly those copies). The product's own pure work per start — the 1Kosmos request
                    sealed, the answer opened, the state machine — is a few tens of microseconds (section 3), and the
                    simulator's side of the call about as much. With L > 0 the measure subtracts the wait as it actually
                    happened, so what remains is the path's own time; where the 2 % goal is missed, it is by the sandbox's
                    cost per Dataverse call (the L = 0 figure), which a real environment replaces by its own round trips
                    inside Dataverse, to be measured there (plug-in trace log timings).
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
            if (relay.Rows.Count == 0)
            {
                text.AppendLine("Not run this time (filter).").AppendLine();
            }
            else
            {
                text.AppendLine("The SQLite queue on disk, the running dispatcher, the sandbox's Web API over HTTPS on 127.0.0.1 and the callback API in process;");
                text.AppendLine("each delivery fetches the authoritative result from the simulated 1Kosmos. Backlog rows are events not yet visible (a dispatcher that was down).");
                text.AppendLine("The service protection limits are off here (section 5 has them): these are the relay's own figures.").AppendLine();
                Table(text, relay.Rows);
                text.AppendLine("""
                    Reading these figures:
                    - Absolute rates move by about a fifth from run to run on this 2-core machine, where the relay, the sandbox's
                      Dataverse, the simulated 1Kosmos and the measuring clients share the cores; the goals are therefore ratios
                      measured within one run.
                    - The ingress answers 202 only after its event is on disk. Concurrent enqueues share one transaction and
                      one flush (group commit); one enqueue alone still costs a flush (the "enqueue" figure). The queue alone
                      takes about 10,000 enqueues a second from 16 writers, but behind HTTP on this machine the durable ingress
                      reaches 40 to 55 % of the no-op one from run to run, about the same with the disk flush turned off: the
                      cost is the hand-offs between the request and the one writer, on two cores the 16 senders keep busy, not
                      the disk. So the ½ goal is marginal here. A writer thread of its own and a kept connection did not change
                      it measurably; measure on more cores.
                    - End to end is bound by the sandbox: the in-memory Dataverse runs one request at a time, so more concurrency
                      only queues in front of it, and the callback API called directly at the same concurrency is the ceiling.
                      A real Dataverse runs requests in parallel within its service protection limits.
                    - Leases read the queue through its visibility index, so events waiting for a later time (the backlog) are
                      never walked.
                    """).AppendLine();
            }

            text.AppendLine("## 5. At the platform's limits").AppendLine();
            if (limits.Rows.Count == 0)
            {
                text.AppendLine("Not run this time (filter).").AppendLine();
            }
            else
            {
                text.AppendLine("The sandbox's Web API enforces Dataverse's service protection limits per user as Microsoft documents them");
                text.AppendLine("(learn.microsoft.com/power-apps/developer/data-platform/api-limits: 6,000 requests and 20 minutes of execution time in a");
                text.AppendLine("5-minute sliding window, 52 concurrent; 429 with Retry-After). The simulated 1Kosmos takes 20 starts a second in the import.").AppendLine();
                Table(text, limits.Rows);
                text.AppendLine("""
                    What bounds each figure:
                    - Callbacks: the limit on requests (one per callback): 20 a second, 72,000 an hour at most. Execution time
                      would bind only above 200 ms per callback (1,200 s per 6,000 requests), and deliveries take a few
                      milliseconds. The relay sends freely until the first 429 (the first 6,000 go as fast as the sandbox serves
                      them, about 60 a second at this size), waits out its Retry-After with every delivery, then paces itself at
                      90 % of what the window carried, growing 5 % a window; the pace is measured once a whole window has passed
                      since the refusal.
                    - Bulk import: 1Kosmos' 20 starts a second is the floor (500 s for 10,000). Each create's plug-in tries its
                      start once (a 429 costs one quick call; a plug-in keeps nothing across executions to remember it), and
                      reconcile retries the rest, waiting out 1Kosmos' Retry-After within a run. The in-memory Dataverse serves one
                      request at a time, so the import and reconcile run one after the other here; a real environment overlaps
                      them, so the total is an upper bound. Reconcile runs back to back (OlderThanMinutes 0) as a tight schedule
                      would; with the shipped 5-minute schedule and 500 sessions a run, the rest of a 10,000 import takes
                      about 16 runs.
                    - Reconcile at scale: a run checks at most 500 sessions (the custom API's cap) within a 60 s budget, oldest
                      checked first; with 100,000 pending, a full pass takes 200 runs, about 17 hours at one run each 5 minutes.
                      The in-memory Dataverse sorts the pending rows for each page of its query, which a real Dataverse answers
                      from an index.
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

        private static void Table(StringBuilder text, IReadOnlyList<Row> rows)
        {
            text.AppendLine("| measure | figure | notes |").AppendLine("| --- | --- | --- |");
            foreach (var row in rows)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {row.What} | {row.Figure} | {row.Notes} |");
            }
            text.AppendLine();
        }

        /// <remarks><c>WaitNs</c>: the simulated wait per call as measured; L itself when it was not measured.</remarks>
        private sealed record OverheadRow(string Path, int LatencyMs, double MeanNs, double WaitNs, long Allocated)
        {
            public double OverheadShare => LatencyMs == 0 ? 0 : (MeanNs - WaitNs) / 1e6 / LatencyMs * 100;
        }

        private static IEnumerable<OverheadRow> Overhead(IReadOnlyList<Summary> summaries) =>
            summaries.SelectMany(summary => summary.Reports)
                .Where(report => report.BenchmarkCase.Descriptor.Type == typeof(PluginOverheadBenchmarks) && report.ResultStatistics is not null)
                .Select(report => (Method: report.BenchmarkCase.Descriptor.WorkloadMethod.Name, LatencyMs: (int)report.BenchmarkCase.Parameters["LatencyMs"], Report: report))
                .Select(run => new OverheadRow(
                    run.Method == nameof(PluginOverheadBenchmarks.StartByTheApi) ? "okos_StartVerification" : "trigger plug-in on contact Create",
                    run.LatencyMs,
                    run.Report.ResultStatistics!.Mean,
                    PluginOverheadBenchmarks.MeasuredWaits.TryGetValue($"{run.Method}:{run.LatencyMs}", out var wait) ? wait.Ticks * 100.0 : run.LatencyMs * 1e6,
                    run.Report.GcStats.GetBytesAllocatedPerOperation(run.Report.BenchmarkCase) ?? 0))
                .OrderBy(row => row.Path, StringComparer.Ordinal).ThenBy(row => row.LatencyMs);

        private static string Met(bool met) => met ? "yes" : "**no** (see below)";

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
