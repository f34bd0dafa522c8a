using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.Xrm.Sdk;
using OneKosmos.Sandbox.Host.Site;
using OneKosmos.Sandbox.Host.Ui;
using OneKosmos.Tests.Shared;

namespace OneKosmos.Sandbox.Host.Tests.Site
{
    /// <summary>
    /// Issue #24: every path the self-service section opens, tried by a signed-in site user against another contact's data:
    /// the site's Web API on the shipped table permissions and site settings, as Power Pages enforces them (the sandbox's
    /// site). A site user holds exactly what the package gives the Authenticated Users web role.
    /// </summary>
    [TestClass]
    public sealed class SiteAttackTests
    {
        private static LocalEnvironment _environment = null!;
        private static BrowserUi _ui = null!;

        [ClassInitialize]
        public static async Task Start(TestContext _)
        {
            _environment = await LocalEnvironment.StartAsync(RepositoryPaths.SolutionSource);
            _ui = await BrowserUi.StartAsync(_environment, RepositoryPaths.Root);
        }

        [ClassCleanup]
        public static async Task Stop()
        {
            await _ui.DisposeAsync();
            await _environment.DisposeAsync();
        }

        private static Task<Visitor> Jordan() => Visitor.SignIn(PowerPagesSite.SiteUsers[0].Email);

        private static Task<Visitor> Morgan() => Visitor.SignIn(PowerPagesSite.SiteUsers[1].Email);

        private static int VerificationsOf(Guid contact) =>
            _environment.Dataverse.Rows("okos_verification").Count(row => row.GetAttributeValue<EntityReference>("okos_contactid").Id == contact);

        [TestMethod]
        public async Task AnAnonymousVisitor_ReadsAndWritesNothing()
        {
            using var anonymous = new Visitor();

            Assert.AreEqual(HttpStatusCode.Forbidden, (await anonymous.Get("/_api/okos_selfservices")).StatusCode);
            Assert.AreEqual(HttpStatusCode.Forbidden, (await anonymous.Send(HttpMethod.Post, "/_api/okos_selfservices", new JsonObject { ["okos_request"] = 715900001 })).StatusCode);
        }

        [TestMethod]
        public async Task Attack_StartingForAnotherContact_IsRefused_AndStartsNothing()
        {
            using var jordan = await Jordan();
            using var morgan = await Morgan();
            var before = VerificationsOf(morgan.Contact);

            var response = await jordan.Send(HttpMethod.Post, "/_api/okos_selfservices", new JsonObject { ["okos_contactid@odata.bind"] = $"/contacts({morgan.Contact})", ["okos_request"] = 715900001 });

            Assert.AreEqual(HttpStatusCode.Forbidden, response.StatusCode);
            StringAssert.Contains(await response.Content.ReadAsStringAsync(), "permission");
            Assert.AreEqual(before, VerificationsOf(morgan.Contact));
        }

        [TestMethod]
        public async Task Attack_AnotherContactsRow_CannotBeListedReadChangedOrDeleted()
        {
            using var morgan = await Morgan();
            var morgansRow = await morgan.OwnRow(715900001);
            using var jordan = await Jordan();
            var before = VerificationsOf(morgan.Contact);

            var listed = await jordan.Json("/_api/okos_selfservices?$select=okos_selfserviceid,okos_captureurl");
            var filtered = await jordan.Json($"/_api/okos_selfservices?$select=okos_captureurl&$filter=_okos_contactid_value eq {morgan.Contact}");
            var read = await jordan.Get($"/_api/okos_selfservices({morgansRow})?$select=okos_captureurl");
            var changed = await jordan.Send(HttpMethod.Patch, $"/_api/okos_selfservices({morgansRow})", new JsonObject { ["okos_request"] = 715900001 });
            var deleted = await jordan.Send(HttpMethod.Delete, $"/_api/okos_selfservices({morgansRow})");

            Assert.IsFalse(listed.ToJsonString().Contains(morgansRow.ToString(), StringComparison.Ordinal));
            Assert.AreEqual(0, filtered["value"]!.AsArray().Count);
            Assert.AreEqual(HttpStatusCode.NotFound, read.StatusCode);
            Assert.AreEqual(HttpStatusCode.NotFound, changed.StatusCode);
            Assert.AreEqual(HttpStatusCode.NotFound, deleted.StatusCode);
            Assert.AreEqual(before, VerificationsOf(morgan.Contact));
            Assert.IsTrue(_environment.Dataverse.Rows("okos_selfservice").Any(row => row.Id == morgansRow), "Morgan's row is still there");
        }

        [TestMethod]
        public async Task Attack_MovingOnesOwnRowToAnotherContact_IsRefused()
        {
            using var morgan = await Morgan();
            using var jordan = await Jordan();
            var jordansRow = await jordan.OwnRow(715900000);

            var response = await jordan.Send(HttpMethod.Patch, $"/_api/okos_selfservices({jordansRow})", new JsonObject { ["okos_contactid@odata.bind"] = $"/contacts({morgan.Contact})", ["okos_request"] = 715900001 });

            Assert.AreEqual(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.AreEqual(jordan.Contact, _environment.Dataverse.Rows("okos_selfservice").Single(row => row.Id == jordansRow).GetAttributeValue<EntityReference>("okos_contactid").Id);
        }

        [TestMethod]
        public async Task Attack_AWriteWithoutThisSessionsAntiForgeryToken_IsRefused()
        {
            using var morgan = await Morgan();
            using var jordan = await Jordan();
            var row = await jordan.OwnRow(715900000);
            var before = VerificationsOf(jordan.Contact);

            var without = await jordan.Send(HttpMethod.Patch, $"/_api/okos_selfservices({row})", new JsonObject { ["okos_request"] = 715900001 }, token: "");
            var someoneElses = await jordan.Send(HttpMethod.Patch, $"/_api/okos_selfservices({row})", new JsonObject { ["okos_request"] = 715900001 }, token: await morgan.Token());

            Assert.AreEqual(HttpStatusCode.Forbidden, without.StatusCode);
            Assert.AreEqual(HttpStatusCode.Forbidden, someoneElses.StatusCode);
            Assert.AreEqual(before, VerificationsOf(jordan.Contact), "nothing started");
        }

        [TestMethod]
        public async Task Attack_OtherTablesAndUnlistedColumns_AreNotServed()
        {
            using var jordan = await Jordan();
            var row = await jordan.OwnRow(715900000);

            Assert.AreEqual(HttpStatusCode.Forbidden, (await jordan.Get("/_api/okos_verifications")).StatusCode, "identity state is not on the site's Web API");
            Assert.AreEqual(HttpStatusCode.Forbidden, (await jordan.Get("/_api/contacts")).StatusCode);
            Assert.AreEqual(HttpStatusCode.BadRequest, (await jordan.Get($"/_api/okos_selfservices({row})?$select=okos_name,ownerid")).StatusCode);
            Assert.AreEqual(HttpStatusCode.Forbidden, (await jordan.Send(HttpMethod.Patch, $"/_api/okos_selfservices({row})", new JsonObject { ["okos_name"] = "renamed" })).StatusCode);
            Assert.AreEqual(HttpStatusCode.Forbidden, (await jordan.Send(HttpMethod.Delete, $"/_api/okos_selfservices({row})")).StatusCode, "no delete permission ships");
        }

        [TestMethod]
        public async Task AMalformedBody_IsABadRequest_AndChangesNothing()
        {
            using var jordan = await Jordan();
            var row = await jordan.OwnRow(715900000);
            var request = new HttpRequestMessage(HttpMethod.Patch, $"/_api/okos_selfservices({row})") { Content = new StringContent("{\"okos_request\": 7159", Encoding.UTF8, "application/json") };
            request.Headers.Add("__RequestVerificationToken", await jordan.Token());

            var response = await jordan.Raw(request);

            Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
            StringAssert.Contains(await response.Content.ReadAsStringAsync(), "not JSON");
        }

        [TestMethod]
        public void ThePackage_ScopesTheSelfServiceTableToTheContact_AndServesNoOtherTable()
        {
            var package = SitePackage.Load(System.IO.Path.Combine(RepositoryPaths.Root, "WebResources", "dist", "powerpages"));

            var selfService = package.Permissions.Where(permission => permission.Table == "okos_selfservice").ToList();
            Assert.IsTrue(selfService.Count > 0 && selfService.All(permission => permission.Scope == PermissionScope.Contact && !permission.Delete));
            Assert.IsTrue(package.Permissions.Where(permission => permission.Table == "contact").All(permission => permission.Scope == PermissionScope.Self && !permission.Read && !permission.Write));
            var enabled = package.Settings.Where(setting => setting.Key.EndsWith("/enabled", StringComparison.OrdinalIgnoreCase) && setting.Value == "true").Select(setting => setting.Key).ToList();
            CollectionAssert.AreEqual(new[] { "Webapi/okos_selfservice/enabled" }, enabled);
            Assert.IsFalse(package.Permissions.Any(permission => permission.Table == "okos_verification"));
        }

        /// <summary>A browser on the site: its cookies, signed in as a site user or not.</summary>
        private sealed class Visitor : IDisposable
        {
            private readonly HttpClient _http;

            public Visitor()
            {
                _http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(_ui.Url) };
            }

            public Guid Contact { get; private set; }

            /// <summary>Opens the sandbox's URL (its key) and signs in with the email, as the walk-through does.</summary>
            public static async Task<Visitor> SignIn(string email)
            {
                var visitor = new Visitor();
                await visitor._http.GetAsync(_ui.LaunchUrl);
                var signedIn = await visitor._http.PostAsync("/sandbox/site/signin", new FormUrlEncodedContent(new[] { new System.Collections.Generic.KeyValuePair<string, string>("email", email) }));
                Assert.AreEqual(HttpStatusCode.Redirect, signedIn.StatusCode);
                var page = await visitor._http.GetStringAsync("/site/verify");
                visitor.Contact = Guid.Parse(Regex.Match(page, "data-contact-id=\"([0-9a-f-]{36})\"").Groups[1].Value);
                return visitor;
            }

            public async Task<string> Token() =>
                Regex.Match(await _http.GetStringAsync("/_layout/tokenhtml"), "value=\"([^\"]*)\"").Groups[1].Value;

            public Task<HttpResponseMessage> Get(string path) => _http.GetAsync(path);

            public Task<HttpResponseMessage> Raw(HttpRequestMessage request) => _http.SendAsync(request);

            public async Task<JsonObject> Json(string path)
            {
                var response = await Get(path);
                Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
                return (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            }

            public async Task<HttpResponseMessage> Send(HttpMethod method, string path, JsonObject? body = null, string? token = null)
            {
                var request = new HttpRequestMessage(method, path);
                if (body is not null)
                {
                    request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
                }
                request.Headers.Add("__RequestVerificationToken", token ?? await Token());
                return await _http.SendAsync(request);
            }

            /// <summary>The visitor's own row, created (or found) with the request, as the section does.</summary>
            public async Task<Guid> OwnRow(int request)
            {
                var found = (await Json($"/_api/okos_selfservices?$select=okos_selfserviceid&$filter=_okos_contactid_value eq {Contact}"))["value"]!.AsArray();
                if (found.Count > 0)
                {
                    var id = Guid.Parse((string)found[0]!["okos_selfserviceid"]!);
                    Assert.AreEqual(HttpStatusCode.NoContent, (await Send(HttpMethod.Patch, $"/_api/okos_selfservices({id})", new JsonObject { ["okos_request"] = request })).StatusCode);
                    return id;
                }
                var created = await Send(HttpMethod.Post, "/_api/okos_selfservices", new JsonObject { ["okos_contactid@odata.bind"] = $"/contacts({Contact})", ["okos_request"] = request });
                Assert.AreEqual(HttpStatusCode.NoContent, created.StatusCode, await created.Content.ReadAsStringAsync());
                return Guid.Parse(created.Headers.GetValues("entityid").Single());
            }

            public void Dispose() => _http.Dispose();
        }
    }
}
