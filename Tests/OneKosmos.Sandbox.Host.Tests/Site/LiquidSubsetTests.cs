using System;
using OneKosmos.Sandbox.Host.Site;

namespace OneKosmos.Sandbox.Host.Tests.Site
{
    [TestClass]
    public sealed class LiquidSubsetTests
    {
        private const string Template = "{% comment %}note{% endcomment %}{% if user %}<div data-id=\"{{ user.id }}\"></div>{% else %}<p>Sign in</p>{% endif %}{% raw %}<script>var a = {{}};</script>{% endraw %}";

        [TestMethod]
        public void ASignedInUser_GetsTheSectionWithTheirContactId_AndRawTextStaysAsWritten()
        {
            var id = Guid.NewGuid();

            var html = LiquidSubset.Render(Template, id);

            Assert.AreEqual($"<div data-id=\"{id}\"></div><script>var a = {{{{}}}};</script>", html);
        }

        [TestMethod]
        public void AVisitor_GetsTheSignInLine()
        {
            Assert.AreEqual("<p>Sign in</p><script>var a = {{}};</script>", LiquidSubset.Render(Template, null));
        }

        [TestMethod]
        public void LiquidBeyondTheSubset_IsRefused_NotSkipped()
        {
            var refusal = Assert.ThrowsExactly<NotSupportedException>(() => LiquidSubset.Render("{{ user.fullname }}", Guid.NewGuid()));

            StringAssert.Contains(refusal.Message, "user.id");
        }

        [TestMethod]
        public void TheShippedTemplate_RendersWithTheSubset()
        {
            var package = SitePackage.Load(System.IO.Path.Combine(OneKosmos.Tests.Shared.RepositoryPaths.Root, "WebResources", "dist", "powerpages"));

            var html = LiquidSubset.Render(package.Templates[PowerPagesSite.TemplateName], Guid.Empty);

            StringAssert.Contains(html, "id=\"okos-self-service\"");
            Assert.IsFalse(html.Contains("okos:script", StringComparison.Ordinal), "the build wrote the bundle in");
        }
    }
}
