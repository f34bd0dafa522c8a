using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using OneKosmos.Sandbox.Host;
using OneKosmos.Sandbox.Host.Scenarios;

// okos-sandbox: the whole product on this machine.
//   dotnet run --project Sandbox/Host                       starts it and waits for Ctrl+C
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

await using (var environment = await LocalEnvironment.StartAsync(source, tenant: options.Tenant))
{
    Console.WriteLine($"""
        OneKosmos sandbox is running{(options.Tenant is { } tenant ? $" against the real {tenant}" : "")}.
          Dataverse Web API   {environment.WebApiUrl}/api/data/v9.2/   (HTTPS with a local certificate; tokens from {environment.WebApiUrl}/sandbox/v2.0)
          BlockID simulator   {environment.SimulatorHost.Address}       (capture pages: /idproofing/session/<session id>)
          Relay               {environment.RelayUrl}                   (POST /callbacks/blockid, GET /healthz)
        What to try: the scripted scenarios, each on a fresh sandbox of its own:
          dotnet run --project Sandbox/Host -- scenario onboarding | step-up-before-win | lost-callback
        There is no browser UI yet. Ctrl+C stops everything.
        """);
    using var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, press) =>
    {
        press.Cancel = true;
        stop.Cancel();
    };
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
        Console.WriteLine("Stopping.");
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
