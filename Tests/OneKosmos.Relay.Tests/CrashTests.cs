using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Reflection;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Xrm.Sdk;
using OneKosmos.Sandbox.BlockId;
using OneKosmos.Sandbox.Host;
using OneKosmos.Core.Callbacks;
using OneKosmos.Relay.Queue;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Core.Verification;

namespace OneKosmos.Relay.Tests
{
    /// <summary>
    /// The relay as its own process, signing in with MSAL against the sandbox's issuer over HTTPS, killed with SIGKILL at the
    /// two worst moments. After a restart every event is applied exactly once and nothing is lost or dead-lettered.
    /// </summary>
    [TestClass]
    public sealed class CrashTests
    {
        private const string SenderSecret = "whsec_c2VuZGVyLXNlY3JldC1mb3ItdGhlLWluZ3Jlc3MtMDE=";

        private LocalDataverse _dataverse = null!;
        private string _folder = "";

        [TestInitialize]
        public async Task Arrange()
        {
            _dataverse = await LocalDataverse.StartAsync();
            _folder = Directory.CreateTempSubdirectory("okos-crash-").FullName;
        }

        [TestCleanup]
        public async Task Clean()
        {
            await _dataverse.DisposeAsync();
            Directory.Delete(_folder, recursive: true);
        }

        [TestMethod]
        public async Task KilledRightAfterAcceptingAMessage_TheRestartedRelayDeliversItOnce()
        {
            var (session, verification) = CompletedVerification();
            using (var ingress = await RelayProcess.StartAsync(_dataverse, _folder, role: "ingress"))
            {
                Assert.AreEqual(HttpStatusCode.Accepted, (await Post(ingress.Url, session, "evt-1")).StatusCode);
                ingress.Kill();
            }

            using var relay = await RelayProcess.StartAsync(_dataverse, _folder);
            await WaitFor(() => Status(verification) == Choices.Of(VerificationStatus.Verified).Value, relay, "the row to be Verified");

            Assert.AreEqual("Applied", _dataverse.Product.Dataverse.Rows("okos_callbackreceipt").Single()["okos_outcome"]);
            await AssertQueueSettled(relay);
        }

        [TestMethod]
        public async Task KilledAfterDataverseAppliedButBeforeCompleting_TheRedeliveryIsADuplicate()
        {
            var (session, verification) = CompletedVerification();
            var first = await RelayProcess.StartAsync(_dataverse, _folder);
            var killed = 0;
            _dataverse.Api.Executed += api =>
            {
                if (api == "okos_ProcessVerificationCallback" && Interlocked.Exchange(ref killed, 1) == 0)
                {
                    first.Kill();
                }
            };
            Assert.AreEqual(HttpStatusCode.Accepted, (await Post(first.Url, session, "evt-1")).StatusCode);
            await WaitFor(() => Volatile.Read(ref killed) == 1, first, "the relay to deliver once and be killed");
            first.Dispose();
            Assert.AreEqual(Choices.Of(VerificationStatus.Verified).Value, Status(verification), "Dataverse applied the first delivery");

            using var relay = await RelayProcess.StartAsync(_dataverse, _folder);
            await WaitFor(() => relay.Output.Contains("Delivered evt-1 on attempt 2: Duplicate"), relay, "the redelivery");

            Assert.AreEqual(1, _dataverse.Product.Dataverse.Rows("okos_callbackreceipt").Count, "applied exactly once");
            await AssertQueueSettled(relay);
        }

        private async Task AssertQueueSettled(RelayProcess relay)
        {
            var queue = new SqliteRelayQueue(Path.Combine(_folder, "queue.db"), TimeProvider.System);
            await WaitFor(() => queue.DepthAsync(CancellationToken.None).Result == 0, relay, "the queue to empty");
            Assert.AreEqual(0, (await queue.DeadLettersAsync(CancellationToken.None)).Count);
            Assert.IsFalse(relay.Output.Contains(LocalDataverse.ClientSecret) || relay.Output.Contains("whsec_"), "no secret in the relay's log");
        }

        private (string Session, Guid Verification) CompletedVerification()
        {
            var product = _dataverse.Product;
            var contact = product.Service.Create(new Entity("contact") { ["lastname"] = "Doe" });
            var response = product.Call("okos_StartVerification", null, ("Subject", new EntityReference("contact", contact)));
            var session = (string)response["SessionId"];
            product.Simulator.Complete(session, CaptureOutcome.PassWithSelfie);
            return (session, (Guid)response["VerificationId"]);
        }

        private int Status(Guid verification) =>
            _dataverse.Product.Dataverse.Rows("okos_verification").Single(row => row.Id == verification).GetAttributeValue<OptionSetValue>("okos_status").Value;

        private static async Task<HttpResponseMessage> Post(string relayUrl, string session, string id)
        {
            var body = $"{{\"type\":\"blockid.idv\",\"id\":\"{id}\",\"sessionId\":\"{session}\"}}";
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, relayUrl + "/callbacks/blockid") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("webhook-id", id);
            request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", WebhookSignature.Sign(SenderSecret, id, timestamp, body));
            return await http.SendAsync(request);
        }

        /// <remarks>Polls a condition, failing after 60 s with the relay's output: a bound on a hang, not a timing assertion.</remarks>
        private static async Task WaitFor(Func<bool> condition, RelayProcess relay, string what)
        {
            for (var tries = 0; tries < 1200; tries++)
            {
                if (condition())
                {
                    return;
                }
                await Task.Delay(50);
            }
            Assert.Fail($"Gave up waiting for {what}. Relay output:\n{relay.Output}");
        }

        /// <summary>okos-relay started with <c>dotnet</c>, configured only by environment variables, as a container runs it.</summary>
        private sealed class RelayProcess : IDisposable
        {
            private readonly Process _process;
            private readonly ConcurrentQueue<string> _output = new();

            private RelayProcess(Process process, string url)
            {
                _process = process;
                Url = url;
            }

            public string Url { get; }

            public string Output => string.Join("\n", _output);

            public static async Task<RelayProcess> StartAsync(LocalDataverse dataverse, string folder, string role = "all")
            {
                var configuration = typeof(CrashTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
                var dll = Path.Combine(RepositoryPaths.Root, "Relay", "bin", configuration, "net10.0", "okos-relay.dll");
                var url = $"http://127.0.0.1:{Loopback.FreePort()}";
                var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                foreach (var argument in new[] { dll, "--urls", url, "--role", role })
                {
                    start.ArgumentList.Add(argument);
                }
                start.Environment["SSL_CERT_FILE"] = dataverse.TrustFile(folder);
                start.Environment["SSL_CERT_DIR"] = folder;
                start.Environment["Relay__QueuePath"] = Path.Combine(folder, "queue.db");
                start.Environment["Relay__Ingress__Secrets__0"] = SenderSecret;
                start.Environment["Relay__Dispatcher__SigningSecret"] = ProductSandbox.SigningSecret;
                start.Environment["Relay__Dispatcher__IdleDelay"] = "00:00:00.100";
                start.Environment["Relay__Dispatcher__LeaseFor"] = "00:00:02";
                start.Environment["Relay__Dataverse__Url"] = dataverse.Url;
                start.Environment["Relay__Dataverse__OidcAuthority"] = dataverse.Authority.ToString();
                start.Environment["Relay__Dataverse__ClientId"] = LocalDataverse.ClientId;
                start.Environment["Relay__Dataverse__ClientSecret"] = LocalDataverse.ClientSecret;
                var process = Process.Start(start)!;
                var relay = new RelayProcess(process, url);
                process.OutputDataReceived += (_, line) => { if (line.Data is not null) relay._output.Enqueue(line.Data); };
                process.ErrorDataReceived += (_, line) => { if (line.Data is not null) relay._output.Enqueue(line.Data); };
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                using var http = new HttpClient();
                for (var tries = 0; tries < 600; tries++)
                {
                    try
                    {
                        if ((await http.GetAsync(url + "/healthz")).IsSuccessStatusCode)
                        {
                            return relay;
                        }
                    }
                    catch (HttpRequestException)
                    {
                        if (process.HasExited)
                        {
                            break;
                        }
                    }
                    await Task.Delay(50);
                }
                relay.Dispose();
                throw new AssertFailedException($"okos-relay did not start. Output:\n{relay.Output}");
            }

            /// <summary>SIGKILL: no shutdown code runs, as when a container is killed.</summary>
            public void Kill()
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                }
            }

            public void Dispose()
            {
                Kill();
                _process.WaitForExit();
                _process.Dispose();
            }
        }
    }
}
