using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Playwright;
using OneKosmos.Sandbox.Host.Site;

namespace OneKosmos.Sandbox.Host.Tests
{
    /// <summary>
    /// Issue #24: the company's Power Pages site in Chromium: a site user signs in, starts their own proofing, passes the
    /// capture on "this device", sees Verified, adds the credential to Microsoft Authenticator, and the page fits 320 px.
    /// Screenshots docs/screenshots/portal-*.png.
    /// </summary>
    public sealed partial class BrowserWalkThroughTests
    {
        [TestMethod]
        public async Task ASiteUser_VerifiesThemself_OnTheCompanysPowerPagesSite()
        {
            await using var walk = await WalkAsync();
            var (environment, ui, page) = (walk.Environment, walk.Ui, walk.Page);
            var person = PowerPagesSite.SiteUsers[0];

            // 1. Sign in on the site: the section shows the person's own standing, nothing started yet.
            await page.GotoAsync(ui.Url + "/site");
            await page.GetByLabel("Email").FillAsync(person.Email);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            var section = page.Locator("#okos-self-service");
            await Assertions.Expect(section.Locator("[role=status]")).ToHaveTextAsync("Not started");
            await Assertions.Expect(page.Locator("nav")).ToContainTextAsync(person.Name);
            await Shoot(page, "portal-1-signed-in");

            // 2. Start: the capture, as a QR code for the phone and a link for this device.
            await section.GetByRole(AriaRole.Button, new() { Name = "Verify my identity" }).ClickAsync();
            await Assertions.Expect(section.Locator("svg.okos-qr")).ToBeVisibleAsync();
            await Assertions.Expect(section.Locator("[role=status]")).ToHaveTextAsync("Pending");
            await Assertions.Expect(section.GetByRole(AriaRole.Button, new() { Name = "Verify my identity" })).ToBeDisabledAsync();
            Assert.AreEqual("", await SeriousAccessibilityProblems(page), "axe-core, while pending");
            await Shoot(page, "portal-2-capture-qr");

            // 3. On this device: the 1Kosmos capture, passed.
            var capture = await page.Context.RunAndWaitForPageAsync(() => section.GetByRole(AriaRole.Link, new() { Name = "Continue on this device" }).ClickAsync());
            await capture.GetByRole(AriaRole.Button, new() { Name = "Pass: document and selfie (IAL2)" }).ClickAsync();
            await Assertions.Expect(capture.GetByRole(AriaRole.Status)).ToContainTextAsync("PassWithSelfie");
            await Shoot(capture, "portal-3-capture-passed");
            await capture.CloseAsync();

            // 4. The page follows it to Verified by itself (it polls while something is pending).
            await Assertions.Expect(section.Locator("[role=status]")).ToHaveTextAsync("Verified", new() { Timeout = 30_000 });
            await Assertions.Expect(section).ToContainTextAsync("IAL2");
            await Assertions.Expect(section.Locator("svg.okos-qr")).ToHaveCountAsync(0);
            Assert.AreEqual("", await SeriousAccessibilityProblems(page), "axe-core, once verified");
            await Shoot(page, "portal-4-verified");

            // 5. Where the company issues it: the verified identity into Microsoft Authenticator.
            await section.GetByRole(AriaRole.Button, new() { Name = "Add to Microsoft Authenticator" }).ClickAsync();
            await Assertions.Expect(section.Locator("svg.okos-qr")).ToBeVisibleAsync();
            var wallet = await page.Context.RunAndWaitForPageAsync(() => section.GetByRole(AriaRole.Link, new() { Name = "Open Microsoft Authenticator on this phone" }).ClickAsync());
            await wallet.GetByRole(AriaRole.Button, new() { Name = "Add to wallet" }).ClickAsync();
            await Assertions.Expect(wallet.Locator("#status")).ToContainTextAsync("issuance_successful");
            await wallet.CloseAsync();
            await Assertions.Expect(section).ToContainTextAsync("In Microsoft Authenticator", new() { Timeout = 30_000 });
            await Shoot(page, "portal-5-authenticator");

            // 6. At a phone's width nothing scrolls sideways.
            await page.SetViewportSizeAsync(320, 800);
            await page.ReloadAsync();
            await Assertions.Expect(section.Locator("[role=status]")).ToHaveTextAsync("Verified");
            Assert.IsTrue(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "the site page scrolls sideways at 320 px");
            await Shoot(page, "portal-6-320");

            var verification = environment.Dataverse.Rows("okos_verification").First(row => row.GetAttributeValue<Microsoft.Xrm.Sdk.OptionSetValue>("okos_journey").Value == 715900000);
            Assert.AreEqual(715900001, verification.GetAttributeValue<Microsoft.Xrm.Sdk.OptionSetValue>("okos_status").Value, "the verification itself is Verified, not only the site's copy");
            Assert.AreEqual("", string.Join("\n", _errors), "the browser reported errors");
            CollectionAssert.AreEqual(Array.Empty<string>(), _refusals, "nothing was refused");
        }

        /// <summary>axe-core's serious and critical findings in the self-service section (the web resources' own scan, on the site).</summary>
        private static async Task<string> SeriousAccessibilityProblems(IPage page)
        {
            await page.AddScriptTagAsync(new() { Path = System.IO.Path.Combine(OneKosmos.Tests.Shared.RepositoryPaths.Root, "WebResources", "node_modules", "axe-core", "axe.min.js") });
            return await page.EvaluateAsync<string>(@"async () => {
                const results = await window.axe.run(document.getElementById('okos-self-service'));
                return results.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ')).join('\n');
            }");
        }
    }
}
