using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.Xrm.Sdk;
using OneKosmos.Sandbox.BlockId;
using OneKosmos.Sandbox.Host.Identity;
using OneKosmos.Sandbox.Host.WebApi;

namespace OneKosmos.Sandbox.Host.Tests
{
    /// <summary>
    /// The panel's browser tests replay what the Web API really answers, recorded here from the real custom APIs: never
    /// hand-written shapes. With OKOS_RECORD_FIXTURES=1 this writes WebResources/test/fixtures; otherwise it records afresh
    /// and fails if a committed fixture no longer has the shape the API gives (property names and JSON kinds).
    /// </summary>
    [TestClass]
    public sealed class PanelFixtureRecorder
    {
        private static string Folder => Path.Combine(RepositoryPaths.Root, "WebResources", "test", "fixtures");

        [TestMethod]
        public async Task TheCommittedFixtures_AreWhatTheWebApiAnswers()
        {
            var recorded = await RecordAsync();
            var writing = Environment.GetEnvironmentVariable("OKOS_RECORD_FIXTURES") == "1";
            foreach (var (name, fixture) in recorded)
            {
                var path = Path.Combine(Folder, name + ".json");
                if (writing)
                {
                    Directory.CreateDirectory(Folder);
                    File.WriteAllText(path, fixture.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
                    continue;
                }
                Assert.IsTrue(File.Exists(path), $"{path} is missing: run this test with OKOS_RECORD_FIXTURES=1.");
                Assert.AreEqual(Shape(fixture), Shape(JsonNode.Parse(File.ReadAllText(path))), $"{name}.json no longer matches the Web API: re-record with OKOS_RECORD_FIXTURES=1.");
            }
        }

        /// <summary>Each state the panel shows, as the status API, the attempts read and (for the error state) a refused start answer.</summary>
        private static async Task<Dictionary<string, JsonObject>> RecordAsync()
        {
            var product = new ProductSandbox();
            product.Connect();
            var agent = product.Dataverse.AddUser("Agent", new[] { "Verification Agent", "Salesperson" }, new[] { "Verification Agent" });
            var clerk = product.Dataverse.AddUser("Clerk", new[] { "Verification Agent", "Salesperson" });
            var reader = product.Dataverse.AddUser("Reader", new[] { "Verification Relay" });
            await using var endpoint = await DataverseEndpoint.StartAsync(product.Dataverse);
            endpoint.Issuer.Register("agent", "s1", agent);
            endpoint.Issuer.Register("clerk", "s2", clerk);
            endpoint.Issuer.Register("reader", "s3", reader);
            using var http = endpoint.CreateClient();

            async Task<string> Token(string client, string secret) =>
                (await (await http.PostAsync(TokenIssuer.AuthorityPath + "/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "client_credentials", ["client_id"] = client, ["client_secret"] = secret,
                }))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
            var agentToken = await Token("agent", "s1");
            var clerkToken = await Token("clerk", "s2");
            var readerToken = await Token("reader", "s3");

            async Task<JsonNode> Send(HttpMethod method, string path, string token, object? body = null)
            {
                using var request = new HttpRequestMessage(method, DataverseWebApi.Root + "/" + path) { Content = body is null ? null : JsonContent.Create(body) };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await http.SendAsync(request);
                return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            }
            Guid Contact(string first, string last) =>
                product.Service.Create(new Entity("contact") { ["firstname"] = first, ["lastname"] = last, ["fullname"] = $"{first} {last}", ["emailaddress1"] = $"{first.ToLowerInvariant()}@example.com" });
            Dictionary<string, object> Subject(Guid contact) => new() { ["@odata.type"] = "Microsoft.Dynamics.CRM.contact", ["contactid"] = contact.ToString() };
            async Task<JsonObject> State(Guid contact, string token, JsonNode? startError = null)
            {
                var status = await Send(HttpMethod.Post, "okos_GetVerificationStatus", token, new Dictionary<string, object> { ["Subject"] = Subject(contact) });
                var attempts = await Send(HttpMethod.Get,
                    $"okos_verifications?$select=okos_verificationid,okos_journey,okos_status,createdon,okos_verifiedat,okos_laststepupat,okos_expiresat,okos_failurereason,okos_captureurl&$filter=_okos_contactid_value eq {contact}&$orderby=createdon desc&$top=50", token);
                var state = new JsonObject { ["status"] = status.DeepClone(), ["attempts"] = attempts["value"]!.DeepClone() };
                if (startError is not null)
                {
                    state["startError"] = startError.DeepClone();
                }
                return state;
            }

            var states = new Dictionary<string, JsonObject>();
            var nobody = Contact("Nora", "New");
            states["not-started"] = await State(nobody, agentToken);

            var pending = Contact("Paul", "Pending");
            await Send(HttpMethod.Post, "okos_StartVerification", agentToken, new Dictionary<string, object> { ["Subject"] = Subject(pending) });
            states["pending"] = await State(pending, agentToken);
            states["pending-no-link-access"] = await State(pending, clerkToken);

            var verified = Contact("Vera", "Verified");
            // The agent is not given the session id (field-secured); the simulator's person finds their session by it.
            string SessionOf(Guid contact) => product.Verifications.Single(row => row.GetAttributeValue<EntityReference>("okos_contactid").Id == contact).GetAttributeValue<string>("okos_sessionid");
            await Send(HttpMethod.Post, "okos_StartVerification", agentToken, new Dictionary<string, object> { ["Subject"] = Subject(verified) });
            product.Simulator.Complete(SessionOf(verified), CaptureOutcome.PassWithSelfie);
            product.Call("okos_ReconcileVerifications", null, ("OlderThanMinutes", 0));
            states["verified"] = await State(verified, agentToken);

            var failed = Contact("Fred", "Failed");
            await Send(HttpMethod.Post, "okos_StartVerification", agentToken, new Dictionary<string, object> { ["Subject"] = Subject(failed) });
            product.Simulator.Complete(SessionOf(failed), CaptureOutcome.LivenessFail);
            product.Call("okos_ReconcileVerifications", null, ("OlderThanMinutes", 0));
            states["failed"] = await State(failed, agentToken);

            var refused = await Send(HttpMethod.Post, "okos_StartVerification", readerToken, new Dictionary<string, object> { ["Subject"] = Subject(nobody) });
            states["error"] = await State(nobody, agentToken, refused);
            return states;
        }

        /// <summary>Property names and value kinds, recursively: what the panel relies on, without the ids and times that differ per run.</summary>
        private static string Shape(JsonNode? node) => node switch
        {
            JsonObject obj => "{" + string.Join(",", obj.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}:{Shape(pair.Value)}")) + "}",
            JsonArray array => "[" + (array.Count == 0 ? "" : Shape(array[0])) + $"]x{array.Count}",
            JsonValue value => value.GetValueKind().ToString(),
            _ => "null",
        };
    }
}
