using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using OneKosmos.Sandbox.Host;
using OneKosmos.Sandbox.Host.Tls;
using OneKosmos.Tests.Shared;

namespace OneKosmos.Mcp.Tests
{
    /// <summary>
    /// The MCP server as a customer runs it, in front of the local sandbox: people sign in at the sandbox's issuer (a JWT for
    /// the server's app, as Entra ID issues one), and the server exchanges their token on behalf of them for the sandbox's
    /// Dataverse Web API.
    /// </summary>
    internal sealed class McpServerUnderTest : IAsyncDisposable
    {
        public const string ClientId = "okos-mcp";
        public const string Audience = "api://okos-mcp";

        private readonly WebApplication _app;

        private McpServerUnderTest(LocalEnvironment environment, WebApplication app)
        {
            Environment = environment;
            _app = app;
            Url = new Uri(app.Urls.Single() + McpHost.Path);
        }

        public LocalEnvironment Environment { get; }

        public Uri Url { get; }

        public static async Task<McpServerUnderTest> StartAsync()
        {
            var environment = await LocalEnvironment.StartAsync(RepositoryPaths.SolutionSource, withRelay: false);
            var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
            environment.Issuer.RegisterWebApi(ClientId, secret, Audience);
            var builder = WebApplication.CreateBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            builder.AddIdentityTools(new McpSettings
            {
                DataverseUrl = new Uri(environment.WebApiUrl),
                ClientId = ClientId,
                ClientSecret = secret,
                OidcAuthority = environment.Endpoint.Authority,
                Backchannel = new HttpClientHandler { ServerCertificateCustomValidationCallback = LocalCertificate.Pin(environment.Endpoint.Certificate) },
            });
            var app = builder.Build();
            app.MapIdentityTools();
            await app.StartAsync();
            return new McpServerUnderTest(environment, app);
        }

        /// <summary>An MCP client signed in as <paramref name="user"/>, as Copilot Studio connects for the person using it.</summary>
        public Task<McpClient> ConnectAsAsync(Guid user) =>
            McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
            {
                Endpoint = Url,
                TransportMode = HttpTransportMode.StreamableHttp,
                AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + Environment.Issuer.SignIn(user, Audience) },
            }));

        public async ValueTask DisposeAsync()
        {
            await _app.DisposeAsync();
            await Environment.DisposeAsync();
        }
    }
}
