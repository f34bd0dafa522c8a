using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using OneKosmos.Core.BlockId;
using OneKosmos.Core.Verification;

namespace OneKosmos.Plugins.Entra
{
    /// <summary>
    /// Microsoft Entra Verified ID's Request Service (docs/entra-verified-id.md): a client-credentials token (one form
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

        /// <value>Used when a response gives no expiry (Microsoft's samples say requests live 5 minutes).</value>
        private static readonly TimeSpan FallbackLifetime = TimeSpan.FromMinutes(5);

        private readonly EntraHttp _http;
        private readonly VerifiedIdConnection _connection;
        private readonly IClock _clock;
        private readonly List<string> _secrets;

        public RequestServiceClient(HttpClient http, VerifiedIdConnection connection, IClock clock, TimeSpan? timeout = null)
        {
            _http = new EntraHttp(http, timeout ?? DefaultTimeout);
            _connection = connection;
            _clock = clock;
            _secrets = new List<string> { connection.ClientSecret, connection.CallbackApiKey };
        }

        /// <summary>
        /// Asks Entra to issue our credential with these claims into the person's wallet. A <c>pin</c> (or null) is what the
        /// person types in Authenticator; it is sent hashed with a fresh salt.
        /// </summary>
        public VerifiedIdRequest CreateIssuance(string state, IReadOnlyDictionary<string, string> claims, string? pin)
        {
            var body = VerifiedIdRequestBodies.Issuance(_connection, state, claims, pin);
            if (pin is not null)
            {
                _secrets.Add(pin);
            }
            return Create("createIssuanceRequest", "creating the issuance request", body);
        }

        /// <summary>Asks the person to present our credential with Face Check, limited to credentials issued for <paramref name="issuedForVerifications"/>.</summary>
        public VerifiedIdRequest CreatePresentation(string state, string purpose, IReadOnlyCollection<string> issuedForVerifications)
        {
            var body = VerifiedIdRequestBodies.Presentation(_connection, state, purpose, issuedForVerifications);
            return Create("createPresentationRequest", "creating the Face Check request", body);
        }

        private VerifiedIdRequest Create(string endpoint, string operation, JObject body)
        {
            var token = EntraTokens.Get(_http, _connection, _clock, Safe);
            _secrets.Add(token);
            using var request = new HttpRequestMessage(HttpMethod.Post, ServiceUrl + endpoint)
            {
                Content = new StringContent(body.ToString(Formatting.None), Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            var text = _http.Send(request, operation, out var status);
            if (status == 401 || status == 403)
            {
                EntraTokens.Forget(_connection);
            }
            if (status != 201 && status != 200)
            {
                throw EntraErrors.Failure(status, text, operation, status is 401 or 403
                    ? " Check that the app registration has the VerifiableCredential.Create.All application permission with admin consent, and that Verified ID is set up in the tenant."
                    : status == 400 ? " Check the authority, manifest URL, credential type and callback URL on the 1Kosmos connection." : "", Safe);
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

        private string Safe(string message) => EchoedError.Safe(message, _secrets);
    }
}
