using System;
using System.Net.Http;

namespace OneKosmos.Mcp
{
    /// <summary>
    /// Where the MCP server's users sign in and which Dataverse it calls for them; bound from <c>Mcp</c> in configuration
    /// (appsettings.json or environment variables such as <c>Mcp__DataverseUrl</c>). The client secret comes from the
    /// environment only.
    /// </summary>
    public sealed class McpSettings
    {
        /// <value>The Dataverse environment, e.g. https://contoso.crm.dynamics.com.</value>
        public Uri DataverseUrl { get; set; } = null!;

        /// <value>The Entra ID tenant (id or domain) the users and the MCP server's app registration belong to.</value>
        public string TenantId { get; set; } = "";

        /// <value>The MCP server's app registration (application id): people's tokens are issued for it, and it exchanges them.</value>
        public string ClientId { get; set; } = "";

        /// <value>The app registration's client secret (from the environment: <c>Mcp__ClientSecret</c>).</value>
        public string? ClientSecret { get; set; }

        /// <value>The audience of people's tokens: the app's Application ID URI (default api://{ClientId}).</value>
        public string? Audience { get; set; }

        /// <value>An OpenID Connect issuer to use instead of Entra ID (the local sandbox's); HTTPS only.</value>
        public Uri? OidcAuthority { get; set; }

        /// <value>The address clients reach the server at (for its protected resource metadata), e.g. https://mcp.contoso.com/mcp.</value>
        public Uri? PublicUrl { get; set; }

        /// <value>The HTTP handler for calls to the issuer and Dataverse (the sandbox pins its certificate); null for the default.</value>
        public HttpMessageHandler? Backchannel { get; set; }

        public string EffectiveAudience => string.IsNullOrEmpty(Audience) ? $"api://{ClientId}" : Audience!;

        /// <value>The issuer people's tokens come from: the OIDC authority, or Entra ID's v2.0 endpoint for the tenant.</value>
        public Uri Issuer => OidcAuthority ?? new Uri($"https://login.microsoftonline.com/{TenantId}/v2.0");

        /// <exception cref="InvalidOperationException">A setting is missing; the message names it.</exception>
        public void Validate()
        {
            if (DataverseUrl is null || DataverseUrl.Scheme != Uri.UriSchemeHttps)
            {
                throw new InvalidOperationException("Mcp:DataverseUrl must be the environment's https:// address, e.g. https://contoso.crm.dynamics.com.");
            }
            if (string.IsNullOrWhiteSpace(ClientId) || (OidcAuthority is null && string.IsNullOrWhiteSpace(TenantId)))
            {
                throw new InvalidOperationException("Mcp:ClientId and Mcp:TenantId must name the MCP server's app registration in Entra ID.");
            }
            if (string.IsNullOrWhiteSpace(ClientSecret))
            {
                throw new InvalidOperationException("Mcp:ClientSecret is not set: put the app registration's client secret in the environment variable Mcp__ClientSecret.");
            }
        }
    }
}
