using System;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Xrm.Sdk;
using OneKosmos.Sandbox.BlockId;
using OneKosmos.Sandbox.Host.Ui;

namespace OneKosmos.Sandbox.Host.Tests
{
    /// <summary>
    /// The sandbox plays the contact reading their email: a first LiveID request reaches its inbox page, and nowhere else;
    /// the sandbox's own endpoints (a System Administrator token, those emails) answer only the browser that opened the
    /// printed URL.
    /// </summary>
    [TestClass]
    public sealed class SandboxInboxTests
    {
        [TestMethod]
        public async Task AFirstLiveIdRequest_ReachesTheContactsInbox_WithItsLink()
        {
            await using var environment = await LocalEnvironment.StartAsync(RepositoryPaths.SolutionSource, withRelay: false);
            await using var ui = await BrowserUi.StartAsync(environment, RepositoryPaths.Root);
            var contact = environment.Service.Create(new Entity("contact") { ["firstname"] = "Jane", ["lastname"] = "Doe", ["emailaddress1"] = "jane.doe@example.com" });
            environment.Simulator.Complete(environment.Simulator.Sessions.Single().Id, CaptureOutcome.PassWithSelfie);
            environment.Service.Execute(new OrganizationRequest("okos_ReconcileVerifications") { ["OlderThanMinutes"] = 0 });

            environment.Service.Execute(new OrganizationRequest("okos_StartVerification") { ["Subject"] = new EntityReference("contact", contact), ["Journey"] = "LiveIdStepUp" });
            using var http = new HttpClient(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer() });
            (await http.GetAsync(ui.LaunchUrl)).EnsureSuccessStatusCode();
            var inbox = await http.GetFromJsonAsync<JsonElement>(ui.Url + "/sandbox/inbox");

            var email = inbox.EnumerateArray().Single();
            Assert.AreEqual("jane.doe@example.com", email.GetProperty("to").GetString());
            StringAssert.Contains(email.GetProperty("body").GetString(), $"{environment.Simulator.BaseUrl}/sessions/session/{environment.Simulator.LiveIdSessions.Single()}");
        }
    
        [TestMethod]
        public async Task AnotherLocalProcess_GetsNoTokenAndNoEmail_WithoutTheRunsKey()
        {
            await using var environment = await LocalEnvironment.StartAsync(RepositoryPaths.SolutionSource, withRelay: false);
            await using var ui = await BrowserUi.StartAsync(environment, RepositoryPaths.Root);
            using var stranger = new HttpClient();
            using var guesser = new HttpClient(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer() });
            using var rebinding = new HttpRequestMessage(HttpMethod.Get, ui.Url + "/sandbox/session");
            rebinding.Headers.Host = "attacker.example";
            using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer() });
            (await browser.GetAsync(ui.LaunchUrl)).EnsureSuccessStatusCode();
            using var crossSite = new HttpRequestMessage(HttpMethod.Get, ui.Url + "/sandbox/session");
            crossSite.Headers.Add("Origin", "http://evil.example");

            Assert.AreEqual(System.Net.HttpStatusCode.Forbidden, (await stranger.GetAsync(ui.Url + "/sandbox/session")).StatusCode);
            Assert.AreEqual(System.Net.HttpStatusCode.Forbidden, (await stranger.GetAsync(ui.Url + "/sandbox/inbox")).StatusCode);
            Assert.AreEqual(System.Net.HttpStatusCode.Forbidden, (await guesser.GetAsync(ui.Url + "/?key=not-this-runs")).StatusCode);
            Assert.AreEqual(System.Net.HttpStatusCode.BadRequest, (await stranger.SendAsync(rebinding)).StatusCode);
            Assert.AreEqual(System.Net.HttpStatusCode.Forbidden, (await browser.SendAsync(crossSite)).StatusCode);
            Assert.AreEqual(System.Net.HttpStatusCode.OK, (await browser.GetAsync(ui.Url + "/sandbox/session")).StatusCode);
        }
    }
}
