using System;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Identity.Client;

namespace OneKosmos.Relay.Dispatch
{
    /// <summary>Client-credentials tokens for the Dataverse application user, from Microsoft Entra ID; MSAL caches and refreshes them.</summary>
    public sealed class MsalTokenSource : ITokenSource
    {
        private readonly IConfidentialClientApplication _application;
        private readonly string[] _scopes;

        /// <remarks>Give a client secret or a certificate (PFX path and password); a certificate is preferred in production.</remarks>
        /// <param name="options">The application's registration and where to sign in.</param>
        /// <param name="http">The HTTP client MSAL uses; null for its own.</param>
        public MsalTokenSource(DataverseOptions options, IMsalHttpClientFactory? http = null)
        {
            var builder = ConfidentialClientApplicationBuilder.Create(options.ClientId);
            builder = options.OidcAuthority is { } oidc ? builder.WithOidcAuthority(oidc.ToString()) : builder.WithAuthority(new Uri(options.Authority, options.TenantId));
            if (http is not null)
            {
                builder = builder.WithHttpClientFactory(http);
            }
            builder = string.IsNullOrEmpty(options.CertificatePath)
                ? builder.WithClientSecret(options.ClientSecret)
                : builder.WithCertificate(X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath, options.CertificatePassword));
            _application = builder.Build();
            _scopes = new[] { new Uri(options.Url, "/.default").ToString() };
        }

        public async Task<string> GetTokenAsync(CancellationToken cancellation) =>
            (await _application.AcquireTokenForClient(_scopes).ExecuteAsync(cancellation)).AccessToken;
    }

    /// <summary>Where Dataverse is and how the relay signs in; bound from <c>Relay:Dataverse</c>.</summary>
    public sealed class DataverseOptions
    {
        /// <value>The environment URL, e.g. https://contoso.crm.dynamics.com.</value>
        public Uri Url { get; set; } = null!;

        /// <value>The Entra ID authority host. Default https://login.microsoftonline.com/.</value>
        public Uri Authority { get; set; } = new("https://login.microsoftonline.com/");

        /// <value>
        /// An OpenID Connect issuer to sign in with instead of Entra ID (for example the local sandbox's); MSAL reads its
        /// discovery document and, as for Entra ID, accepts only HTTPS.
        /// </value>
        public Uri? OidcAuthority { get; set; }

        public string TenantId { get; set; } = "";

        public string ClientId { get; set; } = "";

        public string? ClientSecret { get; set; }

        public string? CertificatePath { get; set; }

        public string? CertificatePassword { get; set; }
    }
}
