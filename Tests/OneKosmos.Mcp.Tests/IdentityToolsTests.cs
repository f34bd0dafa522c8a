using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Xrm.Sdk;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using OneKosmos.Sandbox.BlockId;

namespace OneKosmos.Mcp.Tests
{
    /// <summary>
    /// #23: the identity tools, driven by the MCP C# client against the sandbox's Web API, as the people who would use them:
    /// a seller (Salesperson and Verification Agent), the same seller holding the field security profile that shows capture
    /// links, and a salesperson without the product's role.
    /// </summary>
    [TestClass]
    public sealed class IdentityToolsTests
    {
        private static McpServerUnderTest _server = null!;
        private static Guid _seller;
        private static Guid _linkHolder;
        private static Guid _outsider;

        [ClassInitialize]
        public static async Task StartAsync(TestContext _)
        {
            _server = await McpServerUnderTest.StartAsync();
            var dataverse = _server.Environment.Dataverse;
            _seller = dataverse.AddUser("Sam Seller", new[] { "Salesperson", "Verification Agent" });
            _linkHolder = dataverse.AddUser("Lee Linkholder", new[] { "Salesperson", "Verification Agent" }, new[] { "Verification Agent" });
            _outsider = dataverse.AddUser("Olly Outsider", new[] { "Salesperson" });
        }

        [ClassCleanup]
        public static async Task StopAsync() => await _server.DisposeAsync();

        private static IOrganizationService Service => _server.Environment.Service;

        /// <summary>A contact the sandbox verified at IAL2 (document and selfie passed; the reconcile finished it, no relay runs).</summary>
        private static async Task<Guid> VerifiedContactAsync(string first, string last)
        {
            var contact = Service.Create(new Entity("contact") { ["firstname"] = first, ["lastname"] = last, ["fullname"] = $"{first} {last}", ["emailaddress1"] = $"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}@example.com" });
            Entity? row = null;
            for (var tries = 0; tries < 300 && (row = Attempts(contact).FirstOrDefault(attempt => attempt.GetAttributeValue<string>("okos_sessionid") is { } id && !id.StartsWith("reserved:", StringComparison.Ordinal))) is null; tries++)
            {
                await Task.Delay(100);
            }
            _server.Environment.Simulator.Complete(row!.GetAttributeValue<string>("okos_sessionid"), CaptureOutcome.PassWithSelfie);
            Service.Execute(new OrganizationRequest("okos_ReconcileVerifications") { ["OlderThanMinutes"] = 0 });
            return contact;
        }

        /// <summary>A contact nothing was started for (created without an address, which the contact-create step skips), then given one.</summary>
        private static Guid NewContact(string first, string last)
        {
            var contact = Service.Create(new Entity("contact") { ["firstname"] = first, ["lastname"] = last, ["fullname"] = $"{first} {last}" });
            Service.Update(new Entity("contact", contact) { ["emailaddress1"] = $"{first.ToLowerInvariant()}@example.com" });
            return contact;
        }

        private static Entity[] Attempts(Guid contact) =>
            _server.Environment.Dataverse.Rows("okos_verification").Where(row => row.GetAttributeValue<EntityReference>("okos_contactid")?.Id == contact).ToArray();

        private static async Task<CallToolResult> CallAsync(Guid user, string tool, Dictionary<string, object?> arguments)
        {
            await using var client = await _server.ConnectAsAsync(user);
            return await client.CallToolAsync(tool, arguments);
        }

        private static string TextOf(CallToolResult result) => string.Join("\n", result.Content.OfType<TextContentBlock>().Select(block => block.Text));

        private static JsonElement Json(CallToolResult result)
        {
            Assert.IsFalse(result.IsError ?? false, TextOf(result));
            return JsonDocument.Parse(TextOf(result)).RootElement;
        }

        [TestMethod]
        public async Task AnMcpClient_ListsTheFourTools_WithDescriptionsAndInputSchemas()
        {
            await using var client = await _server.ConnectAsAsync(_seller);

            var tools = (await client.ListToolsAsync()).ToDictionary(tool => tool.Name);

            CollectionAssert.AreEquivalent(new[] { "get_identity_status", "start_verification", "request_step_up", "explain_gate" }, tools.Keys.ToArray());
            foreach (var tool in tools.Values)
            {
                Assert.IsTrue(tool.Description.Length > 80, $"{tool.Name} tells an agent what it does");
                Assert.AreEqual("object", tool.JsonSchema.GetProperty("type").GetString());
            }
            string[] Required(string name) => tools[name].JsonSchema.GetProperty("required").EnumerateArray().Select(item => item.GetString()!).ToArray();
            CollectionAssert.AreEquivalent(new[] { "contactId" }, Required("start_verification"));
            CollectionAssert.AreEquivalent(new[] { "contactId", "reason" }, Required("request_step_up"));
            CollectionAssert.AreEquivalent(new[] { "table", "recordId" }, Required("explain_gate"));
            StringAssert.Contains(tools["explain_gate"].JsonSchema.GetProperty("properties").GetProperty("table").GetProperty("description").GetString(), "opportunity, lead or incident");
        }

        [TestMethod]
        public async Task GetIdentityStatus_ByIdOrByEmail_SaysVerifiedAtIal2()
        {
            var contact = await VerifiedContactAsync("Vera", "Verified");

            var byId = Json(await CallAsync(_seller, "get_identity_status", new() { ["contactId"] = contact.ToString() }));
            var byEmail = Json(await CallAsync(_seller, "get_identity_status", new() { ["email"] = "vera.verified@example.com" }));

            Assert.AreEqual("Verified", byId.GetProperty("status").GetString());
            Assert.AreEqual("IAL2", byId.GetProperty("ialLevel").GetString());
            Assert.AreEqual(contact.ToString(), byEmail.GetProperty("contactId").GetString());
            StringAssert.Contains(byEmail.GetProperty("summary").GetString(), "Vera Verified");
        }

        [TestMethod]
        public async Task StartVerification_SendsTheLinkToThePersonsEmail_AndHandsNoneToTheModel()
        {
            var contact = NewContact("Stan", "Start");
            var opportunity = Service.Create(new Entity("opportunity") { ["name"] = "Loan", ["parentcontactid"] = new EntityReference("contact", contact), ["ownerid"] = new EntityReference("systemuser", _seller) });

            var started = Json(await CallAsync(_seller, "start_verification", new() { ["contactId"] = contact.ToString(), ["regardingTable"] = "opportunity", ["regardingId"] = opportunity.ToString() }));

            Assert.AreEqual("Pending", started.GetProperty("status").GetString());
            Assert.IsFalse(started.GetProperty("alreadyOpen").GetBoolean());
            var email = _server.Environment.Dataverse.SentEmails.Single(sent => sent.Recipient.Id == contact);
            Assert.AreEqual("Verify your identity", email.Subject);
            Assert.AreEqual(opportunity, Attempts(contact).Single().GetAttributeValue<EntityReference>("okos_opportunityid").Id);
            var again = Json(await CallAsync(_seller, "start_verification", new() { ["contactId"] = contact.ToString() }));
            Assert.IsTrue(again.GetProperty("alreadyOpen").GetBoolean(), "a second call returns the open attempt");
            Assert.AreEqual(1, _server.Environment.Dataverse.SentEmails.Count(sent => sent.Recipient.Id == contact));
        }

        [TestMethod]
        public async Task RequestStepUp_AsksThePersonByEmail()
        {
            var contact = await VerifiedContactAsync("Ursula", "Upstep");

            var requested = Json(await CallAsync(_seller, "request_step_up", new() { ["contactId"] = contact.ToString(), ["reason"] = "Wire transfer above 50,000" }));

            Assert.IsFalse(requested.GetProperty("alreadyFresh").GetBoolean());
            Assert.AreEqual("Pending", requested.GetProperty("status").GetString());
            Assert.IsTrue(_server.Environment.Dataverse.SentEmails.Any(sent => sent.Recipient.Id == contact && sent.Body.Contains("http", StringComparison.Ordinal)), "the link went to the person");
        }

        [TestMethod]
        public async Task ExplainGate_SaysWhyADealIsBlocked_AndWhatUnblocksIt()
        {
            var contact = await VerifiedContactAsync("Gina", "Gated");
            var opportunity = Service.Create(new Entity("opportunity") { ["name"] = "Mortgage 300k", ["parentcontactid"] = new EntityReference("contact", contact), ["estimatedvalue"] = new Money(300_000m), ["ownerid"] = new EntityReference("systemuser", _seller) });

            var verdict = Json(await CallAsync(_seller, "explain_gate", new() { ["table"] = "opportunity", ["recordId"] = opportunity.ToString() }));

            Assert.IsTrue(verdict.GetProperty("wouldBlock").GetBoolean());
            Assert.AreEqual("Win", verdict.GetProperty("action").GetString());
            StringAssert.StartsWith(verdict.GetProperty("explanation").GetString(), "Contact Gina Gated needs a biometric step-up");
        }

        [TestMethod]
        public async Task ASalespersonWithoutTheProductsRole_IsRefusedClearly_AndNothingStarts()
        {
            var contact = NewContact("Rita", "Refused");

            var result = await CallAsync(_outsider, "start_verification", new() { ["contactId"] = contact.ToString() });

            Assert.IsTrue(result.IsError ?? false);
            StringAssert.Contains(TextOf(result), "prvCreateokos_verification");
            Assert.AreEqual(0, Attempts(contact).Length);
        }

        /// <summary>The attack: the person holds the field security profile that shows capture links, and asks every tool.</summary>
        [TestMethod]
        public async Task NoToolResult_CarriesALinkASessionIdADidOrASecret_EvenForAFieldSecurityHolder()
        {
            var verified = await VerifiedContactAsync("Fiona", "Fieldsecure");
            var fresh = NewContact("Felix", "Fresh");
            var opportunity = Service.Create(new Entity("opportunity") { ["name"] = "Deal", ["parentcontactid"] = new EntityReference("contact", verified), ["estimatedvalue"] = new Money(500_000m), ["ownerid"] = new EntityReference("systemuser", _linkHolder) });
            var results = new List<string>
            {
                TextOf(await CallAsync(_linkHolder, "start_verification", new() { ["contactId"] = fresh.ToString() })),
                TextOf(await CallAsync(_linkHolder, "request_step_up", new() { ["contactId"] = verified.ToString(), ["reason"] = "Payout" })),
                TextOf(await CallAsync(_linkHolder, "get_identity_status", new() { ["contactId"] = verified.ToString() })),
                TextOf(await CallAsync(_linkHolder, "get_identity_status", new() { ["contactId"] = fresh.ToString() })),
                TextOf(await CallAsync(_linkHolder, "explain_gate", new() { ["table"] = "opportunity", ["recordId"] = opportunity.ToString() })),
            };

            var environment = _server.Environment;
            var forbidden = environment.Simulator.Sessions.Select(session => session.Id)
                .Concat(environment.Simulator.LiveIdSessions)
                .Concat(environment.Dataverse.Rows("okos_verification").Select(row => row.GetAttributeValue<string>("okos_credentialdid")))
                .Concat(environment.Dataverse.Rows("contact").Select(row => row.GetAttributeValue<string>("okos_boundblockiddid")))
                .Concat(environment.Secrets)
                .Where(value => !string.IsNullOrEmpty(value))
                .ToList();
            Assert.IsTrue(forbidden.Count > 3, "the check has something to look for");
            foreach (var text in results)
            {
                Assert.IsFalse(text.Contains("did:", StringComparison.Ordinal) || text.Contains("http", StringComparison.OrdinalIgnoreCase), text);
                foreach (var value in forbidden)
                {
                    Assert.IsFalse(text.Contains(value!, StringComparison.Ordinal), $"a tool result carried {value}");
                }
            }
        }

        [TestMethod]
        [DataRow("get_identity_status", """{"contactId":"not-a-guid"}""", "contactId must be a record's id")]
        [DataRow("get_identity_status", """{}""", "Give either contactId or email")]
        [DataRow("start_verification", """{"contactId":"3f2b6c1e-8a4d-4c2e-9b1a-0d5e7f9a1b2c","regardingTable":"opportunity"}""", "Give regardingTable and regardingId together")]
        [DataRow("request_step_up", """{"contactId":"3f2b6c1e-8a4d-4c2e-9b1a-0d5e7f9a1b2c","reason":" "}""", "reason is required")]
        [DataRow("explain_gate", """{"table":"account","recordId":"3f2b6c1e-8a4d-4c2e-9b1a-0d5e7f9a1b2c"}""", "table must be opportunity, lead or incident")]
        public async Task MalformedArguments_GetAClearError(string tool, string arguments, string expected)
        {
            var parsed = JsonSerializer.Deserialize<Dictionary<string, object?>>(arguments)!;

            var result = await CallAsync(_seller, tool, parsed);

            Assert.IsTrue(result.IsError ?? false);
            StringAssert.Contains(TextOf(result), expected);
        }

        [TestMethod]
        public async Task ARequestWithoutAToken_OrWithATokenForAnotherApi_IsRefusedWith401_AndOneWithoutTheScopeWith403()
        {
            using var http = new HttpClient();
            async Task<HttpResponseMessage> PostAsync(string? token)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, _server.Url)
                {
                    Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", System.Text.Encoding.UTF8, "application/json"),
                };
                request.Headers.Accept.ParseAdd("application/json, text/event-stream");
                if (token is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                }
                return await http.SendAsync(request);
            }

            using var anonymous = await PostAsync(null);
            using var otherApi = await PostAsync(_server.Environment.Issuer.SignIn(_seller, "api://someone-else"));
            using var dataverseToken = await PostAsync(_server.Environment.Issuer.Grant(_seller));
            using var withoutTheScope = await PostAsync(_server.Environment.Issuer.SignIn(_seller, McpServerUnderTest.Audience, scope: null));

            Assert.AreEqual(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            StringAssert.Contains(anonymous.Headers.WwwAuthenticate.ToString(), "resource_metadata");
            Assert.AreEqual(HttpStatusCode.Unauthorized, otherApi.StatusCode);
            Assert.AreEqual(HttpStatusCode.Unauthorized, dataverseToken.StatusCode);
            Assert.AreEqual(HttpStatusCode.Forbidden, withoutTheScope.StatusCode, "a token without the delegated scope acts for nobody");
        }
    }
}
