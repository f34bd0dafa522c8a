using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using OneKosmos.Sandbox.Host;
using OneKosmos.Sandbox.Host.Persistence;
using OneKosmos.Sandbox.Host.Scenarios;
using OneKosmos.Sandbox.Host.Site;
using OneKosmos.Sandbox.Host.Ui;

// okos-sandbox: the whole product on this machine.
//   dotnet run --project Sandbox/Host                       starts it with its browser UI (--port, default 5180) and waits for Ctrl+C;
//                                                           --data <file> keeps its data across runs
//   dotnet run --project Sandbox/Host -- scenario <name>    runs a scenario, prints its timeline, exits 1 if an expectation fails
//   dotnet run --project Sandbox/Host -- --blockid-tenant <dns> --blockid-community <name>
//                                                           uses a real 1Kosmos tenant (OKOS_BLOCKID_LICENSE_KEY, OKOS_BLOCKID_DVC_ID)
var source = FindSolutionSource();
if (source is null)
{
    Console.Error.WriteLine("okos-sandbox: run it from the repository (Solution/src was not found above the current folder).");
    return 2;
}
SandboxOptions options;
try
{
    options = SandboxOptions.Parse(args, Environment.GetEnvironmentVariable);
}
catch (ArgumentException problem)
{
    Console.Error.WriteLine($"okos-sandbox: {problem.Message}");
    return 2;
}
if (options.Scenario is { } scenarioName)
{
    if (!Scenarios.All.TryGetValue(scenarioName, out var scenario))
    {
        Console.Error.WriteLine("usage: okos-sandbox scenario <name>");
        foreach (var (name, (description, _, _)) in Scenarios.All)
        {
            Console.Error.WriteLine($"  {name,-20} {description}");
        }
        return 2;
    }
    await using var environment = await LocalEnvironment.StartAsync(source, scenario.NeedsRelay);
    Console.WriteLine($"Scenario {scenarioName}: {scenario.Description}");
    try
    {
        await scenario.Run(environment);
        Print(environment);
        Console.WriteLine("PASSED");
        return 0;
    }
    catch (ScenarioFailed failure)
    {
        Print(environment);
        Console.WriteLine($"FAILED: {failure.Message}");
        return 1;
    }
}

var started = System.Diagnostics.Stopwatch.StartNew();
await using (var environment = await LocalEnvironment.StartAsync(source, tenant: options.Tenant))
{
    var data = options.DataFile is { } dataPath ? new SandboxDataFile(dataPath) : null;
    var kept = 0;
    BrowserUi browser;
    try
    {
        kept = data?.Load(environment) ?? 0;
        browser = await BrowserUi.StartAsync(environment, Path.GetDirectoryName(Path.GetDirectoryName(source))!, options.Port);
    }
    catch (IOException problem) when (options.Port != 0)
    {
        Console.Error.WriteLine($"okos-sandbox: port {options.Port} is taken ({problem.Message}). Stop what uses it, or pick another with --port <n> (0 takes any free port).");
        return 2;
    }
    catch (Exception problem) when (problem is InvalidOperationException or InvalidDataException)
    {
        Console.Error.WriteLine($"okos-sandbox: {problem.Message}");
        return 2;
    }
    await using (browser)
    {
        var keeping = data is null
            ? "Data stays in memory: --data <file> keeps it across runs."
            : $"Data is kept in {data.FilePath} ({kept} rows read back).";
        Console.WriteLine($"""
            OneKosmos sandbox is running{(options.Tenant is { } tenant ? $" against the real {tenant}" : "")} (ready in {started.Elapsed.TotalSeconds:0.0} s).

              Open {browser.LaunchUrl}

            What to try:
              1. Contacts → New contact, save: its identity verification starts (okos_VerifyOnContactCreate is on).
              2. In the Identity panel, "Send by email" shows the capture link; open it and pick "Pass: document and selfie (IAL2)".
              3. Refresh the contact: the panel reads Verified, IAL2, with the credential's DID.
              4. Opportunities → New, for that contact, Est. Revenue 250000, save, then "Close as won": the gate asks for a step-up.
                 "Request step-up" in the panel, complete it from the link, refresh, and close as won again.
              5. Activity log: each request with its plug-in traces, 1Kosmos calls, relay messages and gate decisions.
              6. The company's Power Pages site, {browser.Url}/site: sign in as {PowerPagesSite.SiteUsers[0].Email}, "Verify my identity",
                 "Continue on this device", pass the capture; the page turns Verified by itself.
            Also here: Dataverse Web API {environment.WebApiUrl}/api/data/v9.2/ (HTTPS, local certificate), BlockID simulator
            {environment.SimulatorHost.Address}, relay {environment.RelayUrl}. Scripted: dotnet run --project Sandbox/Host -- scenario onboarding
            {keeping} Ctrl+C stops everything.
            """);
        using var stop = new CancellationTokenSource();
        // Ctrl+C, and a service manager's or container's stop (SIGTERM), end the run the same way: the data saved, then all parts stopped.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        void Stop(PosixSignalContext signal)
        {
            signal.Cancel = true;
            stop.Cancel();
        }
        var saving = data?.KeepSavedAsync(environment, TimeSpan.FromSeconds(2), stop.Token) ?? Task.CompletedTask;
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("Stopping.");
        }
        await saving;
    }
}
return 0;

static void Print(LocalEnvironment environment)
{
    foreach (var line in environment.Timeline)
    {
        Console.WriteLine(line);
    }
}

static string? FindSolutionSource()
{
    for (var folder = new DirectoryInfo(Directory.GetCurrentDirectory()); folder is not null; folder = folder.Parent)
    {
        var candidate = Path.Combine(folder.FullName, "Solution", "src");
        if (Directory.Exists(candidate) && File.Exists(Path.Combine(folder.FullName, "pac.config")))
        {
            return candidate;
        }
    }
    return null;
}
