using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using Microsoft.Xrm.Sdk;

using OneKosmos.Sandbox.Host.Site;

namespace OneKosmos.Sandbox.Host.Ui
{
    /// <summary>
    /// The sandbox's browser UI on 127.0.0.1: a light model-driven-style shell (Sandbox/Host/Ui/wwwroot) that hosts the real
    /// identity panel and form script from WebResources/dist through an Xrm shim, the Dataverse Web API on the same origin
    /// (the shim's calls carry a token the sandbox grants its one signed-in user), and the activity log as JSON.
    /// </summary>
    public sealed class BrowserUi : IAsyncDisposable
    {
        /// <value>Who the browser acts as: a System Administrator, as the person trying the product would be in a trial.</value>
        public const string UserName = "Sandbox Administrator";

        /// <value>The same in every run, so the rows a data file keeps are still owned by the person using the sandbox.</value>
        public static readonly Guid UserId = new("4f6b0000-0000-4000-8000-0000000000ad");

        private readonly WebApplication _app;

        private BrowserUi(WebApplication app, string url, string key, PowerPagesSite site)
        {
            Site = site;
            _app = app;
            Url = url;
            LaunchUrl = $"{url}/?{SandboxKey.QueryName}={key}";
        }

        /// <value>http://127.0.0.1:{port}</value>
        public string Url { get; }

        /// <value>The company's Power Pages site, at /site: the product's self-service page for signed-in contacts.</value>
        public PowerPagesSite Site { get; }

        /// <value>The URL to open first: it carries this run's key, which lets that browser call the sandbox's own endpoints.</value>
        public string LaunchUrl { get; }

        /// <param name="environment">The running product.</param>
        /// <param name="repositoryRoot">Where Sandbox/Host/Ui/wwwroot and WebResources/dist are.</param>
        /// <param name="port">0 for any free port.</param>
        /// <exception cref="InvalidOperationException">The web resources are not built; the message says how to build them.</exception>
        public static async Task<BrowserUi> StartAsync(LocalEnvironment environment, string repositoryRoot, int port = 0)
        {
            var shell = Path.Combine(repositoryRoot, "Sandbox", "Host", "Ui", "wwwroot");
            var webResources = Path.Combine(repositoryRoot, "WebResources", "dist");
            if (!File.Exists(Path.Combine(webResources, "okos_", "idv", "panel.js")))
            {
                throw new InvalidOperationException("The web resources are not built: run 'npm ci' and 'npm run build' in WebResources (building Sandbox/Host does it).");
            }
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
            var app = builder.Build();
            var key = new SandboxKey();
            var boundPort = port;
            app.Use((context, next) => key.Guard(context, next, boundPort));
            var shellFiles = new PhysicalFileProvider(shell);
            var types = new FileExtensionContentTypeProvider();
            types.Mappings[".resx"] = "text/xml";
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = shellFiles });
            app.UseStaticFiles(new StaticFileOptions { FileProvider = shellFiles });
            app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(webResources), ContentTypeProvider = types });

            environment.WebApi.Map(app);
            var site = PowerPagesSite.Start(app, environment.Dataverse, Path.Combine(repositoryRoot, "WebResources"));
            var user = environment.Dataverse.Seed(new Entity("systemuser", UserId) { ["fullname"] = UserName })[0];
            // Who the person can act as, to see what each sees: field security and privileges apply to every call the shell makes.
            var people = new[]
            {
                (Key: "administrator", Name: UserName, Id: user),
                (Key: "agent", Name: "Vera Agent (Verification Agent)", Id: environment.Dataverse.AddUser("Vera Agent", new[] { "Verification Agent", "Salesperson" }, new[] { "Verification Agent" })),
                (Key: "salesperson", Name: "Sam Sales (salesperson, no agent profile)", Id: environment.Dataverse.AddUser("Sam Sales", new[] { "Verification Agent", "Salesperson" })),
            };
            var tokens = people.ToDictionary(person => person.Key, person => environment.Issuer.Grant(person.Id), StringComparer.Ordinal);
            app.MapGet("/sandbox/session", (string? @as) =>
            {
                var person = people.FirstOrDefault(candidate => candidate.Key == (@as ?? "administrator"));
                return person.Key is null
                    ? Results.BadRequest(new { error = $"No one called '{@as}': choose administrator, agent or salesperson." })
                    : Results.Json(new { token = tokens[person.Key], user = person.Name, userId = person.Id, key = person.Key, people = people.Select(candidate => new { key = candidate.Key, name = candidate.Name }) });
            });
            // The person's phone resolves the simulated tenant's host to the simulator, which serves the approval page.
            var tenantOrigin = "https://" + environment.Simulator.Options.TenantDns;
            app.MapGet("/sandbox/inbox", () => Results.Json(environment.Dataverse.SentEmails.Select(email => new
            {
                to = email.Address,
                subject = email.Subject,
                body = email.Body.Replace(tenantOrigin, environment.Simulator.BaseUrl, StringComparison.Ordinal),
            })));
            app.MapGet("/sandbox/activity", () =>
            {
                var named = environment.Activity.Namer();
                return Results.Json(environment.Activity.Log.Groups(environment.Activity.StartedBy()).Select(group => new
                {
                    correlation = group.Correlation,
                    title = named(group.Title),
                    startedAt = group.StartedAt,
                    lines = group.Lines.Select(line => new
                    {
                        at = line.Entry.At,
                        source = line.Entry.Source.ToString(),
                        text = named(line.Entry.Text),
                        elsewhere = line.Elsewhere,
                        correlation = line.Entry.Correlation,
                    }),
                }));
            });
            await app.StartAsync();
            var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
            boundPort = new Uri(url).Port;
            return new BrowserUi(app, url, key.Key, site);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
