using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.Playwright;
using OneKosmos.Sandbox.Host.Ui;
using OneKosmos.Tests.Shared;

namespace OneKosmos.Sandbox.Host.Tests
{
    /// <summary>
    /// The sandbox's browser UI driven in Debian's Chromium as a person would use it: create a contact, open the capture link,
    /// pass verification, see the panel turn Verified with IAL2 and the DID, then win an opportunity after a step-up. Each step
    /// is saved as a screenshot (test-results/screenshots; OKOS_UPDATE_SCREENSHOTS=1 refreshes docs/screenshots).
    /// </summary>
    [TestClass]
    public sealed partial class BrowserWalkThroughTests
    {
        private static readonly string Screenshots = Environment.GetEnvironmentVariable("OKOS_UPDATE_SCREENSHOTS") == "1"
            ? Path.Combine(RepositoryPaths.Root, "docs", "screenshots")
            : Path.Combine(RepositoryPaths.Root, "Tests", "OneKosmos.Sandbox.Host.Tests", "test-results", "screenshots");

        private static readonly string Chromium = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";

        private readonly List<string> _errors = new();
        private readonly List<string> _refusals = new();

        /// <value>
        /// How long a save may take to land on the new record's URL. The URL is polled (a hash change is a same-document
        /// navigation, which a wait for a load event can miss), and CI runs every suite in parallel on two cores.
        /// </value>
        private const float SaveTimeout = 60_000;

        [TestMethod]
        public async Task APerson_VerifiesANewContact_ThenWinsAnOpportunityAfterAStepUp()
        {
            await using var walk = await WalkAsync();
            var (environment, ui, page) = (walk.Environment, walk.Ui, walk.Page);

            // 1. A new contact: saving it starts its identity verification.
            await page.GotoAsync(ui.Url + "/#/contacts/new");
            await page.GetByLabel("First Name").FillAsync("Jane");
            await page.GetByLabel("Last Name").FillAsync("Doe");
            await page.GetByLabel("Email").FillAsync("jane.doe@example.com");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("#/contacts/[0-9a-f-]{36}$"), new() { Timeout = SaveTimeout });
            var panel = page.FrameLocator("#WebResource_okos_idv_panel");
            await Assertions.Expect(panel.Locator("[role=status]")).ToHaveTextAsync("Pending");
            await Assertions.Expect(page.Locator(".notifications")).ToContainTextAsync("verif");
            await Shoot(page, "walkthrough-1-contact-pending");

            // 2. The capture link, as the person receives it.
            var capture = await OpenLinkFromPanel(page, panel, "walkthrough-2-capture-link");
            await capture.GetByRole(AriaRole.Button, new() { Name = "Pass: document and selfie (IAL2)" }).ClickAsync();
            await Assertions.Expect(capture.GetByRole(AriaRole.Status)).ToContainTextAsync("PassWithSelfie");
            await Shoot(capture, "walkthrough-3-capture-passed");
            await capture.CloseAsync();

            // 3. The relay brings the result; the panel turns Verified at IAL2 with the credential's DID.
            await RefreshUntil(page, panel, "Verified");
            var panelText = await panel.Locator("body").InnerTextAsync();
            StringAssert.Contains(panelText, "IAL2");
            StringAssert.StartsWith(await panel.Locator(".okos-did").GetAttributeAsync("title"), "did:");
            await Shoot(page, "walkthrough-4-verified");

            // 4. An opportunity above the gate's threshold: winning it needs a fresh step-up.
            await page.GotoAsync(ui.Url + "/#/opportunities/new");
            await page.GetByLabel("Topic").FillAsync("Mortgage 250k");
            await page.GetByLabel("Contact").SelectOptionAsync(new SelectOptionValue { Label = "Jane Doe" });
            await page.GetByLabel("Est. Revenue").FillAsync("250000");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("#/opportunities/[0-9a-f-]{36}$"), new() { Timeout = SaveTimeout });
            await Assertions.Expect(panel.Locator("[role=status]")).ToHaveTextAsync("Verified");
            await page.GetByRole(AriaRole.Button, new() { Name = "Close as won" }).ClickAsync();
            await Assertions.Expect(page.Locator("#dialog [role=alert]")).ToContainTextAsync("step-up");
            await Shoot(page, "walkthrough-5-win-blocked");
            await page.GetByRole(AriaRole.Button, new() { Name = "OK" }).ClickAsync();

            // 5. The step-up: Jane has no LiveID yet, so she proves it is her with a new selfie capture.
            await panel.GetByRole(AriaRole.Button, new() { Name = "Request step-up" }).ClickAsync();
            var stepUp = await OpenLinkFromPanel(page, panel, "walkthrough-6-step-up-requested");
            await stepUp.GetByRole(AriaRole.Button, new() { Name = "Pass: document and selfie (IAL2)" }).ClickAsync();
            await Assertions.Expect(stepUp.GetByRole(AriaRole.Status)).ToContainTextAsync("PassWithSelfie");
            await stepUp.CloseAsync();
            await RefreshUntil(page, panel, "Verified");
            await Assertions.Expect(panel.Locator("body")).Not.ToContainTextAsync("Never");

            // 6. Now the win goes ahead.
            await page.GetByRole(AriaRole.Button, new() { Name = "Close as won" }).ClickAsync();
            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Won");
            await Assertions.Expect(panel.Locator("[role=status]")).ToHaveTextAsync("Verified");
            await Shoot(page, "walkthrough-7-won");

            // 7. The activity log tells the story, the gate's decisions included.
            await page.GotoAsync(ui.Url + "/#/activity");
            await Assertions.Expect(page.Locator(".activity details").First).ToBeVisibleAsync();
            var log = await page.Locator(".activity").TextContentAsync() ?? "";
            StringAssert.Contains(log, "Blocked Win of opportunity");
            StringAssert.Contains(log, "Allowed Win of opportunity");
            StringAssert.Contains(log, "1Kosmos POST /docuverify/document_share_session/create");
            StringAssert.Contains(log, "The person finished the capture: PassWithSelfie");
            StringAssert.Contains(log, "okos_ProcessVerificationCallback: Outcome Applied");
            StringAssert.Contains(log, "of contact Jane Doe (", "lines name people beside their ids, so a search by name finds them");
            await page.Locator(".activity details").First.EvaluateAsync("node => node.open = true");
            await Shoot(page, "walkthrough-8-activity");

            var sessions = environment.Simulator.Sessions.Select(session => session.Id).ToList();
            foreach (var session in sessions)
            {
                Assert.IsFalse(log.Contains(session, StringComparison.Ordinal), "the activity log never shows a session id (it is the capture link's secret)");
            }
            Assert.AreEqual("", string.Join("\n", _errors), "the browser reported errors");
            CollectionAssert.AreEqual(new[] { "POST /api/data/v9.2/WinOpportunity 400" }, _refusals, "only the gate's refusal");
        }

        [TestMethod]
        public async Task APerson_AddsTheVerifiedIdentityToMicrosoftAuthenticator_ThenStepsUpWithFaceCheck()
        {
            await using var walk = await WalkAsync();
            var (environment, ui, page) = (walk.Environment, walk.Ui, walk.Page);

            // A contact verified at IAL2 (the capture itself is the other walk-through's subject).
            await page.GotoAsync(ui.Url + "/#/contacts/new");
            await page.GetByLabel("First Name").FillAsync("Ana");
            await page.GetByLabel("Last Name").FillAsync("Silva");
            await page.GetByLabel("Email").FillAsync("ana.silva@example.com");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("#/contacts/[0-9a-f-]{36}$"), new() { Timeout = SaveTimeout });
            var panel = page.FrameLocator("#WebResource_okos_idv_panel");
            await Assertions.Expect(panel.Locator("[role=status]")).ToHaveTextAsync("Pending");
            environment.Simulator.Complete(environment.Simulator.Sessions.Single().Id, OneKosmos.Sandbox.BlockId.CaptureOutcome.PassWithSelfie);
            await RefreshUntil(page, panel, "Verified");

            // 1. Issue: the panel draws the request's QR code itself.
            await panel.GetByRole(AriaRole.Button, new() { Name = "Issue to Microsoft Authenticator" }).ClickAsync();
            await Assertions.Expect(panel.Locator("svg.okos-qr")).ToBeVisibleAsync();
            await Shoot(page, "verifiedid-1-issue-qr");

            // 2. The person opens it in the (simulated) wallet and adds the card; Entra's callback comes through the relay.
            var wallet = await page.Context.RunAndWaitForPageAsync(() => panel.GetByRole(AriaRole.Link, new() { Name = "Open on this phone" }).ClickAsync());
            await wallet.GetByRole(AriaRole.Button, new() { Name = "Add to wallet" }).ClickAsync();
            await Assertions.Expect(wallet.Locator("#status")).ToContainTextAsync("issuance_successful");
            await Shoot(wallet, "verifiedid-2-wallet-accepted");
            await wallet.CloseAsync();
            await Assertions.Expect(panel.Locator(".okos-facts")).ToContainTextAsync("In Microsoft Authenticator", new() { Timeout = 30_000 });

            // 3. Face Check at 87: a fresh step-up with its score on the attempt.
            await panel.GetByRole(AriaRole.Button, new() { Name = "Step up with Face Check" }).ClickAsync();
            await Assertions.Expect(panel.Locator("svg.okos-qr")).ToBeVisibleAsync();
            var faceCheck = await page.Context.RunAndWaitForPageAsync(() => panel.GetByRole(AriaRole.Link, new() { Name = "Open on this phone" }).ClickAsync());
            await faceCheck.Locator("#score").FillAsync("87");
            await faceCheck.GetByRole(AriaRole.Button, new() { Name = "Share with Face Check" }).ClickAsync();
            await Assertions.Expect(faceCheck.Locator("#status")).ToContainTextAsync("presentation_verified");
            await faceCheck.CloseAsync();
            await Assertions.Expect(panel.Locator(".okos-score").First).ToHaveTextAsync("87% face match", new() { Timeout = 30_000 });
            await Assertions.Expect(panel.Locator("svg.okos-qr")).ToHaveCountAsync(0);
            await Shoot(page, "verifiedid-3-face-check-passed");
            await page.GotoAsync(ui.Url + "/#/activity");
            await Assertions.Expect(page.Locator(".activity details").First).ToBeVisibleAsync();
            var log = await page.Locator(".activity").TextContentAsync() ?? "";
            StringAssert.Contains(log, "Microsoft Entra POST /v1.0/verifiableCredentials/createIssuanceRequest");
            StringAssert.Contains(log, "Microsoft Entra POST /v1.0/verifiableCredentials/createPresentationRequest");
            StringAssert.Contains(log, "The person added the credential to Microsoft Authenticator");
            StringAssert.Contains(log, "The person presented the credential with Face Check (match 87%)");
            CollectionAssert.AreEqual(Array.Empty<string>(), _refusals, "nothing was refused");

            Assert.AreEqual("", string.Join("\n", _errors), "the browser reported errors");
        }

        /// <summary>Issue #22, finding 9: the sandbox's shell shows each role's view, saves once, reflows at 320 px, and shows a won deal's stages.</summary>
        [TestMethod]
        public async Task TheShell_ShowsEachRolesView_SavesOnce_ReflowsAt320_AndShowsAWonDealsStages()
        {
            await using var walk = await WalkAsync();
            var (environment, ui, page) = (walk.Environment, walk.Ui, walk.Page);

            // A double click on Save makes one contact.
            await page.GotoAsync(ui.Url + "/#/contacts/new");
            await page.GetByLabel("First Name").FillAsync("Dora");
            await page.GetByLabel("Last Name").FillAsync("Double");
            await page.GetByLabel("Email").FillAsync("dora@example.com");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync(new() { ClickCount = 2 });
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("#/contacts/[0-9a-f-]{36}$"), new() { Timeout = SaveTimeout });
            Assert.AreEqual(1, environment.Dataverse.Rows("contact").Count(row => row.GetAttributeValue<string>("lastname") == "Double"));
            var panel = page.FrameLocator("#WebResource_okos_idv_panel");
            await Assertions.Expect(panel.Locator("[role=status]")).ToHaveTextAsync("Pending");
            await Assertions.Expect(panel.GetByRole(AriaRole.Button, new() { Name = "Copy capture link" })).ToBeVisibleAsync();

            // A salesperson without the agent's field security profile sees the verification, never its link.
            await ActAs(page, "salesperson");
            await Assertions.Expect(panel.Locator("[role=status]")).ToHaveTextAsync("Pending");
            await Assertions.Expect(panel.GetByRole(AriaRole.Button, new() { Name = "Copy capture link" })).ToHaveCountAsync(0);
            StringAssert.Contains(await page.Locator("#acting-as").InputValueAsync(), "salesperson");
            await Shoot(page, "sandbox-salesperson-view");

            // The Verification Agent, with the profile, does see it.
            await ActAs(page, "agent");
            await Assertions.Expect(panel.GetByRole(AriaRole.Button, new() { Name = "Copy capture link" })).ToBeVisibleAsync();
            await ActAs(page, "administrator");

            // A deal below the gate's threshold, won: its stage bar shows every stage done.
            await page.GotoAsync(ui.Url + "/#/opportunities/new");
            await page.GetByLabel("Topic").FillAsync("Small deal");
            await page.GetByLabel("Est. Revenue").FillAsync("5000");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("#/opportunities/[0-9a-f-]{36}$"), new() { Timeout = SaveTimeout });
            await page.GetByRole(AriaRole.Button, new() { Name = "Close as won" }).ClickAsync();
            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Won");
            await Assertions.Expect(page.Locator(".stages span.done")).ToHaveCountAsync(4);

            // At a phone's width the shell reflows: nothing scrolls sideways.
            await page.SetViewportSizeAsync(320, 700);
            await page.GotoAsync(ui.Url + "/#/contacts");
            await Assertions.Expect(page.Locator("table.grid")).ToBeVisibleAsync();
            var overflowing = await page.EvaluateAsync<string>("() => [...document.querySelectorAll('body *')].filter(node => node.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5 && !node.closest('.grid, .sitemap')).map(node => node.tagName.toLowerCase() + ' ' + node.className).join(', ')");
            Assert.IsTrue(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"), $"the shell scrolls sideways at 320 px: {overflowing}");
            await Shoot(page, "sandbox-320");
        }

        /// <summary>Chooses who the shell acts as; the page reloads with that person's session, on the same record.</summary>
        private static async Task ActAs(IPage page, string person)
        {
            await page.RunAndWaitForResponseAsync(() => page.Locator("#acting-as").SelectOptionAsync(person), response => response.Url.Contains("/sandbox/session?as=" + person, StringComparison.Ordinal));
            await Assertions.Expect(page.Locator("#acting-as")).ToHaveValueAsync(person);
            await Assertions.Expect(page.Locator("main h1")).ToBeVisibleAsync();
        }

        /// <summary>A fresh sandbox with its browser UI, and a Chromium page on it whose errors and refused requests are collected.</summary>
        private async Task<Walk> WalkAsync()
        {
            Assert.IsTrue(File.Exists(Chromium), $"Chromium is not at {Chromium}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.");
            Directory.CreateDirectory(Screenshots);
            var environment = await LocalEnvironment.StartAsync(RepositoryPaths.SolutionSource);
            var ui = await BrowserUi.StartAsync(environment, RepositoryPaths.Root);
            var playwright = await Playwright.CreateAsync();
            var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Args = new[] { "--no-sandbox" } });
            var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 860 }, Locale = "en-US", TimezoneId = "UTC" });
            var page = await context.NewPageAsync();
            // A refused request is listed by what it asked; the browser's own console line about it says less.
            page.Console += (_, message) => { if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)) { _errors.Add(message.Text); } };
            page.Response += (_, response) => { if (response.Status >= 400) { _refusals.Add($"{response.Request.Method} {new Uri(response.Url).AbsolutePath} {response.Status}"); } };
            page.PageError += (_, error) => _errors.Add(error);
            await page.GotoAsync(ui.LaunchUrl);
            return new Walk(environment, ui, playwright, browser, page);
        }

        private sealed class Walk(LocalEnvironment environment, BrowserUi ui, IPlaywright playwright, IBrowser browser, IPage page) : IAsyncDisposable
        {
            public LocalEnvironment Environment { get; } = environment;

            public BrowserUi Ui { get; } = ui;

            public IPage Page { get; } = page;

            public async ValueTask DisposeAsync()
            {
                await browser.DisposeAsync();
                playwright.Dispose();
                await Ui.DisposeAsync();
                await Environment.DisposeAsync();
            }
        }

        /// <summary>"Send by email" in the panel, as a person would; opens the link the email carries in a new tab.</summary>
        private static async Task<IPage> OpenLinkFromPanel(IPage page, IFrameLocator panel, string screenshot)
        {
            await panel.GetByRole(AriaRole.Button, new() { Name = "Send by email" }).ClickAsync();
            var link = page.Locator("#email-link");
            await Assertions.Expect(link).ToBeVisibleAsync();
            await Shoot(page, screenshot);
            var opened = await page.Context.RunAndWaitForPageAsync(() => link.ClickAsync());
            await page.GetByRole(AriaRole.Button, new() { Name = "OK" }).ClickAsync();
            await opened.WaitForLoadStateAsync();
            return opened;
        }

        /// <summary>Presses the form's Refresh until the panel shows the status (the relay delivers within a second or two).</summary>
        private static async Task RefreshUntil(IPage page, IFrameLocator panel, string status)
        {
            for (var attempt = 0; attempt < 60; attempt++)
            {
                await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
                await Assertions.Expect(panel.Locator("[role=status]")).Not.ToHaveTextAsync("");
                if (await panel.Locator("[role=status]").TextContentAsync() == status)
                {
                    return;
                }
                await page.WaitForTimeoutAsync(500);
            }
            Assert.Fail($"The panel never showed {status}.");
        }

        private static Task Shoot(IPage page, string name) =>
            page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, name + ".png"), Animations = ScreenshotAnimations.Disabled });
    }
}
