using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using OneKosmos.Benchmarks;
using OneKosmos.Tests.Shared;

// dotnet run -c Release --project Tests/OneKosmos.Benchmarks -- [filter]
//   Runs the benchmarks whose name matches the filter (default '*': all), the relay's throughput run when the filter
//   matches 'Relay', the platform-limits runs when it matches 'Limits', the call-count and fault-soak tests for their
//   figures, and writes docs/benchmarks.md.
var filter = args.Length > 0 ? args[0] : "*";
var command = "dotnet run -c Release --project Tests/OneKosmos.Benchmarks -- " + (args.Length > 0 ? $"'{filter}'" : "'*'");
var root = RepositoryPaths.Root;
var started = DateTimeOffset.UtcNow;

var config = ManualConfig.CreateEmpty()
    .AddColumnProvider(DefaultColumnProviders.Instance)
    .AddLogger(BenchmarkDotNet.Loggers.ConsoleLogger.Default)
    .AddDiagnoser(MemoryDiagnoser.Default)
    .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(2).WithIterationCount(6)
        .WithInvocationCount(PluginOverheadBenchmarks.Invocations).WithUnrollFactor(1).WithId("short"))
    .WithArtifactsPath(Path.Combine(root, "Tests", "OneKosmos.Benchmarks", "BenchmarkDotNet.Artifacts"))
    .WithOptions(ConfigOptions.DisableLogFile);
var microConfig = ManualConfig.CreateEmpty()
    .AddColumnProvider(DefaultColumnProviders.Instance)
    .AddLogger(BenchmarkDotNet.Loggers.ConsoleLogger.Default)
    .AddDiagnoser(MemoryDiagnoser.Default)
    .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(10).WithId("micro"))
    .WithArtifactsPath(Path.Combine(root, "Tests", "OneKosmos.Benchmarks", "BenchmarkDotNet.Artifacts"))
    .WithOptions(ConfigOptions.DisableLogFile);

var summaries = new List<Summary>();
summaries.AddRange(BenchmarkSwitcher.FromTypes(new[] { typeof(PluginOverheadBenchmarks) }).Run(new[] { "--filter", filter }, config));
summaries.AddRange(BenchmarkSwitcher.FromTypes(new[] { typeof(CryptoAndParsingBenchmarks) }).Run(new[] { "--filter", filter }, microConfig));

var relay = Matches(filter, "Relay") ? await RelayThroughput.MeasureAsync(Console.Out) : Section.None;
var limits = Matches(filter, "Limits") ? await PlatformLimits.MeasureAsync(Console.Out) : Section.None;
var callCounts = RunTests("Tests/OneKosmos.CustomApis.Tests", "CallCountTests", Path.Combine(root, "Tests", "OneKosmos.CustomApis.Tests", "test-results", "call-counts"));
var soak = RunTests("Tests/OneKosmos.Relay.Tests", "FaultSoakTests", Path.Combine(root, "Tests", "OneKosmos.Relay.Tests", "test-results"));

var report = BenchmarksDocument.Write(root, command, started, summaries, relay, limits, callCounts, soak);
Console.WriteLine($"Wrote {report}.");
return 0;

static bool Matches(string filter, string name) =>
    filter == "*" || name.Contains(filter.Trim('*'), StringComparison.OrdinalIgnoreCase);

// The call counts and the soak are tests (CI pins them); the report runs them and reads what they wrote.
static string? RunTests(string project, string testClass, string results)
{
    var start = new ProcessStartInfo("dotnet") { WorkingDirectory = RepositoryPaths.Root, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var argument in new[] { "test", "--project", project, "-c", "Release", "--", "--filter", $"FullyQualifiedName~{testClass}" })
    {
        start.ArgumentList.Add(argument);
    }
    Console.WriteLine($"running {testClass} for its figures");
    using var process = Process.Start(start)!;
    // Read both streams to their end, so a chatty test run never blocks on a full pipe.
    _ = process.StandardOutput.ReadToEndAsync();
    _ = process.StandardError.ReadToEndAsync();
    process.WaitForExit();
    return process.ExitCode == 0 && Directory.Exists(results) ? results : null;
}
