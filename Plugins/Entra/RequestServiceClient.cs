using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using OneKosmos.Core.BlockId;
using OneKosmos.Core.Verification;

namespace OneKosmos.Plugins.Entra
{
    /// <summary>A request Entra created: its id, the deep link the person opens (a bearer link) and when it expires.</summary>
    public sealed class VerifiedIdRequest
    {
        public VerifiedIdRequest(string requestId, string deepLink, DateTimeOffset expiresAt)
        {
            RequestId = requestId;
            DeepLink = deepLink;
            ExpiresAt = expiresAt;
        }

        public string RequestId { get; }

        public string DeepLink { get; }

        /// <value>From the response's <c>expiry</c>: the source of truth for the request's lifetime.</value>
        public DateTimeOffset ExpiresAt { get; }

        public override string ToString() => $"Verified ID request {RequestId}";
    }

    /// <summary>
    /// Microsoft Entra Verified ID's Request Service (facts/entra-verified-id.md): a client-credentials token (one form
    /// post, kept until shortly before it expires), then createIssuanceRequest / createPresentationRequest. Synchronous
    /// and bounded by a timeout, like every call a plug-in makes.
    /// </summary>
    public sealed class RequestServiceClient
    {
        /// <value>The Request Service's base address.</value>
        public const string ServiceUrl = "https://verifiedid.did.msidentity.com/v1.0/verifiableCredentials/";

        /// <value>The Request Service's application id: the only scope its tokens may carry.</value>
        public const string Scope = "3db474b9-6a0c-4840-96ac-1fceb342124f/.default";

        /// <value>How long one call may take. Default 20 s, well inside a plug-in's two minutes.</value>
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

        /// <value>A token is renewed this long before it expires.</value>
        private static readonly TimeSpan TokenMargin = TimeSpan.FromMinutes(5);

        /// <value>Used when a response gives no expiry (Microsoft's samples say requests live 5 minutes).</value>
        private static readonly TimeSpan FallbackLifetime = TimeSpan.FromMinutes(5);

        private static readonly Dictionary<string, KeyValuePair<string, DateTimeOffset>> Tokens = new();

        private readonly HttpClient _http;
        private readonly VerifiedIdConnection _connection;
        private readonly IClock _clock;
        private readonly TimeSpan _timeout;
        private readonly List<string> _secrets;

        public RequestServiceClient(HttpClient http, VerifiedIdConnection connection, IClock clock, TimeSpan? timeout = null)
        {
            _http = http;
            _connection = connection;
            _clock = clock;
            _timeout = timeout ?? DefaultTimeout;
            _secrets = new List<string> { connection.ClientSecret, connection.CallbackApiKey };
        }

        /// <summary>
        /// Asks Entra to issue our credential with these claims into the person's wallet. A <c>pin</c> (or null) is what the
        /// person types in Authenticator; it is sent hashed with a fresh salt.
        /// </summary>
        public VerifiedIdRequest CreateIssuance(string state, IReadOnlyDictionary<string, string> claims, string? pin)
        {
            var body = new JObject
            {
                ["authority"] = _connection.Authority,
                // The default differs between versions of Microsoft's docs: said explicitly, and the panel draws the QR code itself.
                ["includeQRCode"] = false,
                ["callback"] = Callback(state),
                ["registration"] = new JObject { ["clientName"] = _connection.ClientName },
                ["type"] = _connection.CredentialType,
                // "manifest", as the API reference and Microsoft's sample spell it (one get-started page says manifestUrl).
                ["manifest"] = _connection.ManifestUrl,
                ["claims"] = JObject.FromObject(claims),
            };
            if (pin is not null)
            {
                _secrets.Add(pin);
                body["pin"] = HashedPin(pin);
            }
            return Create("createIssuanceRequest", "creating the issuance request", body);
        }

        /// <summary>Asks the person to present our credential with Face Check, limited to credentials issued for <paramref name="issuedForVerifications"/>.</summary>
        public VerifiedIdRequest CreatePresentation(string state, string purpose, IReadOnlyCollection<string> issuedForVerifications)
        {
            var body = new JObject
            {
                ["authority"] = _connection.Authority,
                ["includeQRCode"] = false,
                // A receipt cannot be combined with Face Check.
                ["includeReceipt"] = false,
                ["registration"] = new JObject { ["clientName"] = _connection.ClientName, ["purpose"] = purpose },
                ["callback"] = Callback(state),
                ["requestedCredentials"] = new JArray(new JObject
                {
                    ["type"] = _connection.CredentialType,
                    ["purpose"] = purpose,
                    ["acceptedIssuers"] = new JArray(_connection.Authority),
                    ["configuration"] = new JObject
                    {
                        ["validation"] = new JObject
                        {
                            ["allowRevoked"] = false,
                            ["faceCheck"] = new JObject
                            {
                                ["sourcePhotoClaimName"] = VerifiedIdClaims.Photo,
                                ["matchConfidenceThreshold"] = _connection.FaceCheckThreshold,
                            },
                        },
                    },
                    ["constraints"] = new JArray(new JObject
                    {
                        ["claimName"] = Core.Callbacks.EntraCallback.VerificationIdClaim,
                        ["values"] = new JArray(new List<string>(issuedForVerifications).ToArray()),
                    }),
                }),
            };
            return Create("createPresentationRequest", "creating the Face Check request", body);
        }

        private JObject Callback(string state) => new()
        {
            ["url"] = _connection.CallbackUrl,
            ["state"] = state,
            // Entra allows only api-key or Authorization here; the relay checks it on every callback.
            ["headers"] = new JObject { ["api-key"] = _connection.CallbackApiKey },
        };

        private static JObject HashedPin(string pin)
        {
            var salt = Guid.NewGuid().ToString("N");
            using var sha = SHA256.Create();
            return new JObject
            {
                ["value"] = Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(salt + pin))),
                ["salt"] = salt,
                ["alg"] = "sha256",
                ["iterations"] = 1,
                ["length"] = pin.Length,
                ["type"] = "numeric",
            };
        }

        private VerifiedIdRequest Create(string endpoint, string operation, JObject body)
        {
            var token = Token();
            _secrets.Add(token);
            using var request = new HttpRequestMessage(HttpMethod.Post, ServiceUrl + endpoint)
            {
                Content = new StringContent(body.ToString(Formatting.None), Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            var text = Send(request, operation, out var status);
            if (status == 401 || status == 403)
            {
                lock (Tokens)
                {
                    Tokens.Remove(TokenKey());
                }
            }
            if (status != 201 && status != 200)
            {
                throw Failure(status, text, operation, status is 401 or 403
                    ? " Check that the app registration has the VerifiableCredential.Create.All application permission with admin consent, and that Verified ID is set up in the tenant."
                    : status == 400 ? " Check the authority, manifest URL, credential type and callback URL on the 1Kosmos connection." : "");
            }
            JObject answer;
            try
            {
                answer = JObject.Parse(text);
            }
            catch (JsonException exception)
            {
                throw new VerifiedIdException(VerifiedIdFailure.Malformed, $"Microsoft Entra Verified ID answered {operation} with something that is not JSON.", inner: exception);
            }
            var requestId = (string?)answer["requestId"];
            var url = (string?)answer["url"];
            if (string.IsNullOrWhiteSpace(requestId) || string.IsNullOrWhiteSpace(url))
            {
                throw new VerifiedIdException(VerifiedIdFailure.Malformed, $"Microsoft Entra Verified ID answered {operation} without a request id or link.");
            }
            return new VerifiedIdRequest(requestId!, url!, ExpiryOf(answer["expiry"]));
        }

        /// <remarks>The documented examples show Unix seconds; a value in milliseconds is read as such rather than as a date far in the future.</remarks>
        private DateTimeOffset ExpiryOf(JToken? expiry)
        {
            if (expiry is JValue { Type: JTokenType.Integer or JTokenType.Float } value)
            {
                var number = Convert.ToInt64(value.Value, CultureInfo.InvariantCulture);
                var at = number > 100_000_000_000 ? DateTimeOffset.FromUnixTimeMilliseconds(number) : DateTimeOffset.FromUnixTimeSeconds(number);
                if (at > _clock.UtcNow)
                {
                    return at;
                }
            }
            return _clock.UtcNow + FallbackLifetime;
        }

        private string Token()
        {
            var key = TokenKey();
            var now = _clock.UtcNow;
            lock (Tokens)
            {
                if (Tokens.TryGetValue(key, out var cached) && cached.Value - TokenMargin > now)
                {
                    return cached.Key;
                }
            }
            using var request = new HttpRequestMessage(HttpMethod.Post, $"https://login.microsoftonline.com/{Uri.EscapeDataString(_connection.TenantId)}/oauth2/v2.0/token")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["client_id"] = _connection.ClientId,
                    ["client_secret"] = _connection.ClientSecret,
                    ["scope"] = Scope,
                    ["grant_type"] = "client_credentials",
                }),
            };
            var text = Send(request, "signing in to Microsoft Entra ID", out var status);
            if (status == 429 || status >= 500)
            {
                throw Failure(status, text, "signing in to Microsoft Entra ID", "");
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
                    $"Microsoft Entra ID refused the Verified ID app's sign-in (HTTP {status}, {code ?? "no code"}: {Safe((string?)answer["error_description"] ?? "no description")}). Check the tenant id, client id and client secret on the 1Kosmos connection.", code);
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
        private string TokenKey()
        {
            using var sha = SHA256.Create();
            var secret = Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(_connection.ClientSecret)));
            return $"{_connection.TenantId}|{_connection.ClientId}|{secret}";
        }

        private string Send(HttpRequestMessage request, string operation, out int status)
        {
            request.Headers.ConnectionClose = true;
            using var deadline = new CancellationTokenSource(_timeout);
            try
            {
                using var response = _http.SendAsync(request, deadline.Token).GetAwaiter().GetResult();
                status = (int)response.StatusCode;
                return response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            }
            catch (OperationCanceledException exception)
            {
                throw new VerifiedIdException(VerifiedIdFailure.Transient, $"Microsoft Entra did not answer {operation} within {_timeout.TotalSeconds:0} s; try again.", inner: exception);
            }
            catch (HttpRequestException exception)
            {
                throw new VerifiedIdException(VerifiedIdFailure.Transient, $"Microsoft Entra could not be reached for {operation}; try again.", inner: exception);
            }
        }

        /// <summary>
        /// Entra's error body: <c>{"error": {"code", "message", "innererror": {"code", "message", "target"}}}</c>, or the
        /// older <c>{"error": {"code": "client_request.…", "message"}}</c>, or anything else.
        /// </summary>
        private VerifiedIdException Failure(int status, string text, string operation, string advice)
        {
            string? code = null;
            string detail = "no message";
            try
            {
                if (JObject.Parse(text)["error"] is JObject error)
                {
                    var inner = error["innererror"] as JObject;
                    code = (string?)inner?["code"] ?? (string?)error["code"];
                    var target = (string?)inner?["target"];
                    detail = ((string?)inner?["message"] ?? (string?)error["message"] ?? "no message") + (target is null ? "" : $" (field {target})");
                }
            }
            catch (JsonException)
            {
                detail = string.IsNullOrWhiteSpace(text) ? "no message" : text;
            }
            if (status == 429)
            {
                return new VerifiedIdException(VerifiedIdFailure.Throttled, $"Microsoft Entra Verified ID is throttling {operation}; try again in a minute.", code);
            }
            if (status >= 500)
            {
                return new VerifiedIdException(VerifiedIdFailure.Transient, $"Microsoft Entra Verified ID failed {operation} with HTTP {status}; try again.", code);
            }
            return new VerifiedIdException(VerifiedIdFailure.Rejected, $"Microsoft Entra Verified ID refused {operation} (HTTP {status}{(code is null ? "" : ", " + code)}: {Safe(detail)}).{advice}", code);
        }

        private string Safe(string message) => EchoedError.Safe(message, _secrets);
    }

    /// <summary>The claims our credential's rules map (README: the rules JSON an administrator pastes in the Entra admin center).</summary>
    public static class VerifiedIdClaims
    {
        public const string GivenName = "given_name";
        public const string FamilyName = "family_name";
        public const string AssuranceLevel = "assurance_level";
        public const string VerifiedAt = "verified_at";
        public const string Photo = "photo";
    }
}
