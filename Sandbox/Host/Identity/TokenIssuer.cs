using System;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OneKosmos.Sandbox.Host.Identity
{
    /// <summary>
    /// The local environment's stand-in for Microsoft Entra ID: an OpenID Connect issuer that grants client-credentials tokens
    /// to the applications registered with it, each standing for a Dataverse application user. Served over HTTPS (MSAL
    /// accepts no other), so the relay signs in exactly as it does in production, through MSAL.
    /// </summary>
    public sealed class TokenIssuer
    {
        private readonly ConcurrentDictionary<string, (string Secret, Guid User)> _applications = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, Guid> _tokens = new(StringComparer.Ordinal);

        public const string Tenant = "sandbox";

        /// <value>Where MSAL finds the issuer: <c>WithOidcAuthority</c> with this path under the host's HTTPS address.</value>
        public const string AuthorityPath = "/" + Tenant + "/v2.0";

        /// <summary>Registers an application (client id and secret) that acts as <paramref name="applicationUser"/>.</summary>
        public void Register(string clientId, string clientSecret, Guid applicationUser) => _applications[clientId] = (clientSecret, applicationUser);

        /// <summary>A token for a person the sandbox signs in itself (its browser UI's user): no password, loopback only.</summary>
        public string Grant(Guid user)
        {
            var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            _tokens[token] = user;
            return token;
        }

        /// <summary>The user a token stands for; null for a token this issuer did not grant.</summary>
        public Guid? CallerOf(string token) => _tokens.TryGetValue(token, out var user) ? user : null;

        public void Map(IEndpointRouteBuilder routes)
        {
            routes.MapGet(AuthorityPath + "/.well-known/openid-configuration", (HttpContext http) =>
            {
                var issuer = $"{http.Request.Scheme}://{http.Request.Host}{AuthorityPath}";
                return Results.Json(new
                {
                    issuer,
                    token_endpoint = issuer + "/oauth2/v2.0/token",
                    authorization_endpoint = issuer + "/oauth2/v2.0/authorize",
                    jwks_uri = issuer + "/discovery/v2.0/keys",
                    response_types_supported = new[] { "code" },
                    subject_types_supported = new[] { "public" },
                    id_token_signing_alg_values_supported = new[] { "RS256" },
                    token_endpoint_auth_methods_supported = new[] { "client_secret_post" },
                });
            });
            routes.MapPost(AuthorityPath + "/oauth2/v2.0/token", async (HttpContext http) =>
            {
                var form = await http.Request.ReadFormAsync();
                if (form["grant_type"] != "client_credentials")
                {
                    return Refuse("unsupported_grant_type", "Only client_credentials is granted here.");
                }
                if (!_applications.TryGetValue(form["client_id"].ToString(), out var application)
                    || !CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(application.Secret), System.Text.Encoding.UTF8.GetBytes(form["client_secret"].ToString())))
                {
                    return Refuse("invalid_client", "The client id or secret is not registered with the sandbox.");
                }
                return Results.Json(new { token_type = "Bearer", expires_in = 3599, ext_expires_in = 3599, access_token = Grant(application.User) });
            });
        }

        private static IResult Refuse(string error, string description) =>
            Results.Json(new { error, error_description = description }, statusCode: StatusCodes.Status401Unauthorized);
    }
}
