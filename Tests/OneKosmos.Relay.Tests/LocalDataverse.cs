using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text.Json;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using OneKosmos.Sandbox.Host.Identity;
using OneKosmos.Tests.Shared;
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

        private readonly DataverseEndpoint _endpoint;

        private LocalDataverse(ProductSandbox product, DataverseEndpoint endpoint)
        {
            Product = product;
            _endpoint = endpoint;
        }

        public ProductSandbox Product { get; }

        public DataverseWebApi Api => _endpoint.Api;

        public X509Certificate2 Certificate => _endpoint.Certificate;

        public string Url => _endpoint.Url;

        public Uri Authority => _endpoint.Authority;

        public static async Task<LocalDataverse> StartAsync(ProductSandbox? sandbox = null)
        {
            var product = sandbox ?? new ProductSandbox();
            product.Connect();
            var relayUser = product.Dataverse.AddUser("Relay application user", new[] { "Verification Relay" });
            var endpoint = await DataverseEndpoint.StartAsync(product.Dataverse);
            endpoint.Issuer.Register(ClientId, ClientSecret, relayUser);
            return new LocalDataverse(product, endpoint);
        }

        /// <summary>A client-credentials token for the relay application, from the sandbox's issuer.</summary>
        public Task<string> TokenAsync() => TokenAsync(ClientId, ClientSecret);

        /// <summary>Another application, with an application user of its own holding <paramref name="roles"/>: its token.</summary>
        public Task<string> ApplicationTokenAsync(string clientId, params string[] roles)
        {
            var secret = $"{clientId}-secret-{Guid.NewGuid():N}";
            _endpoint.Issuer.Register(clientId, secret, Product.Dataverse.AddUser(clientId, roles));
            return TokenAsync(clientId, secret);
        }

        private async Task<string> TokenAsync(string clientId, string clientSecret)
        {
            using var http = _endpoint.CreateClient();
            var response = await http.PostAsync(TokenIssuer.AuthorityPath + "/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = clientSecret,
            }));
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
        }

        /// <summary>The certificate as a PEM file: what a child process is told to trust (SSL_CERT_FILE), instead of any public CA.</summary>
        public string TrustFile(string folder)
        {
            var path = Path.Combine(folder, "sandbox-ca.pem");
            File.WriteAllText(path, Certificate.ExportCertificatePem());
            return path;
        }

        public async ValueTask DisposeAsync() => await _endpoint.DisposeAsync();
    }
}
