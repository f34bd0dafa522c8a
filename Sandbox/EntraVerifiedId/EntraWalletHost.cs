using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OneKosmos.Sandbox.EntraVerifiedId
{
    /// <summary>
    /// The simulated Microsoft Authenticator: a page on 127.0.0.1 that a request's deep link opens, where a person accepts
    /// or declines a credential, or presents it with a chosen Face Check score.
    /// </summary>
    public sealed class EntraWalletHost : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private EntraWalletHost(WebApplication app, Uri address)
        {
            _app = app;
            Address = address;
        }

        /// <value>http://127.0.0.1:{port}/</value>
        public Uri Address { get; }

        public static async Task<EntraWalletHost> StartAsync(EntraSimulator simulator, CancellationToken cancellationToken = default)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            app.MapGet("/wallet/{id}", (string id) => Page(simulator, id, null));
            app.MapPost("/wallet/{id}/{action}", async (string id, string action, HttpRequest request) =>
            {
                if (simulator.Requests.All(item => item.Id != id))
                {
                    return Results.NotFound();
                }
                try
                {
                    switch (action)
                    {
                        case "accept":
                            var pin = request.HasFormContentType ? (await request.ReadFormAsync().ConfigureAwait(false))["pin"].ToString() : "";
                            await simulator.AcceptAsync(id, pin.Length == 0 ? null : pin.Trim(), request.HttpContext.RequestAborted).ConfigureAwait(false);
                            break;
                        case "decline":
                            await simulator.DeclineAsync(id, request.HttpContext.RequestAborted).ConfigureAwait(false);
                            break;
                        case "present":
                            var form = await request.ReadFormAsync().ConfigureAwait(false);
                            var score = double.TryParse(form["score"], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : 87;
                            await simulator.PresentAsync(id, score, request.HttpContext.RequestAborted).ConfigureAwait(false);
                            break;
                        default:
                            return Results.NotFound();
                    }
                }
                catch (InvalidOperationException exception)
                {
                    return Page(simulator, id, exception.Message);
                }
                return Page(simulator, id, "Done: the callback went to the relay.");
            });
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var address = new Uri(app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            simulator.ServedAt(address);
            return new EntraWalletHost(app, address);
        }

        private static IResult Page(EntraSimulator simulator, string id, string? message)
        {
            var request = simulator.Requests.FirstOrDefault(item => item.Id == id);
            if (request is null)
            {
                return Results.NotFound();
            }
            var issuer = WebUtility.HtmlEncode((string?)request.Body["registration"]?["clientName"] ?? "");
            var actions = request.IsIssuance
                ? $"<p>{issuer} offers you a verified identity card.</p>"
                    + $"<form method=\"post\" action=\"/wallet/{id}/accept\">"
                    + (simulator.NeedsPin(id) ? "<label>PIN <input id=\"pin\" name=\"pin\" inputmode=\"numeric\" autocomplete=\"off\" size=\"8\"></label> " : "")
                    + "<button id=\"accept\">Add to wallet</button></form>"
                : $"<p>{issuer} asks you to prove it is you with Face Check: {WebUtility.HtmlEncode((string?)request.Body["registration"]?["purpose"] ?? "")}</p>"
                    + $"<form method=\"post\" action=\"/wallet/{id}/present\"><label>Face match score <input id=\"score\" name=\"score\" value=\"87\" size=\"4\"></label> <button id=\"present\">Share with Face Check</button></form>";
            var status = WebUtility.HtmlEncode(request.Status.Length == 0 ? "waiting" : request.Status);
            var note = message is null ? "" : $"<p id=\"message\">{WebUtility.HtmlEncode(message)}</p>";
            var html = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Microsoft Authenticator (simulated)</title>"
                + "<style>body{font-family:system-ui,sans-serif;max-width:30rem;margin:2rem auto}button{margin:.5rem 0}</style></head>"
                + $"<body><h1>Microsoft Authenticator <small>(sandbox)</small></h1><p id=\"status\">Request status: {status}</p>{note}{actions}"
                + $"<form method=\"post\" action=\"/wallet/{id}/decline\"><button id=\"decline\">Decline</button></form></body></html>";
            return Results.Content(html, "text/html");
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
