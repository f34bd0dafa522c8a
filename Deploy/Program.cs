using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using OneKosmos.Deploy;
using Spectre.Console;

// okos-deploy: installs or upgrades OneKosmos in a Dataverse environment.
//   dotnet run --project Deploy -- --environment https://contoso.crm.dynamics.com [--settings deploy.json] [--solution zip] [--dry-run]
// Exit codes: 0 deployed (or planned), 1 a step failed (it says which and what to do), 2 usage.
var environment = new Option<string>("--environment") { Description = "The environment's URL, such as https://contoso.crm.dynamics.com.", Required = true };
var settingsFile = new Option<FileInfo?>("--settings") { Description = "The settings file: environment variable values, the 1Kosmos connection, the sign-in (README, Deploying to Dataverse)." };
var solution = new Option<FileInfo?>("--solution") { Description = "A solution zip to import; default: pack Solution/src with this build." };
var dryRun = new Option<bool>("--dry-run") { Description = "Say what would change, change nothing." };
var command = new RootCommand("Installs or upgrades OneKosmos for Dataverse in one environment and checks it works.") { environment, settingsFile, solution, dryRun };
command.SetAction(async (parse, cancellation) =>
{
    var console = AnsiConsole.Console;
    if (!Uri.TryCreate(parse.GetValue(environment), UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
    {
        Console.Error.WriteLine($"okos-deploy: --environment must be the environment's https address, such as https://contoso.crm.dynamics.com, not '{parse.GetValue(environment)}'.");
        return 2;
    }
    try
    {
        return await DeployCommand.RunAsync(
            url,
            parse.GetValue(settingsFile),
            parse.GetValue(solution),
            parse.GetValue(dryRun),
            Environment.GetEnvironmentVariable,
            new ConsoleOutput(console),
            http: null,
            cancellation);
    }
    catch (DeployFailure failure)
    {
        console.MarkupLine($"[red]{Markup.Escape(failure.ToString())}[/]");
        return 1;
    }
});
var parsed = command.Parse(args);
if (parsed.Errors.Count > 0 && !args.Contains("--help") && !args.Contains("-h"))
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"okos-deploy: {error.Message}");
    }
    Console.Error.WriteLine("usage: okos-deploy --environment https://contoso.crm.dynamics.com [--settings deploy.json] [--solution zip] [--dry-run]");
    return 2;
}
return await parsed.InvokeAsync();
