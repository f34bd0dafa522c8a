using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace OneKosmos.Sandbox.BlockId.Tests
{
    /// <summary>The simulator served on 127.0.0.1, as the local sandbox runs it.</summary>
    [TestClass]
    public sealed class BlockIdSimulatorHostTests
    {
        [TestMethod]
        public async Task Host_ServesTheDirectoryAndKeysOnLoopback_TheDirectoryNamingTheTenantsHost()
        {
            var simulator = new BlockIdSimulator();
            await using var host = await BlockIdSimulatorHost.StartAsync(simulator);
            using var http = new HttpClient { BaseAddress = host.Address };

            var directory = JsonNode.Parse(await http.GetStringAsync("/caas/sd"))!;
            var key = JsonNode.Parse(await http.GetStringAsync("/docuverify/publickeys"))!;

            Assert.AreEqual("127.0.0.1", host.Address.Host);
            // A real tenant's directory names its own host; the product refuses any other (TenantHosts), loopback included.
            Assert.AreEqual($"https://{simulator.Options.TenantDns}/docuverify", (string?)directory["docuverify"]);
            Assert.AreEqual(64, Convert.FromBase64String((string)key["publicKey"]!).Length);
        }

        [TestMethod]
        public async Task Host_RefusesACreateWithoutCredentials()
        {
            await using var host = await BlockIdSimulatorHost.StartAsync(new BlockIdSimulator());
            using var http = new HttpClient { BaseAddress = host.Address };

            var response = await http.PostAsync("/docuverify/document_share_session/create", new StringContent("{}"));

            Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
            StringAssert.Contains(await response.Content.ReadAsStringAsync(), "Unauthorized");
        }

        [TestMethod]
        public async Task CapturePage_OffersEachOutcomeAndRecordsThePersonsChoice()
        {
            var simulator = new BlockIdSimulator();
            await using var host = await BlockIdSimulatorHost.StartAsync(simulator);
            var sessionId = CreateSession(simulator);
            using var http = new HttpClient { BaseAddress = host.Address };

            var page = await http.GetStringAsync($"/idproofing/session/{sessionId}");
            var done = await http.PostAsync($"/idproofing/session/{sessionId}/complete?outcome=DocumentOnly", null);

            foreach (var outcome in Enum.GetNames<CaptureOutcome>())
            {
                StringAssert.Contains(page, $"outcome={outcome}");
            }
            Assert.AreEqual(HttpStatusCode.OK, done.StatusCode);
            Assert.AreEqual(CaptureOutcome.DocumentOnly, simulator.Sessions.Single().Outcome);
        }

        [TestMethod]
        public async Task CapturePage_UnknownSession_IsNotFound()
        {
            await using var host = await BlockIdSimulatorHost.StartAsync(new BlockIdSimulator());
            using var http = new HttpClient { BaseAddress = host.Address };

            Assert.AreEqual(HttpStatusCode.NotFound, (await http.GetAsync("/idproofing/session/nope")).StatusCode);
        }

        [TestMethod]
        public async Task LiveIdPage_ApprovesAsTheDidThePersonGives_AndSaysWhatHappened()
        {
            var simulator = new BlockIdSimulator();
            var acted = new List<string>();
            simulator.PersonActed += (session, what) => acted.Add($"{session}: {what}");
            await using var host = await BlockIdSimulatorHost.StartAsync(simulator);
            var (headers, _) = Caller(simulator, "/sessions/publickeys");
            var answer = simulator.Handle(new SimulatorRequest("PUT", "/sessions/session/new", headers, "{}"));
            var sessionId = (string)JsonNode.Parse(answer.Body)!["sessionId"]!;
            using var http = new HttpClient { BaseAddress = host.Address };

            var page = await http.GetStringAsync($"/sessions/session/{sessionId}");
            var approved = await http.PostAsync($"/sessions/session/{sessionId}/approve", new FormUrlEncodedContent(new Dictionary<string, string> { ["did"] = "did:blockid:jane" }));
            var unknown = await http.GetAsync("/sessions/session/nope");

            StringAssert.Contains(page, "did:blockid:sandbox-person");
            Assert.AreEqual(HttpStatusCode.OK, approved.StatusCode);
            Assert.AreEqual(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.AreEqual($"{sessionId}: approved the LiveID step-up in the BlockID app (IAL2)", acted.Single());
            var (responseHeaders, _) = Caller(simulator, "/sessions/publickeys");
            Assert.AreEqual(200, simulator.Handle(new SimulatorRequest("GET", $"/sessions/session/{sessionId}/response", responseHeaders, "")).Status);
        }

        /// <summary>The headers a caller sends to a 1Kosmos service, sealed for the key that service publishes.</summary>
        private static (Dictionary<string, string> Headers, Func<string, string> Seal) Caller(BlockIdSimulator simulator, string keyPath)
        {
            var caller = new ServerCrypto();
            var serviceKey = (string)JsonNode.Parse(simulator.Handle(Get(keyPath)).Body)!["publicKey"]!;
            string Seal(string text) => caller.Seal(serviceKey, text);
            var headers = new Dictionary<string, string>
            {
                ["publickey"] = caller.PublicKey,
                ["licensekey"] = Seal(simulator.Options.LicenseKey),
                ["requestid"] = Seal(new JsonObject { ["ts"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["uuid"] = Guid.NewGuid().ToString(), ["appid"] = "test" }.ToJsonString()),
            };
            return (headers, Seal);
        }

        /// <summary>A session made the way a caller makes one, through the simulator's own protocol checks.</summary>
        private static string CreateSession(BlockIdSimulator simulator)
        {
            var (headers, Seal) = Caller(simulator, "/docuverify/publickeys");
            var body = new JsonObject
            {
                ["dvcID"] = simulator.Options.DvcId,
                ["sessionRequest"] = new JsonObject { ["documentType"] = "ppt_object", ["user"] = new JsonObject { ["uid"] = "p-1" } },
            };
            var answer = simulator.Handle(new SimulatorRequest("POST", "/docuverify/document_share_session/create", headers, new JsonObject { ["data"] = Seal(body.ToJsonString()) }.ToJsonString()));
            Assert.AreEqual(200, answer.Status, answer.Body);
            return (string)JsonNode.Parse(answer.Body)!["sessionId"]!;
        }

        private static SimulatorRequest Get(string path) => new("GET", path, new Dictionary<string, string>(), "");
    }
}
