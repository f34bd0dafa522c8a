using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using OneKosmos.Tests.Shared;

namespace OneKosmos.Sandbox.Host.Tests
{
    /// <summary>okos-sandbox as a person starts it: it says where to open it, serves the UI, and stops cleanly when told to.</summary>
    [TestClass]
    public sealed class SandboxProcessTests
    {
        [TestMethod]
        public async Task TheSandbox_PrintsItsAddress_ServesTheUi_AndOnSigtermSavesItsDataAndExits()
        {
            var configuration = typeof(SandboxProcessTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
            var dll = Path.Combine(RepositoryPaths.Root, "Sandbox", "Host", "bin", configuration, "net10.0", "okos-sandbox.dll");
            var data = Path.Combine(Path.GetTempPath(), $"okos-sandbox-process-{Guid.NewGuid():N}.json");
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = RepositoryPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { dll, "--port", "0", "--data", data })
            {
                start.ArgumentList.Add(argument);
            }
            var output = new ConcurrentQueue<string>();
            var address = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            using var process = Process.Start(start)!;
            try
            {
                process.OutputDataReceived += (_, line) =>
                {
                    if (line.Data is null)
                    {
                        return;
                    }
                    output.Enqueue(line.Data);
                    if (Regex.Match(line.Data, @"Open (http://127\.0\.0\.1:\d+)/") is { Success: true } open)
                    {
                        address.TrySetResult(open.Groups[1].Value);
                    }
                };
                process.ErrorDataReceived += (_, line) => { if (line.Data is not null) { output.Enqueue(line.Data); } };
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();

                // A bound so a broken start fails the test instead of hanging it; nothing here measures speed.
                var url = await address.Task.WaitAsync(TimeSpan.FromMinutes(2));
                using var http = new HttpClient();
                StringAssert.Contains(await http.GetStringAsync(url + "/"), "OneKosmos sandbox");

                using (var signal = Process.Start("kill", new[] { "-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) })!)
                {
                    await signal.WaitForExitAsync();
                }
                using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
                await process.WaitForExitAsync(patience.Token);

                Assert.AreEqual(0, process.ExitCode, string.Join("\n", output));
                Assert.IsTrue(output.Contains("Stopping."), string.Join("\n", output));
                StringAssert.Contains(File.ReadAllText(data), "okos-sandbox-data/1");
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
                File.Delete(data);
            }
        }
    }
}
