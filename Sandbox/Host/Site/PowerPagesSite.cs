using System;
using System.IO;
using System.Linq;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Sandbox.Dataverse;

namespace OneKosmos.Sandbox.Host.Site
{
    /// <summary>
    /// A company's Power Pages site in the sandbox, running the product's Power Pages package: sign-in for site users
    /// (contacts, by email: the sandbox's identity provider, behind the sandbox key), a page that includes the product's web
    /// template, the anti-forgery token page and the site's Web API, which runs as the site's application user (role and field
    /// security profile Self-service Site, as the README tells an administrator to assign).
    /// </summary>
    public sealed class PowerPagesSite
    {
        public const string TemplateName = "OneKosmos Self-service";

        /// <value>The site users the sandbox seeds: a person to verify, and another whose data the first must never reach.</value>
        public static readonly (string Name, string First, string Last, string Email)[] SiteUsers =
        {
            ("Jordan Rivera", "Jordan", "Rivera", "jordan.rivera@sandbox.example"),
            ("Morgan Lee", "Morgan", "Lee", "morgan.lee@sandbox.example"),
        };

        private readonly InMemoryDataverse _dataverse;
        private readonly SitePackage _package;

        private PowerPagesSite(InMemoryDataverse dataverse, SitePackage package, Guid applicationUser)
        {
            _dataverse = dataverse;
            _package = package;
            ApplicationUser = applicationUser;
        }

        public SiteSessions Sessions { get; } = new();

        /// <value>The site's application user: what the site's Web API runs as.</value>
        public Guid ApplicationUser { get; }

        /// <exception cref="InvalidOperationException">The package or Bootstrap is not built or installed; the message says how.</exception>
        public static PowerPagesSite Start(WebApplication app, InMemoryDataverse dataverse, string webResources)
        {
            var bootstrap = Path.Combine(webResources, "node_modules", "bootstrap", "dist", "css");
            if (!File.Exists(Path.Combine(bootstrap, "bootstrap.min.css")))
            {
                throw new InvalidOperationException("Bootstrap (the site theme's CSS) is not installed: run 'npm ci' in WebResources.");
            }
            var package = SitePackage.Load(Path.Combine(webResources, "dist", "powerpages"));
            var applicationUser = dataverse.AddUser("Power Pages site (application user)", new[] { "Self-service Site" }, new[] { "Self-service Site" });
            var site = new PowerPagesSite(dataverse, package, applicationUser);
            foreach (var user in SiteUsers)
            {
                if (site.ContactByEmail(user.Email) is null)
                {
                    dataverse.Seed(new Entity("contact") { ["firstname"] = user.First, ["lastname"] = user.Last, ["fullname"] = user.Name, ["emailaddress1"] = user.Email });
                }
            }
            app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(bootstrap), RequestPath = "/site/assets" });
            new SiteWebApi(dataverse, package, site.Sessions, applicationUser).Map(app);
            app.MapGet("/site", (HttpContext http) => Results.Redirect(site.Sessions.Of(http) is null ? "/site/signin" : "/site/verify"));
            app.MapGet("/site/signin", () => Page("Sign in", null, SignInForm(null)));
            app.MapPost("/sandbox/site/signin", async (HttpContext http) =>
            {
                var form = await http.Request.ReadFormAsync();
                var email = form["email"].ToString().Trim();
                if (site.ContactByEmail(email) is not { } contact)
                {
                    return Page("Sign in", null, SignInForm($"No site user signs in with '{email}'. Try {SiteUsers[0].Email}."), StatusCodes.Status401Unauthorized);
                }
                site.Sessions.SignIn(http, contact);
                return Results.Redirect("/site/verify");
            });
            app.MapPost("/sandbox/site/signout", (HttpContext http) =>
            {
                site.Sessions.SignOut(http);
                return Results.Redirect("/site/signin");
            });
            app.MapGet("/site/verify", (HttpContext http) =>
            {
                var user = site.Sessions.Of(http);
                var content = "<h1 class=\"h3 mb-3\">Your account</h1>" + LiquidSubset.Render(package.Templates[TemplateName], user?.ContactId);
                return Page("Verify your identity", user is null ? null : site.NameOf(user.ContactId), content);
            });
            app.MapGet("/_layout/tokenhtml", (HttpContext http) => Results.Content(
                $"<input name=\"__RequestVerificationToken\" type=\"hidden\" value=\"{WebUtility.HtmlEncode(site.Sessions.Of(http)?.Token ?? "")}\" />", "text/html"));
            return site;
        }

        private Guid? ContactByEmail(string email)
        {
            if (email.Length == 0)
            {
                return null;
            }
            var query = new QueryExpression("contact") { ColumnSet = new ColumnSet(false), TopCount = 1 };
            query.Criteria.AddCondition("emailaddress1", ConditionOperator.Equal, email);
            return _dataverse.CreateOrganizationService(null).RetrieveMultiple(query).Entities.Select(row => (Guid?)row.Id).FirstOrDefault();
        }

        private string NameOf(Guid contactId) =>
            _dataverse.CreateOrganizationService(null).Retrieve("contact", contactId, new ColumnSet("fullname")).GetAttributeValue<string>("fullname") ?? "";

        private static string SignInForm(string? error) =>
            (error is null ? "" : $"<div class=\"alert alert-danger\" role=\"alert\">{WebUtility.HtmlEncode(error)}</div>") +
            "<h1 class=\"h3 mb-3\">Sign in</h1>" +
            "<form method=\"post\" action=\"/sandbox/site/signin\" class=\"vstack gap-3\">" +
            "<div><label for=\"email\" class=\"form-label\">Email</label>" +
            "<input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username\" required class=\"form-control\"></div>" +
            "<button type=\"submit\" class=\"btn btn-primary\">Sign in</button></form>" +
            $"<p class=\"text-body-secondary mt-3 small\">The sandbox's site users: {string.Join(", ", SiteUsers.Select(user => WebUtility.HtmlEncode(user.Email)))}. No password: the sandbox stands in for the site's identity provider.</p>";

        private static IResult Page(string title, string? signedIn, string content, int status = StatusCodes.Status200OK)
        {
            var account = signedIn is null ? "" :
                $"<span class=\"navbar-text me-2\">{WebUtility.HtmlEncode(signedIn)}</span>" +
                "<form method=\"post\" action=\"/sandbox/site/signout\" class=\"d-inline\"><button type=\"submit\" class=\"btn btn-outline-secondary btn-sm\">Sign out</button></form>";
            var html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
                $"<title>{WebUtility.HtmlEncode(title)} · Contoso</title><link rel=\"stylesheet\" href=\"/site/assets/bootstrap.min.css\"></head><body>" +
                "<nav class=\"navbar bg-body-tertiary border-bottom\"><div class=\"container flex-wrap gap-2\"><a class=\"navbar-brand\" href=\"/site\">Contoso</a>" +
                $"<div>{account}</div></div></nav><main class=\"container py-4\" style=\"max-width: 40rem\">{content}</main></body></html>";
            return Results.Content(html, "text/html", statusCode: status);
        }
    }
}
