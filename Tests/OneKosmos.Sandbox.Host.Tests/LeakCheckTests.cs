using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Tasks;
using OneKosmos.Core.Callbacks;
using OneKosmos.Sandbox.Host.Scenarios;
using OneKosmos.Sandbox.Host.WebApi;
using OneKosmos.Tests.Shared;

namespace OneKosmos.Sandbox.Host.Tests
{
    /// <summary>
    /// Every scenario, plus the wrong calls a careless or hostile caller makes, with this environment's own secrets (signing,
    /// ingress and relay client secrets, license key, DVC id) and every capture and LiveID link the simulator handed out as
    /// canaries: none may appear in a plug-in trace, an error, a timeline note, a relay log line, the activity log, a Web API
    /// or ingress error body, a queue or dead-letter row, or the row of a LiveID request that went only to the contact's email. (The fault soak scans its own run the same way.)
    /// </summary>
    [TestClass]
    public sealed class LeakCheckTests
    {
        [TestMethod]
        public async Task NoSecretOrCaptureLink_ReachesATraceLogNoteErrorOrQueueRow()
        {
            var findings = new List<string>();
            foreach (var (name, (_, needsRelay, run)) in Scenarios.Scenarios.All)
            {
                await using var environment = await LocalEnvironment.StartAsync(RepositoryPaths.SolutionSource, needsRelay);
                await run(environment);
                var bodies = await ProvokeAsync(environment);
                Assert.AreEqual(2, bodies.Count(body => body.Contains("only by OneKosmos", StringComparison.Ordinal)), $"{name}: the identity state guard refused both forged writes");

                var canaries = environment.Secrets
                    .Concat(environment.Simulator.Sessions.Select(session => $"{environment.Simulator.BaseUrl}/idproofing/session/{session.Id}"))
                    .Concat(environment.Simulator.LiveIdSessions.Select(session => $"{environment.Simulator.BaseUrl}/sessions/session/{session}"))
                    .Concat(environment.Simulator.LiveIdSessions.Select(session => $"https://{environment.Simulator.Options.TenantDns}/sessions/session/{session}"))
                    .Concat(environment.Entra.Requests.Select(request => new Uri(environment.Wallet.Address, $"wallet/{request.Id}").ToString()))
                    .Concat(environment.Entra.Tokens)
                    .Concat(environment.Entra.EnteredPins)
                    .Concat(environment.Entra.Requests.Select(request => (string?)request.Body["claims"]?["photo"]).OfType<string>())
                    .ToList();
                Assert.IsTrue(canaries.Count > environment.Secrets.Count, $"{name}: the scenario handed out links to look for");
                foreach (var (where, text) in Written(environment, bodies))
                {
                    findings.AddRange(canaries.Where(canary => text.Contains(canary, StringComparison.Ordinal)).Select(canary => $"{name}: {where} holds {Describe(canary, environment)}"));
                }
            }

            Assert.AreEqual("", string.Join(Environment.NewLine, findings.Distinct()));
        }

        /// <summary>Everything the environment wrote that people or logs see; the queue file is read as bytes, write-ahead log included.</summary>
        private static IEnumerable<(string Where, string Text)> Written(LocalEnvironment environment, IEnumerable<string> bodies)
        {
            foreach (var run in environment.Dataverse.PluginRuns)
            {
                yield return ($"trace of {run.Step.Name}", string.Join("\n", run.TraceLines));
                yield return ($"error of {run.Step.Name}", run.Error ?? "");
            }
            foreach (var privateRequest in environment.Dataverse.Rows("okos_verification").Where(row => row.GetAttributeValue<bool>("okos_sentonlytocontact")))
            {
                yield return ("a request that went only to the contact's email", privateRequest.GetAttributeValue<string>("okos_captureurl") ?? "");
            }
            foreach (var note in environment.Dataverse.Rows("annotation"))
            {
                yield return ("a timeline note", $"{note.GetAttributeValue<string>("subject")}\n{note.GetAttributeValue<string>("notetext")}");
            }
            yield return ("the timeline and relay log", string.Join("\n", environment.Timeline));
            yield return ("the activity log", string.Join("\n", environment.Activity.Log.Entries().Select(entry => entry.Text)));
            foreach (var body in bodies)
            {
                yield return ("an error body", body);
            }
            if (environment.QueuePath.Length > 0)
            {
                foreach (var file in OneKosmos.Relay.Queue.SqliteRelayQueue.FilesOf(environment.QueuePath))
                {
                    // SQLite removes its -shm and -wal files when the last connection closes: one gone by now holds nothing.
                    if (ReadIfThere(file) is { } bytes)
                    {
                        yield return ($"the queue file {Path.GetFileName(file)}", Encoding.UTF8.GetString(bytes));
                    }
                }
            }
        }

        private static byte[]? ReadIfThere(string file)
        {
            try
            {
                return File.ReadAllBytes(file);
            }
            catch (FileNotFoundException)
            {
                return null;
            }
        }

        /// <summary>Wrong calls: bad signatures, unknown records, a junk filter, and junk to the relay's ingress. Returns the error bodies.</summary>
        private static async Task<List<string>> ProvokeAsync(LocalEnvironment environment)
        {
            var bodies = new List<string>();
            var token = environment.Issuer.Grant(environment.Dataverse.Options.DefaultUserId);
            using var api = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = OneKosmos.Sandbox.Host.Tls.LocalCertificate.Pin(environment.Endpoint.Certificate) });
            async Task Send(HttpMethod method, string path, string? json)
            {
                using var request = new HttpRequestMessage(method, environment.WebApiUrl + DataverseWebApi.Root + "/" + path)
                {
                    Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await api.SendAsync(request);
                bodies.Add(await response.Content.ReadAsStringAsync());
            }
            var session = environment.Simulator.Sessions.Last().Id;
            var payload = $"{{\"type\":\"blockid.idv\",\"id\":\"m-1\",\"sessionId\":\"{session}\",\"occurredAt\":\"2026-11-27T08:00:00Z\",\"data\":{{}}}}";
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            await Send(HttpMethod.Post, "okos_ProcessVerificationCallback", Json(("Payload", payload), ("MessageId", "m-1"), ("Timestamp", now), ("Signature", "v1,AAAA")));
            await Send(HttpMethod.Post, "okos_ProcessVerificationCallback", Json(("Payload", "{not json"), ("MessageId", "m-2"), ("Timestamp", now), ("Signature", "v1,AAAA")));
            await Send(HttpMethod.Post, "okos_StartVerification", $"{{\"Subject\":{{\"@odata.type\":\"Microsoft.Dynamics.CRM.contact\",\"contactid\":\"{Guid.NewGuid()}\"}}}}");
            await Send(HttpMethod.Get, "okos_verifications?$filter=okos_captureurl eq 'x' and", null);
            // Writes of identity state the product did not make: the guard's refusals.
            var contact = environment.Dataverse.Rows("contact").Last().Id;
            await Send(HttpMethod.Post, "okos_verifications", $"{{\"okos_name\":\"forged\",\"okos_sessionid\":\"forged\",\"okos_reservationkey\":\"forged\",\"okos_contactid@odata.bind\":\"/contacts({contact})\"}}");
            await Send(HttpMethod.Patch, $"contacts({contact})", "{\"okos_boundblockiddid\":\"did:blockid:forged\"}");
            if (environment.RelayUrl.Length > 0)
            {
                using var ingress = new HttpClient();
                async Task Post(string body, string secret)
                {
                    var stamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                    using var request = new HttpRequestMessage(HttpMethod.Post, environment.RelayUrl + "/callbacks/blockid") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                    request.Headers.Add("webhook-id", "junk-1");
                    request.Headers.Add("webhook-timestamp", stamp.ToString(CultureInfo.InvariantCulture));
                    request.Headers.Add("webhook-signature", WebhookSignature.Sign(secret, "junk-1", stamp, body));
                    using var response = await ingress.SendAsync(request);
                    bodies.Add(await response.Content.ReadAsStringAsync());
                }
                await Post(payload.Replace("m-1", "junk-1", StringComparison.Ordinal), "whsec_" + Convert.ToBase64String(new byte[32]));
                await Post("[]", environment.IngressSecret);
                await Post(payload.Replace("m-1", "junk-1", StringComparison.Ordinal).Replace("blockid.idv", "blockid.unheard-of", StringComparison.Ordinal), environment.IngressSecret);
                await Post(payload.Replace("m-1", "junk-1", StringComparison.Ordinal).Replace("blockid.idv", "entra.presentation", StringComparison.Ordinal), environment.IngressSecret);
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
            return bodies;
        }

        private static string Json(params (string Name, string Value)[] parameters) =>
            System.Text.Json.JsonSerializer.Serialize(parameters.ToDictionary(parameter => parameter.Name, parameter => parameter.Value));

        /// <summary>Names a canary without printing it: a failing leak check must not leak in turn.</summary>
        private static string Describe(string canary, LocalEnvironment environment) =>
            environment.Secrets.ToList().IndexOf(canary) switch
            {
                0 => "the callback signing secret",
                1 => "the relay's ingress secret",
                2 => "the relay's client secret",
                3 => "the license key",
                4 => "the DVC id",
                5 => "the Entra client secret",
                6 => "the Entra callback api-key",
                _ => "a capture, LiveID or Verified ID link, an Entra token, a PIN or a photo",
            };
    }
}
