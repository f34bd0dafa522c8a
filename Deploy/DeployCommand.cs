using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using OneKosmos.Solution.Packer;

namespace OneKosmos.Deploy
{
    /// <summary>What the okos-deploy command does, callable in-process (the local sandbox installs itself this way).</summary>
    public static class DeployCommand
    {
        /// <remarks>
        /// Secrets are read through <paramref name="environmentVariable"/> (the process's environment on the command line);
        /// <paramref name="http"/> carries sign-in and Web API calls (null: a new client); <paramref name="settings"/> given in
        /// code replace the file (the sandbox's); <paramref name="repositoryRoot"/> holds pac.config and Solution/src (default:
        /// found from the current folder); <paramref name="pollInterval"/> is how often the import's system job is read;
        /// <paramref name="solutionZip"/> is a solution already in memory (the sandbox packs once a process).
        /// </remarks>
        /// <returns>0 when deployed (or, with <paramref name="dryRun"/>, planned).</returns>
        /// <exception cref="DeployFailure">A step failed.</exception>
        public static async Task<int> RunAsync(Uri environment, FileInfo? settingsFile, FileInfo? solution, bool dryRun, Func<string, string?> environmentVariable,
            IDeployOutput output, HttpClient? http, CancellationToken cancellation, DeploySettings? settings = null, string? repositoryRoot = null, TimeSpan? pollInterval = null, byte[]? solutionZip = null)
        {
            settings ??= settingsFile is null ? new DeploySettings() : DeploySettings.Load(settingsFile.FullName);
            var root = repositoryRoot ?? Repository.FindRoot(Directory.GetCurrentDirectory()) ?? Repository.FindRoot(AppContext.BaseDirectory)
                ?? throw new DeployFailure("Find the solution", "No pac.config in this folder or above it: okos-deploy reads the steps and bindings from Solution/src.", "Run okos-deploy from the repository.");
            byte[] zip;
            if (solutionZip is not null)
            {
                zip = solutionZip;
            }
            else if (solution is null)
            {
                output.Say($"packing Solution/src ({(settings.Managed ? "managed" : "unmanaged")})");
                zip = SolutionZip.Pack(root, settings.Managed);
            }
            else
            {
                zip = await File.ReadAllBytesAsync(solution.FullName, cancellation);
            }
            var client = http ?? new HttpClient();
            try
            {
                var token = SignIn.TokenSource(environment, settings.SignIn, environmentVariable, http, output.Say);
                var deployer = new Deployer(new WebApiClient(environment, client, token), settings, Path.Combine(root, "Solution", "src"), environmentVariable, output, dryRun, pollInterval);
                var changes = await deployer.RunAsync(zip, cancellation);
                output.Say(dryRun ? $"{changes} change(s) planned; nothing was changed." : changes == 0 ? "Nothing to change: the environment is up to date." : $"Deployed: {changes} change(s).");
                return 0;
            }
            finally
            {
                if (http is null)
                {
                    client.Dispose();
                }
            }
        }
    }
}
