using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OneKosmos.Sandbox.Host.Identity
{
    /// <summary>
    /// The local environment's stand-in for Microsoft Entra ID: an OpenID Connect issuer, served over HTTPS (MSAL accepts no
    /// other), that grants client-credentials tokens to the applications registered with it, each standing for a Dataverse
    /// application user, signs people's access tokens for a web API (RS256 JWTs, keys at jwks_uri), and exchanges such a
    /// token on behalf of its user for a Dataverse token (the on-behalf-of grant), as Entra ID does for a middle tier.
    /// </summary>
    public sealed class TokenIssuer
    {
        private const string OnBehalfOfGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";

        private readonly ConcurrentDictionary<string, (string Secret, Guid User)> _applications = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, (string Secret, string Audience)> _webApis = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, Guid> _tokens = new(StringComparer.Ordinal);
        private readonly RsaSecurityKey _signingKey = new(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };

        public const string Tenant = "sandbox";

        /// <value>Where MSAL finds the issuer: <c>WithOidcAuthority</c> with this path under the host's HTTPS address.</value>
        public const string AuthorityPath = "/" + Tenant + "/v2.0";

        /// <value>The issuer's address (the host's HTTPS address and <see cref="AuthorityPath"/>): the iss of the tokens it signs.</value>
        public string IssuerUrl { get; set; } = "";

        /// <summary>Registers an application (client id and secret) that acts as <paramref name="applicationUser"/>.</summary>
        public void Register(string clientId, string clientSecret, Guid applicationUser) => _applications[clientId] = (clientSecret, applicationUser);

        /// <summary>
        /// Registers a web API (a middle tier such as the MCP server): people get tokens for <paramref name="audience"/>, and the
        /// API, signing in with its client id and secret, exchanges them on behalf of their user for Dataverse tokens.
        /// </summary>
        public void RegisterWebApi(string clientId, string clientSecret, string audience) => _webApis[clientId] = (clientSecret, audience);

        /// <summary>A Dataverse token for a person the sandbox signs in itself (its browser UI's user): no password, loopback only.</summary>
        public string Grant(Guid user)
        {
            var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            _tokens[token] = user;
            return token;
        }

        /// <summary>A person's access token for the web API <paramref name="audience"/>, signed as Entra ID signs one (oid is the user).</summary>
        /// <param name="user">The person, as their user id (the oid claim).</param>
        /// <param name="audience">The web API the token is for.</param>
        /// <param name="scope">The delegated scopes granted (scp), space-separated; null for none, as in an ID token.</param>
        public string SignIn(Guid user, string audience, string? scope = "access_as_user")
        {
            var now = DateTime.UtcNow;
            return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = IssuerUrl,
                Audience = audience,
                IssuedAt = now,
                NotBefore = now.AddMinutes(-1),
                Expires = now.AddHours(1),
                Subject = new ClaimsIdentity(new[] { new Claim("oid", user.ToString()), new Claim("sub", user.ToString()), new Claim("tid", Tenant) }
                    .Concat(scope is null ? Array.Empty<Claim>() : new[] { new Claim("scp", scope) })),
                SigningCredentials = new SigningCredentials(_signingKey, SecurityAlgorithms.RsaSha256),
            });
        }

        /// <summary>The user a Dataverse token stands for; null for a token this issuer did not grant for Dataverse.</summary>
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
            routes.MapGet(AuthorityPath + "/discovery/v2.0/keys", () =>
            {
                var key = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_signingKey.Rsa.ExportParameters(false)) { KeyId = _signingKey.KeyId });
                return Results.Json(new { keys = new[] { new { kty = key.Kty, use = "sig", kid = key.Kid, alg = "RS256", n = key.N, e = key.E } } });
            });
            routes.MapPost(AuthorityPath + "/oauth2/v2.0/token", async (HttpContext http) =>
            {
                var form = await http.Request.ReadFormAsync();
                var clientId = form["client_id"].ToString();
                var secret = form["client_secret"].ToString();
                return form["grant_type"].ToString() switch
                {
                    "client_credentials" when _applications.TryGetValue(clientId, out var application) && SameSecret(application.Secret, secret) =>
                        Results.Json(new { token_type = "Bearer", expires_in = 3599, ext_expires_in = 3599, access_token = Grant(application.User) }),
                    "client_credentials" => Refuse("invalid_client", "The client id or secret is not registered with the sandbox."),
                    OnBehalfOfGrant when _webApis.TryGetValue(clientId, out var api) && SameSecret(api.Secret, secret) =>
                        await OnBehalfOfAsync(form["requested_token_use"].ToString(), form["assertion"].ToString(), api.Audience, clientId),
                    OnBehalfOfGrant => Refuse("invalid_client", "The client id or secret is not a web API registered with the sandbox."),
                    _ => Refuse("unsupported_grant_type", "Only client_credentials and the on-behalf-of grant are granted here."),
                };
            });
        }

        /// <summary>
        /// The on-behalf-of exchange, checked as Entra ID checks it: the assertion is a token this issuer signed, still valid, and
        /// issued for the calling API itself, so an API can act only for people who signed in to it.
        /// </summary>
        private async Task<IResult> OnBehalfOfAsync(string requestedTokenUse, string assertion, string audience, string clientId)
        {
            if (requestedTokenUse != "on_behalf_of")
            {
                return Refuse("invalid_request", "requested_token_use must be on_behalf_of.", StatusCodes.Status400BadRequest);
            }
            var validation = await new JsonWebTokenHandler().ValidateTokenAsync(assertion, new TokenValidationParameters
            {
                ValidIssuer = IssuerUrl,
                ValidAudience = audience,
                IssuerSigningKey = _signingKey,
                ClockSkew = TimeSpan.FromMinutes(1),
            });
            if (!validation.IsValid || validation.Claims.TryGetValue("oid", out var oid) is false || !Guid.TryParse(oid?.ToString(), out var user))
            {
                return Refuse("invalid_grant", "The assertion is not a valid access token for this API: sign in to it again.", StatusCodes.Status400BadRequest);
            }
            // As Entra ID answers MSAL (which asks for client_info and openid): the account's ids, and an ID token for the API.
            var clientInfo = Base64UrlEncoder.Encode($$"""{"uid":"{{user}}","utid":"{{Tenant}}"}""");
            return Results.Json(new
            {
                token_type = "Bearer",
                scope = "user_impersonation",
                expires_in = 3599,
                ext_expires_in = 3599,
                access_token = Grant(user),
                id_token = SignIn(user, clientId, scope: null),
                client_info = clientInfo,
            });
        }

        private static bool SameSecret(string expected, string given) =>
            CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(expected), System.Text.Encoding.UTF8.GetBytes(given));

        private static IResult Refuse(string error, string description, int status = StatusCodes.Status401Unauthorized) =>
            Results.Json(new { error, error_description = description }, statusCode: status);
    }
}
