using System;
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

namespace OneKosmos.Sandbox.BlockId
{
    /// <summary>
    /// Serves a <see cref="BlockIdSimulator"/> over HTTP on 127.0.0.1 at a free port, with the capture page a person
    /// opens from a session's link: the local sandbox's 1Kosmos tenant.
    /// </summary>
    public sealed class BlockIdSimulatorHost : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private BlockIdSimulatorHost(WebApplication app, BlockIdSimulator simulator, Uri address)
        {
            _app = app;
            Simulator = simulator;
            Address = address;
        }

        public BlockIdSimulator Simulator { get; }

        /// <value>http://127.0.0.1:{port}/</value>
        public Uri Address { get; }

        public static async Task<BlockIdSimulatorHost> StartAsync(BlockIdSimulator simulator, CancellationToken cancellationToken = default)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            app.MapGet("/idproofing/session/{id}", (string id) => CapturePage.Render(simulator, id));
            app.MapPost("/idproofing/session/{id}/complete", (string id, CaptureOutcome outcome) =>
            {
                if (simulator.Sessions.All(session => session.Id != id))
                {
                    return Results.NotFound();
                }
                simulator.Complete(id, outcome);
                return Results.Content(CapturePage.Done(outcome), "text/html");
            });
            app.MapGet("/sessions/session/{id}", (string id) => CapturePage.RenderLiveId(simulator, id));
            app.MapPost("/sessions/session/{id}/approve", async (string id, HttpRequest request) =>
            {
                if (!simulator.LiveIdSessions.Contains(id))
                {
                    return Results.NotFound();
                }
                var did = (await request.ReadFormAsync().ConfigureAwait(false))["did"].ToString();
                simulator.ApproveLiveId(id, string.IsNullOrWhiteSpace(did) ? CapturePage.DefaultDid : did.Trim());
                return Results.Content(CapturePage.Approved(), "text/html");
            });
            app.MapFallback(context => Serve(simulator, context));
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var address = new Uri(app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            simulator.ServedAt(address);
            return new BlockIdSimulatorHost(app, simulator, address);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        private static async Task Serve(BlockIdSimulator simulator, HttpContext context)
        {
            using var reader = new System.IO.StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
            var headers = context.Request.Headers.ToDictionary(header => header.Key.ToLowerInvariant(), header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var answer = simulator.Handle(new SimulatorRequest(context.Request.Method, context.Request.Path.Value ?? "/", headers, body));
            if (answer.Delay > TimeSpan.Zero)
            {
                await Task.Delay(answer.Delay, context.RequestAborted).ConfigureAwait(false);
            }
            if (answer.Hang)
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ConfigureAwait(false);
            }
            context.Response.StatusCode = answer.Status;
            foreach (var header in answer.Headers)
            {
                context.Response.Headers[header.Key] = header.Value;
            }
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
