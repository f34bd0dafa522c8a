using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace OneKosmos.Sandbox.EntraVerifiedId
{
    /// <summary>The simulated tenant's app registration, issuer and credential.</summary>
    public sealed class EntraSimulatorOptions
    {
        public string TenantId { get; init; } = Guid.NewGuid().ToString();

        public string ClientId { get; init; } = Guid.NewGuid().ToString();

        public string ClientSecret { get; init; } = "sandbox-entra-secret-" + Guid.NewGuid().ToString("N");

        /// <value>The issuer DID.</value>
        public string Authority { get; init; } = "did:web:verifiedid.sandbox.test";

        public string CredentialType { get; init; } = "VerifiedPerson";

        public string ManifestUrl => $"https://verifiedid.did.msidentity.com/v1.0/tenants/{TenantId}/verifiableCredentials/contracts/sandbox/manifest";

        /// <value>How long a request lives. Default 5 minutes (what Microsoft's samples say).</value>
        public TimeSpan RequestLifetime { get; init; } = TimeSpan.FromMinutes(5);

        /// <value>Sends the callbacks (to the relay's /callbacks/entra). Default a plain HttpClient.</value>
        public HttpClient CallbackClient { get; init; } = new();
    }

    /// <summary>One request the simulated Request Service created, with what the wallet needs to act on it.</summary>
    public sealed class SimulatedRequest
    {
        internal SimulatedRequest(string id, bool issuance, JsonObject body, DateTimeOffset expiresAt)
        {
            Id = id;
            IsIssuance = issuance;
            Body = body;
            ExpiresAt = expiresAt;
        }

        public string Id { get; }

        public bool IsIssuance { get; }

        /// <value>The create request as the product sent it (the photo and PIN hash included: this is the wallet's side).</value>
        public JsonObject Body { get; }

        public DateTimeOffset ExpiresAt { get; }

        /// <value>request_retrieved, issuance_successful, presentation_error…; empty until the wallet acts.</value>
        public string Status { get; internal set; } = "";

        public string State => (string?)Body["callback"]?["state"] ?? "";
    }

    /// <summary>An HTTP exchange with the simulator, free of any web stack.</summary>
    public sealed record EntraExchange(string Method, string Host, string Path, IReadOnlyDictionary<string, string> Headers, string Body);

    public sealed record EntraAnswer(int Status, string Body, string ContentType = "application/json");

    /// <summary>
    /// Microsoft Entra Verified ID as the product sees it (docs/entra-verified-id.md): the token endpoint for client
    /// credentials, createIssuanceRequest / createPresentationRequest with the documented error body, and a wallet that
    /// accepts, declines or presents with a chosen Face Check score, sending the callbacks with the request's api-key.
    /// </summary>
    public sealed class EntraSimulator
    {
        public const string WalletDid = "did:ion:sandbox-wallet-holder";

        private readonly ConcurrentDictionary<string, SimulatedRequest> _requests = new();
        private readonly ConcurrentDictionary<string, string> _tokens = new();
        private readonly ConcurrentQueue<int> _faults = new();
        private readonly List<JsonObject> _wallet = new();
        private readonly ConcurrentQueue<string> _enteredPins = new();
        private Uri? _walletAddress;

        public EntraSimulator(EntraSimulatorOptions? options = null)
        {
            Options = options ?? new EntraSimulatorOptions();
        }

        public EntraSimulatorOptions Options { get; }

        /// <summary>Raised with the request id and what the person did in the wallet (for an activity log).</summary>
        public event Action<string, string>? PersonActed;

        public IReadOnlyCollection<SimulatedRequest> Requests => _requests.Values.ToList();

        /// <value>Every access token handed out (a leak check looks for them).</value>
        public IReadOnlyCollection<string> Tokens => _tokens.Keys.ToList();

        /// <value>The PINs people typed in the wallet (a leak check looks for them).</value>
        public IReadOnlyCollection<string> EnteredPins => _enteredPins.ToList();

        /// <value>Whether accepting the request needs a PIN.</value>
        public bool NeedsPin(string requestId) => Request(requestId).Body["pin"] is JsonObject;

        /// <value>The credentials the person accepted, as issued (claims, photo included).</value>
        public IReadOnlyList<JsonObject> Wallet
        {
            get
            {
                lock (_wallet)
                {
                    return _wallet.ToList();
                }
            }
        }

        /// <summary>The next create call answers with this HTTP status (400, 401, 429, 500…) and Entra's error body.</summary>
        public void FailNext(int status) => _faults.Enqueue(status);

        /// <summary>Deep links point at the wallet page served there, so a person can open them in a browser.</summary>
        public void ServedAt(Uri address) => _walletAddress = address;

        public SimulatedRequest Request(string id) =>
            _requests.TryGetValue(id, out var request) ? request : throw new KeyNotFoundException($"No request {id}.");

        public EntraAnswer Handle(EntraExchange exchange)
        {
            if (exchange.Method != "POST")
            {
                return Error(405, "methodNotAllowed", null, "Only POST is supported.");
            }
            if (exchange.Host.StartsWith("login.microsoftonline.com", StringComparison.OrdinalIgnoreCase))
            {
                return Token(exchange);
            }
            var authorization = exchange.Headers.TryGetValue("authorization", out var value) ? value : "";
            if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal) || !_tokens.ContainsKey(authorization.Substring(7)))
            {
                return Error(401, "unauthorized", "tokenError", "The access token is missing or invalid.");
            }
            if (_faults.TryDequeue(out var fault))
            {
                return fault switch
                {
                    400 => Error(400, "badRequest", "badOrMissingField", "The request is invalid.", "manifest"),
                    401 => Error(401, "unauthorized", "tokenError", "The access token is missing or invalid."),
                    429 => Error(429, "tooManyRequests", "transientError", "Too many requests; retry later."),
                    _ => Error(fault, "internalServerError", "transientError", "Something went wrong."),
                };
            }
            var issuance = exchange.Path.EndsWith("/createIssuanceRequest", StringComparison.Ordinal);
            if (!issuance && !exchange.Path.EndsWith("/createPresentationRequest", StringComparison.Ordinal))
            {
                return Error(404, "notFound", "notFound", "No such endpoint.", exchange.Path);
            }
            JsonObject body;
            try
            {
                body = JsonNode.Parse(exchange.Body) as JsonObject ?? throw new JsonException();
            }
            catch (JsonException)
            {
                return Error(400, "badRequest", "badOrMissingField", "The request body is not JSON.");
            }
            if (Missing(body, issuance) is { } field)
            {
                return Error(400, "badRequest", "badOrMissingField", $"{field} is missing or invalid.", field);
            }
            var id = Guid.NewGuid().ToString();
            var expiresAt = DateTimeOffset.UtcNow + Options.RequestLifetime;
            _requests[id] = new SimulatedRequest(id, issuance, body, expiresAt);
            var url = _walletAddress is { } wallet
                ? new Uri(wallet, $"wallet/{id}").ToString()
                : $"openid-vc://?request_uri=https://verifiedid.did.msidentity.com/v1.0/tenants/{Options.TenantId}/verifiableCredentials/{(issuance ? "issuanceRequests" : "presentationRequests")}/{id}";
            return new EntraAnswer(201, new JsonObject { ["requestId"] = id, ["url"] = url, ["expiry"] = expiresAt.ToUnixTimeSeconds() }.ToJsonString());
        }

        /// <summary>
        /// The person opens the link and accepts the credential, typing <paramref name="pin"/> when the request asks for one:
        /// request_retrieved, then issuance_successful. A wrong PIN is refused in the wallet and nothing is sent.
        /// </summary>
        public async Task AcceptAsync(string requestId, string? pin = null, CancellationToken cancellation = default)
        {
            var request = Open(requestId, issuance: true);
            if (request.Body["pin"] is JsonObject expected)
            {
                if (pin is not null)
                {
                    _enteredPins.Enqueue(pin);
                }
                var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes((string?)expected["salt"] + pin)));
                if (pin is null || !FixedEquals(hash, (string?)expected["value"] ?? ""))
                {
                    throw new InvalidOperationException("The PIN is wrong: ask the agent for the PIN shown when the credential was offered.");
                }
            }
            lock (_wallet)
            {
                _wallet.Add(new JsonObject
                {
                    ["issuer"] = (string?)request.Body["authority"],
                    ["type"] = (string?)request.Body["type"],
                    ["claims"] = request.Body["claims"]?.DeepClone(),
                });
            }
            PersonActed?.Invoke(requestId, "added the credential to Microsoft Authenticator");
            await SendAsync(request, "request_retrieved", null, cancellation).ConfigureAwait(false);
            await SendAsync(request, "issuance_successful", null, cancellation).ConfigureAwait(false);
        }

        /// <summary>The person declines (issuance) or cancels (presentation).</summary>
        public async Task DeclineAsync(string requestId, CancellationToken cancellation = default)
        {
            var request = Open(requestId, issuance: null);
            PersonActed?.Invoke(requestId, "declined in Microsoft Authenticator");
            await SendAsync(request, "request_retrieved", null, cancellation).ConfigureAwait(false);
            await SendAsync(request, request.IsIssuance ? "issuance_error" : "presentation_error",
                new JsonObject { ["error"] = new JsonObject { ["code"] = request.IsIssuance ? "IssuanceFlowFailed" : "PresentationFlowFailed", ["message"] = "user_canceled" } }, cancellation).ConfigureAwait(false);
        }

        /// <summary>
        /// The person presents a matching credential from the wallet and Face Check scores their face <paramref name="score"/>:
        /// below the request's threshold the presentation fails as Entra's does, with no score.
        /// </summary>
        public async Task PresentAsync(string requestId, double score, CancellationToken cancellation = default)
        {
            var request = Open(requestId, issuance: false);
            var wanted = request.Body["requestedCredentials"]![0]!.AsObject();
            var faceCheck = wanted["configuration"]?["validation"]?["faceCheck"];
            var threshold = (int?)faceCheck?["matchConfidenceThreshold"] ?? 70;
            var photoClaim = (string?)faceCheck?["sourcePhotoClaimName"] ?? "photo";
            var constraint = wanted["constraints"]?[0];
            var credential = Wallet.LastOrDefault(item =>
                (string?)item["type"] == (string?)wanted["type"]
                && (wanted["acceptedIssuers"] is not JsonArray issuers || issuers.Any(issuer => (string?)issuer == (string?)item["issuer"]))
                && (constraint is null || (constraint["values"] as JsonArray)!.Any(value => (string?)value == (string?)item["claims"]?[(string?)constraint["claimName"] ?? ""])));
            PersonActed?.Invoke(requestId, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"presented the credential with Face Check (match {score}%)"));
            await SendAsync(request, "request_retrieved", null, cancellation).ConfigureAwait(false);
            if (credential is null || credential["claims"]?[photoClaim] is null)
            {
                await SendAsync(request, "presentation_error", new JsonObject { ["error"] = new JsonObject { ["code"] = "badOrMissingField", ["message"] = "No matching credential with a photo was presented." } }, cancellation).ConfigureAwait(false);
                return;
            }
            if (score < threshold)
            {
                await SendAsync(request, "presentation_error", new JsonObject { ["error"] = new JsonObject { ["code"] = "claimValidationError", ["message"] = "Match confidence score failing to meet the threshold." } }, cancellation).ConfigureAwait(false);
                return;
            }
            await SendAsync(request, "presentation_verified", new JsonObject
            {
                ["subject"] = WalletDid,
                ["verifiedCredentialsData"] = new JsonArray(new JsonObject
                {
                    ["issuer"] = (string?)credential["issuer"],
                    ["type"] = new JsonArray("VerifiableCredential", (string?)credential["type"]),
                    ["claims"] = credential["claims"]!.DeepClone(),
                    ["credentialState"] = new JsonObject { ["revocationStatus"] = "VALID" },
                    ["faceCheck"] = new JsonObject { ["matchConfidenceScore"] = score, ["sourcePhotoQuality"] = "HIGH" },
                }),
            }, cancellation).ConfigureAwait(false);
        }

        private SimulatedRequest Open(string requestId, bool? issuance)
        {
            var request = Request(requestId);
            if (issuance is { } wanted && request.IsIssuance != wanted)
            {
                throw new InvalidOperationException($"Request {requestId} is not an {(wanted ? "issuance" : "presentation")} request.");
            }
            if (request.Status is "issuance_successful" or "issuance_error" or "presentation_verified" or "presentation_error")
            {
                throw new InvalidOperationException($"Request {requestId} is finished ({request.Status}).");
            }
            if (DateTimeOffset.UtcNow >= request.ExpiresAt)
            {
                throw new InvalidOperationException($"Request {requestId} expired.");
            }
            return request;
        }

        /// <summary>Posts one callback as Entra does: JSON to callback.url with the request's own callback headers.</summary>
        private async Task SendAsync(SimulatedRequest request, string status, JsonObject? more, CancellationToken cancellation)
        {
            request.Status = status;
            var callback = request.Body["callback"]!;
            var body = new JsonObject { ["requestId"] = request.Id, ["requestStatus"] = status, ["state"] = (string?)callback["state"] };
            foreach (var field in more ?? new JsonObject())
            {
                body[field.Key] = field.Value?.DeepClone();
            }
            using var message = new HttpRequestMessage(HttpMethod.Post, (string?)callback["url"])
            {
                Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            foreach (var header in callback["headers"] as JsonObject ?? new JsonObject())
            {
                message.Headers.TryAddWithoutValidation(header.Key, (string?)header.Value);
            }
            using var response = await Options.CallbackClient.SendAsync(message, cancellation).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
        }

        private EntraAnswer Token(EntraExchange exchange)
        {
            var form = exchange.Body.Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => pair.Split('=', 2))
                .ToDictionary(pair => Uri.UnescapeDataString(pair[0].Replace('+', ' ')), pair => pair.Length > 1 ? Uri.UnescapeDataString(pair[1].Replace('+', ' ')) : "");
            string Field(string name) => form.TryGetValue(name, out var value) ? value : "";
            if (!exchange.Path.StartsWith($"/{Options.TenantId}/oauth2/v2.0/token", StringComparison.OrdinalIgnoreCase))
            {
                return new EntraAnswer(400, new JsonObject { ["error"] = "invalid_request", ["error_description"] = "AADSTS90002: Tenant not found." }.ToJsonString());
            }
            if (Field("grant_type") != "client_credentials" || Field("scope") != "3db474b9-6a0c-4840-96ac-1fceb342124f/.default")
            {
                return new EntraAnswer(400, new JsonObject { ["error"] = "invalid_scope", ["error_description"] = "AADSTS70011: The provided scope is not valid." }.ToJsonString());
            }
            if (Field("client_id") != Options.ClientId || !FixedEquals(Field("client_secret"), Options.ClientSecret))
            {
                return new EntraAnswer(401, new JsonObject { ["error"] = "invalid_client", ["error_description"] = "AADSTS7000215: Invalid client secret provided." }.ToJsonString());
            }
            var token = "eyJ0eXAiOiJKV1QifQ." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + ".sig";
            _tokens[token] = Options.TenantId;
            return new EntraAnswer(200, new JsonObject { ["token_type"] = "Bearer", ["expires_in"] = 3599, ["access_token"] = token }.ToJsonString());
        }

        private static string? Missing(JsonObject body, bool issuance)
        {
            if ((string?)body["authority"] is not { Length: > 0 })
            {
                return "authority";
            }
            if (body["includeQRCode"] is not JsonValue qr || qr.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            {
                return "includeQRCode";
            }
            var callback = body["callback"] as JsonObject;
            if ((string?)callback?["url"] is not { Length: > 0 } || (string?)callback?["state"] is not { Length: > 0 })
            {
                return "callback";
            }
            if (callback["headers"] is JsonObject headers && headers.Any(header => header.Key is not ("api-key" or "Authorization")))
            {
                return "callback.headers";
            }
            if (issuance)
            {
                return (string?)body["manifest"] is not { Length: > 0 } ? "manifest" : body["claims"] is not JsonObject ? "claims" : null;
            }
            if (body["includeReceipt"] is JsonValue receipt && receipt.GetValueKind() == JsonValueKind.True)
            {
                return "includeReceipt";
            }
            return body["requestedCredentials"] is JsonArray { Count: > 0 } ? null : "requestedCredentials";
        }

        private static EntraAnswer Error(int status, string code, string? innerCode, string message, string? target = null)
        {
            var error = new JsonObject { ["code"] = code, ["message"] = "The request is invalid." };
            if (innerCode is not null)
            {
                error["innererror"] = new JsonObject { ["code"] = innerCode, ["message"] = message, ["target"] = target };
            }
            return new EntraAnswer(status, new JsonObject
            {
                ["requestId"] = Guid.NewGuid().ToString(),
                ["date"] = DateTimeOffset.UtcNow.ToString("R"),
                ["mscv"] = "sandbox",
                ["error"] = error,
            }.ToJsonString());
        }

        private static bool FixedEquals(string a, string b) =>
            CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
    }
}
