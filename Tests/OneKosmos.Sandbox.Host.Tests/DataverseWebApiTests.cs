using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Xrm.Sdk;
using OneKosmos.Sandbox.Host.Identity;
using OneKosmos.Sandbox.Host.WebApi;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Core.Verification;

namespace OneKosmos.Sandbox.Host.Tests
{
    /// <summary>The sandbox's Dataverse Web API and token issuer over HTTPS, called as a relay or a web resource calls Dataverse.</summary>
    [TestClass]
    public sealed class DataverseWebApiTests
    {
        private ProductSandbox _product = null!;
        private DataverseEndpoint _endpoint = null!;
        private HttpClient _http = null!;
        private string _adminToken = "";
        private Guid _admin;
        private string _clerkToken = "";

        [TestInitialize]
        public async Task Start()
        {
            _product = new ProductSandbox();
            _product.Connect();
            var admin = _admin = _product.Dataverse.AddUser("Admin", new[] { "Verification Administrator", "Salesperson" }, new[] { "Verification Administrator" });
            var clerk = _product.Dataverse.AddUser("Clerk", new[] { "Verification Agent", "Salesperson" });
            var relay = _product.Dataverse.AddUser("Relay", new[] { "Verification Relay" });
            _endpoint = await DataverseEndpoint.StartAsync(_product.Dataverse);
            _endpoint.Issuer.Register("admin-app", "admin-secret", admin);
            _endpoint.Issuer.Register("clerk-app", "clerk-secret", clerk);
            _endpoint.Issuer.Register("relay-app", "relay-secret", relay);
            _http = _endpoint.CreateClient();
            _adminToken = await Token("admin-app", "admin-secret");
            _clerkToken = await Token("clerk-app", "clerk-secret");
        }

        [TestCleanup]
        public async Task Stop()
        {
            _http.Dispose();
            await _endpoint.DisposeAsync();
        }

        private async Task<string> Token(string client, string secret)
        {
            var response = await _http.PostAsync(TokenIssuer.AuthorityPath + "/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["client_id"] = client, ["client_secret"] = secret, ["scope"] = "https://sandbox/.default",
            }));
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
        }

        private async Task<(HttpStatusCode Status, JsonElement Body)> Send(HttpMethod method, string path, string? token, object? body = null, params (string Name, string Value)[] headers)
        {
            var (status, json, _) = await SendWithHeaders(method, path, token, body, headers);
            return (status, json);
        }

        private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseHeaders Headers)> SendWithHeaders(HttpMethod method, string path, string? token, object? body = null, params (string Name, string Value)[] headers)
        {
            using var request = new HttpRequestMessage(method, DataverseWebApi.Root + "/" + path) { Content = body is null ? null : JsonContent.Create(body) };
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
            using var response = await _http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), response.Headers);
        }

        private Guid Contact(string lastName = "Doe", string? email = null) =>
            _product.Service.Create(new Entity("contact") { ["lastname"] = lastName, ["emailaddress1"] = email, ["ownerid"] = new EntityReference("systemuser", _admin) });

        private static object Subject(Guid contact) => new Dictionary<string, object> { ["@odata.type"] = "Microsoft.Dynamics.CRM.contact", ["contactid"] = contact.ToString() };

        /// <summary>learn.microsoft.com/power-apps/developer/data-platform/api-limits: 429 with Retry-After and the limit's code, per user.</summary>
        [TestMethod]
        public async Task ServiceProtection_RefusesAUserBeyondTheLimit_With429AndRetryAfter_OthersGoOn_AndCanBeSwitchedOff()
        {
            _endpoint.Api.ServiceProtection = new ServiceProtection(new ServiceProtectionLimits(2, TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(5), 52));
            var relayToken = await Token("relay-app", "relay-secret");
            Assert.AreEqual(HttpStatusCode.OK, (await Send(HttpMethod.Post, "okos_ReconcileVerifications", relayToken, new { })).Status);
            Assert.AreEqual(HttpStatusCode.Forbidden, (await Send(HttpMethod.Get, "okos_verifications?$select=okos_status", relayToken)).Status, "a refused request counts too");

            var (status, body, headers) = await SendWithHeaders(HttpMethod.Post, "okos_ReconcileVerifications", relayToken, new { });

            Assert.AreEqual(HttpStatusCode.TooManyRequests, status);
            Assert.AreEqual("0x80072322", body.GetProperty("error").GetProperty("code").GetString());
            Assert.AreEqual("Number of requests exceeded the limit of 2 over time window of 300 seconds.", body.GetProperty("error").GetProperty("message").GetString());
            Assert.IsTrue(headers.RetryAfter?.Delta is { TotalSeconds: > 290 and <= 300 }, $"Retry-After {headers.RetryAfter}");
            Assert.AreEqual(HttpStatusCode.OK, (await Send(HttpMethod.Get, "okos_verifications?$select=okos_status", _adminToken)).Status, "another user is not limited");

            _endpoint.Api.ServiceProtection = null;
            Assert.AreEqual(HttpStatusCode.OK, (await Send(HttpMethod.Post, "okos_ReconcileVerifications", relayToken, new { })).Status);
        }

        [TestMethod]
        public void ServiceProtection_IsOnWithTheDocumentedLimits_ByDefault() =>
            Assert.AreEqual(ServiceProtectionLimits.Documented, _endpoint.Api.ServiceProtection?.Limits);

        [TestMethod]
        public async Task ACustomApi_TakesAndGivesDataverseJson()
        {
            var contact = Contact();

            var (status, body) = await Send(HttpMethod.Post, "okos_StartVerification", _adminToken, new Dictionary<string, object> { ["Subject"] = Subject(contact) });

            Assert.AreEqual(HttpStatusCode.OK, status);
            Assert.AreEqual("Pending", body.GetProperty("Status").GetString());
            Assert.IsFalse(body.GetProperty("Reused").GetBoolean());
            Assert.AreEqual(_product.Verifications.Single().Id, body.GetProperty("VerificationId").GetGuid());
            StringAssert.EndsWith(body.GetProperty("@odata.context").GetString(), "$metadata#Microsoft.Dynamics.CRM.okos_StartVerificationResponse");
        }

        [TestMethod]
        public async Task Errors_AreShapedAsDataverseShapesThem()
        {
            var contact = Contact();

            var unauthenticated = await Send(HttpMethod.Post, "okos_StartVerification", "forged", new { });
            var unknown = await Send(HttpMethod.Post, "okos_Nothing", _adminToken, new { });
            var badParameter = await Send(HttpMethod.Post, "okos_StartVerification", _adminToken, new Dictionary<string, object> { ["Subjekt"] = 1 });
            var pluginError = await Send(HttpMethod.Post, "okos_StartVerification", _adminToken, new Dictionary<string, object> { ["Subject"] = Subject(contact), ["Journey"] = "Selfie" });
            var forbidden = await Send(HttpMethod.Post, "okos_ReconcileVerifications", _clerkToken, new { });

            Assert.AreEqual(HttpStatusCode.Unauthorized, unauthenticated.Status);
            Assert.AreEqual(HttpStatusCode.NotFound, unknown.Status);
            Assert.AreEqual(HttpStatusCode.BadRequest, badParameter.Status);
            StringAssert.Contains(badParameter.Body.GetProperty("error").GetProperty("message").GetString(), "'Subjekt'");
            Assert.AreEqual(HttpStatusCode.BadRequest, pluginError.Status);
            StringAssert.Contains(pluginError.Body.GetProperty("error").GetProperty("message").GetString(), "Journey 'Selfie' is not one this API starts");
            Assert.AreEqual(HttpStatusCode.Forbidden, forbidden.Status);
            Assert.AreEqual("0x80040220", forbidden.Body.GetProperty("error").GetProperty("code").GetString());
        }

        [TestMethod]
        public async Task Rows_AreReadWithSelectFilterOrderAndTop_LookupsAsValueProperties()
        {
            var jane = Contact("Jane");
            var john = Contact("John");
            await Send(HttpMethod.Post, "okos_StartVerification", _adminToken, new Dictionary<string, object> { ["Subject"] = Subject(jane) });
            await Send(HttpMethod.Post, "okos_StartVerification", _adminToken, new Dictionary<string, object> { ["Subject"] = Subject(john) });

            var (status, body) = await Send(HttpMethod.Get, $"okos_verifications?$select=okos_status,_okos_contactid_value,okos_captureurl&$filter=_okos_contactid_value eq {jane} and okos_status eq {Choices.Of(VerificationStatus.Pending).Value}&$orderby=createdon desc&$top=5", _adminToken);

            Assert.AreEqual(HttpStatusCode.OK, status);
            var row = body.GetProperty("value").EnumerateArray().Single();
            Assert.AreEqual(jane.ToString(), row.GetProperty("_okos_contactid_value").GetString());
            Assert.AreEqual("contact", row.GetProperty("_okos_contactid_value@Microsoft.Dynamics.CRM.lookuplogicalname").GetString());
            Assert.AreEqual(Choices.Of(VerificationStatus.Pending).Value, row.GetProperty("okos_status").GetInt32());
            StringAssert.StartsWith(row.GetProperty("okos_captureurl").GetString(), "https://");
        }

        [TestMethod]
        public async Task FieldSecurity_AppliesToWebApiReads()
        {
            await Send(HttpMethod.Post, "okos_StartVerification", _adminToken, new Dictionary<string, object> { ["Subject"] = Subject(Contact()) });

            var (_, body) = await Send(HttpMethod.Get, "okos_verifications?$select=okos_captureurl,okos_status", _clerkToken);

            var row = body.GetProperty("value").EnumerateArray().Single();
            Assert.IsFalse(row.TryGetProperty("okos_captureurl", out var link) && link.ValueKind == JsonValueKind.String, "a caller without the profile does not see the link");
        }

        [TestMethod]
        [DataRow("lastname eq 'O''Brien'", 1)]
        [DataRow("lastname eq 'x'' or lastname ne ''y'", 0)]
        [DataRow("(lastname eq 'Doe' or lastname eq 'O''Brien') and emailaddress1 eq null", 2)]
        public async Task Filters_TreatQuotedTextAsText(string filter, int expected)
        {
            Contact("Doe");
            Contact("O'Brien");

            var (status, body) = await Send(HttpMethod.Get, "contacts?$select=lastname&$filter=" + Uri.EscapeDataString(filter), _adminToken);

            Assert.AreEqual(HttpStatusCode.OK, status, body.ToString());
            Assert.AreEqual(expected, body.GetProperty("value").GetArrayLength());
        }

        [TestMethod]
        [DataRow("contacts?$expand=x", "does not support $expand")]
        [DataRow("contacts?$select=nosuch", "Could not find a property named 'nosuch'")]
        [DataRow("contacts?$filter=lastname contains 'x'", "is not supported in $filter")]
        [DataRow("contacts?$filter=lastname eq 'open", "is not closed")]
        [DataRow("contacts?$top=-1", "not a positive whole number")]
        public async Task QueriesItCannotTranslate_AreRefusedWithTheReason(string path, string reason)
        {
            var (status, body) = await Send(HttpMethod.Get, path, _adminToken);

            Assert.AreEqual(HttpStatusCode.BadRequest, status);
            StringAssert.Contains(body.GetProperty("error").GetProperty("message").GetString(), reason);
        }

        [TestMethod]
        public async Task ARow_IsCreatedReadAndUpdated_WithLookupsBoundByEntitySet()
        {
            var (created, _, headers) = await SendWithHeaders(HttpMethod.Post, "contacts", _adminToken, new Dictionary<string, object> { ["firstname"] = "Jane", ["lastname"] = "Doe" });
            Assert.AreEqual(HttpStatusCode.NoContent, created);
            var location = headers.GetValues("OData-EntityId").Single();
            var contact = Guid.Parse(location[(location.LastIndexOf('(') + 1)..^1]);

            var (status, opportunity) = await Send(HttpMethod.Post, "opportunities", _adminToken, new Dictionary<string, object>
            {
                ["name"] = "Mortgage", ["estimatedvalue"] = 250000, ["salesstage"] = 0, ["parentcontactid@odata.bind"] = $"/contacts({contact})",
            }, ("Prefer", "return=representation,odata.include-annotations=\"*\""));
            Assert.AreEqual(HttpStatusCode.Created, status);
            Assert.AreEqual(contact.ToString(), opportunity.GetProperty("_parentcontactid_value").GetString());
            Assert.AreEqual("Jane Doe", opportunity.GetProperty("_parentcontactid_value@OData.Community.Display.V1.FormattedValue").GetString());
            Assert.AreEqual(250000m, opportunity.GetProperty("estimatedvalue").GetDecimal());
            var id = opportunity.GetProperty("opportunityid").GetGuid();

            var (updated, _) = await Send(HttpMethod.Patch, $"opportunities({id})", _adminToken, new Dictionary<string, object> { ["salesstage"] = 2, ["stepname"] = "Propose" }, ("If-Match", "*"));
            var (read, row) = await Send(HttpMethod.Get, $"opportunities({id})?$select=stepname,salesstage", _adminToken);
            Assert.AreEqual(HttpStatusCode.NoContent, updated);
            Assert.AreEqual(HttpStatusCode.OK, read);
            Assert.AreEqual("Propose", row.GetProperty("stepname").GetString());
            Assert.AreEqual(2, row.GetProperty("salesstage").GetInt32());
            Assert.IsFalse(row.TryGetProperty("name", out _), "only the selected columns");
        }

        [TestMethod]
        public async Task AnUpdate_WithAStaleETag_IsRefusedWith412_AndIfMatchStarNeverCreates()
        {
            var contact = Contact();
            var (_, row) = await Send(HttpMethod.Get, $"contacts({contact})", _adminToken);
            var etag = row.GetProperty("@odata.etag").GetString()!;
            await Send(HttpMethod.Patch, $"contacts({contact})", _adminToken, new Dictionary<string, object> { ["firstname"] = "Jo" }, ("If-Match", etag));

            var (stale, error) = await Send(HttpMethod.Patch, $"contacts({contact})", _adminToken, new Dictionary<string, object> { ["firstname"] = "Al" }, ("If-Match", etag));
            var (missing, _) = await Send(HttpMethod.Patch, $"contacts({Guid.NewGuid()})", _adminToken, new Dictionary<string, object> { ["firstname"] = "Al" }, ("If-Match", "*"));

            Assert.AreEqual(HttpStatusCode.PreconditionFailed, stale);
            Assert.IsTrue(error.GetProperty("error").TryGetProperty("message", out _));
            Assert.AreEqual(HttpStatusCode.NotFound, missing);
            Assert.AreEqual("Jo", _product.Service.Retrieve("contact", contact, new Microsoft.Xrm.Sdk.Query.ColumnSet("firstname"))["firstname"]);
            Assert.AreEqual(1, _product.Dataverse.Rows("contact").Count);
        }

        [TestMethod]
        [DataRow("{\"nosuch\": 1}", "The property 'nosuch' does not exist")]
        [DataRow("{\"lastname\": 5}", "Cannot convert the value of 'lastname'")]
        [DataRow("{\"parentcustomerid\": \"x\"}", "parentcustomerid@odata.bind")]
        [DataRow("{\"parentcustomerid_account@odata.bind\": \"/opportunities(00000000-0000-0000-0000-000000000001)\"}", "cannot point to a row of 'opportunities'")]
        [DataRow("[1, 2]", "not a JSON object")]
        public async Task ABodyItCannotWrite_IsRefusedWithTheReason_AndNothingIsWritten(string json, string reason)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, DataverseWebApi.Root + "/contacts") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _adminToken);
            using var response = await _http.SendAsync(request);

            Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
            StringAssert.Contains(await response.Content.ReadAsStringAsync(), reason);
            Assert.AreEqual(0, _product.Dataverse.Rows("contact").Count);
        }

        [TestMethod]
        public async Task WinOpportunity_ClosesTheOpportunityAsWon_AndSaysWhatIsMissing()
        {
            var opportunity = _product.Service.Create(new Entity("opportunity") { ["name"] = "Mortgage", ["ownerid"] = new EntityReference("systemuser", _admin) });

            var (incomplete, error) = await Send(HttpMethod.Post, "WinOpportunity", _adminToken, new Dictionary<string, object> { ["Status"] = 3 });
            var (won, _) = await Send(HttpMethod.Post, "WinOpportunity", _adminToken, new Dictionary<string, object>
            {
                ["Status"] = 3,
                ["OpportunityClose"] = new Dictionary<string, object> { ["subject"] = "Won", ["opportunityid@odata.bind"] = $"/opportunities({opportunity})" },
            });

            Assert.AreEqual(HttpStatusCode.BadRequest, incomplete);
            StringAssert.Contains(error.GetProperty("error").GetProperty("message").GetString(), "OpportunityClose");
            Assert.AreEqual(HttpStatusCode.NoContent, won);
            Assert.AreEqual(1, ((OptionSetValue)_product.Service.Retrieve("opportunity", opportunity, new Microsoft.Xrm.Sdk.Query.ColumnSet("statecode"))["statecode"]).Value);
        }

        [TestMethod]
        public async Task TheIssuer_RefusesAnUnknownClient_AndPublishesItsTokenEndpoint()
        {
            var response = await _http.PostAsync(TokenIssuer.AuthorityPath + "/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["client_id"] = "admin-app", ["client_secret"] = "wrong",
            }));
            var discovery = await _http.GetFromJsonAsync<JsonElement>(TokenIssuer.AuthorityPath + "/.well-known/openid-configuration");

            Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
            StringAssert.Contains(await response.Content.ReadAsStringAsync(), "invalid_client");
            StringAssert.EndsWith(discovery.GetProperty("token_endpoint").GetString(), TokenIssuer.AuthorityPath + "/oauth2/v2.0/token");
        }

        /// <summary>The on-behalf-of exchange, as Entra ID checks it: only for a person's token issued to the calling API itself.</summary>
        [TestMethod]
        public async Task TheIssuer_ExchangesOnBehalfOf_OnlyAPersonsTokenForTheCallingApi()
        {
            _endpoint.Issuer.RegisterWebApi("tools-app", "tools-secret", "api://tools");
            async Task<HttpResponseMessage> ExchangeAsync(string secret, string assertion) =>
                await _http.PostAsync(TokenIssuer.AuthorityPath + "/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer", ["requested_token_use"] = "on_behalf_of",
                    ["client_id"] = "tools-app", ["client_secret"] = secret, ["assertion"] = assertion, ["scope"] = "https://sandbox/.default",
                }));

            using var granted = await ExchangeAsync("tools-secret", _endpoint.Issuer.SignIn(_admin, "api://tools"));
            using var otherApi = await ExchangeAsync("tools-secret", _endpoint.Issuer.SignIn(_admin, "api://elsewhere"));
            using var forged = await ExchangeAsync("tools-secret", _endpoint.Issuer.SignIn(_admin, "api://tools")[..^4] + "AAAA");
            using var wrongSecret = await ExchangeAsync("guess", _endpoint.Issuer.SignIn(_admin, "api://tools"));

            var token = (await granted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
            Assert.AreEqual(_admin, _endpoint.Issuer.CallerOf(token), "the Dataverse token acts for the person");
            Assert.AreEqual(HttpStatusCode.BadRequest, otherApi.StatusCode);
            StringAssert.Contains(await otherApi.Content.ReadAsStringAsync(), "invalid_grant");
            Assert.AreEqual(HttpStatusCode.BadRequest, forged.StatusCode);
            Assert.AreEqual(HttpStatusCode.Unauthorized, wrongSecret.StatusCode);
        }
    }
}
