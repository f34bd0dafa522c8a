using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using OneKosmos.Sandbox.Host.Identity;
using OneKosmos.Sandbox.Host.Tls;
using OneKosmos.Sandbox.Host.WebApi;

namespace OneKosmos.Relay.Tests
{
    /// <summary>
    /// The product in the sandbox behind HTTPS, as a relay sees Dataverse: the Web API and an OpenID Connect issuer with one
    /// registered relay application (the Verification Relay role), on a certificate only the tests trust.
    /// </summary>
    internal sealed class LocalDataverse : IAsyncDisposable
    {
        public const string ClientId = "okos-relay-app";
        public const string ClientSecret = "sandbox-client-secret-5b1e";

        private readonly WebApplication _app;

        private LocalDataverse(ProductSandbox product, WebApplication app, DataverseWebApi api, X509Certificate2 certificate, string url)
        {
            Product = product;
            _app = app;
            Api = api;
            Certificate = certificate;
            Url = url;
        }

        public ProductSandbox Product { get; }

        public DataverseWebApi Api { get; }

        public X509Certificate2 Certificate { get; }

        public string Url { get; }

        public Uri Authority => new(Url + TokenIssuer.AuthorityPath);

        public static async Task<LocalDataverse> StartAsync()
        {
            var product = new ProductSandbox();
            product.Connect();
            var relayUser = product.Dataverse.AddUser("Relay application user", new[] { "Verification Relay" });
            var certificate = LocalCertificate.Create();
            var builder = WebApplication.CreateBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
            var app = builder.Build();
            var issuer = new TokenIssuer();
            issuer.Register(ClientId, ClientSecret, relayUser);
            issuer.Map(app);
            var api = new DataverseWebApi(product.Dataverse, issuer.CallerOf);
            api.Map(app);
            await app.StartAsync();
            return new LocalDataverse(product, app, api, certificate, app.Urls.Single());
        }

        /// <summary>The certificate as a PEM file: what a child process is told to trust (SSL_CERT_FILE), instead of any public CA.</summary>
        public string TrustFile(string folder)
        {
            var path = Path.Combine(folder, "sandbox-ca.pem");
            File.WriteAllText(path, Certificate.ExportCertificatePem());
            return path;
        }

        public async ValueTask DisposeAsync() => await _app.StopAsync();
    }
}
