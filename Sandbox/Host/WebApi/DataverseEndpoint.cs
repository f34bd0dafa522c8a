using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using OneKosmos.Sandbox.Dataverse;
using OneKosmos.Sandbox.Host.Identity;
using OneKosmos.Sandbox.Host.Tls;

namespace OneKosmos.Sandbox.Host.WebApi
{
    /// <summary>
    /// An in-memory Dataverse as clients reach a real one: the Web API and its token issuer on 127.0.0.1 over HTTPS, with a
    /// local certificate that only clients pinning it trust.
    /// </summary>
    public sealed class DataverseEndpoint : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private DataverseEndpoint(WebApplication app, DataverseWebApi api, TokenIssuer issuer, X509Certificate2 certificate)
        {
            _app = app;
            Api = api;
            Issuer = issuer;
            Certificate = certificate;
            Url = app.Urls.Single();
        }

        public string Url { get; }

        /// <value>The OpenID Connect authority MSAL signs in with.</value>
        public Uri Authority => new(Url + TokenIssuer.AuthorityPath);

        public DataverseWebApi Api { get; }

        public TokenIssuer Issuer { get; }

        public X509Certificate2 Certificate { get; }

        public static async Task<DataverseEndpoint> StartAsync(InMemoryDataverse dataverse)
        {
            var certificate = LocalCertificate.Create();
            var builder = WebApplication.CreateBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
            var app = builder.Build();
            var issuer = new TokenIssuer();
            issuer.Map(app);
            var api = new DataverseWebApi(dataverse, issuer.CallerOf);
            api.Map(app);
            await app.StartAsync();
            issuer.IssuerUrl = app.Urls.Single() + TokenIssuer.AuthorityPath;
            return new DataverseEndpoint(app, api, issuer, certificate);
        }

        /// <summary>An HTTP client that trusts exactly this endpoint's certificate.</summary>
        public HttpClient CreateClient() =>
            new(new HttpClientHandler { ServerCertificateCustomValidationCallback = LocalCertificate.Pin(Certificate) }) { BaseAddress = new Uri(Url) };

        public async ValueTask DisposeAsync() => await _app.StopAsync();
    }
}
