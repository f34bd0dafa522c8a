using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using OneKosmos.Core.Verification;

namespace OneKosmos.Plugins.Entra
{
    /// <summary>
    /// Client-credentials tokens for the Request Service: one form post, kept per worker until shortly before they expire,
    /// dropped when Entra refuses one.
    /// </summary>
    internal static class EntraTokens
    {
        /// <value>A token is renewed this long before it expires.</value>
        private static readonly TimeSpan TokenMargin = TimeSpan.FromMinutes(5);

        private static readonly Dictionary<string, KeyValuePair<string, DateTimeOffset>> Tokens = new();

        /// <summary>Forgets the connection's token: Entra refused it (401/403).</summary>
        public static void Forget(VerifiedIdConnection connection)
        {
            lock (Tokens)
            {
                Tokens.Remove(KeyOf(connection));
            }
        }

        public static string Get(EntraHttp http, VerifiedIdConnection connection, IClock clock, Func<string, string> safe)
        {
            var key = KeyOf(connection);
            var now = clock.UtcNow;
            lock (Tokens)
            {
                if (Tokens.TryGetValue(key, out var cached) && cached.Value - TokenMargin > now)
                {
                    return cached.Key;
                }
            }
            using var request = new HttpRequestMessage(HttpMethod.Post, $"https://login.microsoftonline.com/{Uri.EscapeDataString(connection.TenantId)}/oauth2/v2.0/token")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["client_id"] = connection.ClientId,
                    ["client_secret"] = connection.ClientSecret,
                    ["scope"] = RequestServiceClient.Scope,
                    ["grant_type"] = "client_credentials",
                }),
            };
            var text = http.Send(request, "signing in to Microsoft Entra ID", out var status);
            if (status == 429 || status >= 500)
            {
                throw EntraErrors.Failure(status, text, "signing in to Microsoft Entra ID", "", safe);
            }
            JObject answer;
            try
            {
                answer = JObject.Parse(text);
            }
            catch (JsonException exception)
            {
                throw new VerifiedIdException(VerifiedIdFailure.Malformed, $"Microsoft Entra ID answered the sign-in (HTTP {status}) with something that is not JSON.", inner: exception);
            }
            if (status >= 400)
            {
                var code = (string?)answer["error"];
                throw new VerifiedIdException(VerifiedIdFailure.Rejected,
                    $"Microsoft Entra ID refused the Verified ID app's sign-in (HTTP {status}, {code ?? "no code"}: {safe((string?)answer["error_description"] ?? "no description")}). Check the tenant id, client id and client secret on the 1Kosmos connection.", code);
            }
            var token = (string?)answer["access_token"];
            if (string.IsNullOrEmpty(token))
            {
                throw new VerifiedIdException(VerifiedIdFailure.Malformed, "Microsoft Entra ID signed the Verified ID app in without an access token.");
            }
            var lifetime = answer["expires_in"] is JValue { Type: JTokenType.Integer or JTokenType.String } seconds && int.TryParse(seconds.ToString(CultureInfo.InvariantCulture), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                ? TimeSpan.FromSeconds(value)
                : TimeSpan.FromMinutes(10);
            lock (Tokens)
            {
                Tokens[key] = new KeyValuePair<string, DateTimeOffset>(token!, now + lifetime);
            }
            return token!;
        }

        /// <remarks>Keyed with a hash of the secret too: a changed secret signs in afresh at once.</remarks>
        private static string KeyOf(VerifiedIdConnection connection)
        {
            using var sha = SHA256.Create();
            var secret = Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(connection.ClientSecret)));
            return $"{connection.TenantId}|{connection.ClientId}|{secret}";
        }
    }
}
