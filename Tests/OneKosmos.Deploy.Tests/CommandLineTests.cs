using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using OneKosmos.Tests.Shared;

namespace OneKosmos.Deploy.Tests
{
    /// <summary>The okos-deploy command itself, run as an administrator runs it.</summary>
    [TestClass]
    public sealed class CommandLineTests
    {
        [TestMethod]
        public async Task WithoutAnEnvironment_SaysHowToCallIt_ExitCode2()
        {
            var (exit, _, error) = await RunAsync();

            Assert.AreEqual(2, exit);
            StringAssert.Contains(error, "--environment");
            StringAssert.Contains(error, "usage: okos-deploy");
        }

        [TestMethod]
        public async Task WithAnEnvironmentThatIsNoHttpsAddress_SaysWhatItMustBe_ExitCode2()
        {
            var (exit, _, error) = await RunAsync("--environment", "contoso.crm.dynamics.com");

            Assert.AreEqual(2, exit);
            StringAssert.Contains(error, "must be the environment's https address");
        }

        [TestMethod]
        public async Task WithASettingsFileThatIsNotJson_NamesTheFileAndStops_ExitCode1()
        {
            var settings = Path.Combine(Path.GetTempPath(), $"okos-deploy-{Guid.NewGuid():N}.json");
            File.WriteAllText(settings, "{ \"environmentVariables\": [ }");
            try
            {
                var (exit, output, _) = await RunAsync("--environment", "https://contoso.crm.dynamics.com", "--settings", settings);

                Assert.AreEqual(1, exit);
                StringAssert.Contains(output, "okos-deploy stopped at \"Read the settings\"");
                StringAssert.Contains(output, Path.GetFileName(settings));
            }
            finally
            {
                File.Delete(settings);
            }
        }

        [TestMethod]
        public async Task ASettingUnknownToOkosDeploy_IsRefusedNotIgnored()
        {
            var settings = Path.Combine(Path.GetTempPath(), $"okos-deploy-{Guid.NewGuid():N}.json");
            File.WriteAllText(settings, "{ \"licenseKey\": \"oops\" }");
            try
            {
                var (exit, output, _) = await RunAsync("--environment", "https://contoso.crm.dynamics.com", "--settings", settings);

                Assert.AreEqual(1, exit);
                StringAssert.Contains(output, "licenseKey");
            }
            finally
            {
                File.Delete(settings);
            }
        }

        private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] arguments)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryPaths.Root };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "okos-deploy.dll"));
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
            start.Environment["NO_COLOR"] = "1";
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await output, await error);
        }
    }
}
