using System;
using System.Net.Http;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using OneKosmos.Core.Verification;
using Org.BouncyCastle.Security;

namespace OneKosmos.Core.BlockId
{
    /// <summary>
    /// The 1Kosmos BlockID calls the product makes (blockid-protocol.md A–C): tenant bootstrap (cached), create a docuverify
    /// session, and fetch its v3 result. Every failure is a <see cref="BlockIdException"/> of one of four kinds.
    /// </summary>
    public sealed partial class BlockIdClient
    {
        /// <value>Per-call timeout: well inside the plug-in's 2 minutes, leaving room for Dataverse calls. Default 20 s.</value>
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

        private readonly BlockIdHttp _http;
        private readonly BlockIdConnection _connection;
        private readonly BlockIdKeyPair _keys;
        private readonly IClock _clock;
        private readonly SecureRandom _random;
        private readonly TenantDirectory _directory;

        public BlockIdClient(HttpClient http, BlockIdConnection connection, BlockIdKeyPair keys, IClock clock, SecureRandom random, TenantDirectory directory, TimeSpan? timeout = null)
        {
            _http = new BlockIdHttp(http, connection, timeout ?? DefaultTimeout, clock);
            _connection = connection;
            _keys = keys;
            _clock = clock;
            _random = random;
            _directory = directory;
        }

        public DocumentSession CreateDocumentSession(DocumentSessionRequest request)
        {
            var docuverify = Docuverify();
            var credentials = new RequestCredentials(_keys, docuverify.PublicKey, _connection.LicenseKey, _clock, _random);
            var body = new
            {
                dvcID = _connection.DvcId,
                sessionRequest = new
                {
                    tenantDNS = _connection.TenantDns,
                    communityName = CommunityName(),
                    documentType = request.DocumentType,
                    userUID = request.PersonId,
                    did = request.PersonId,
                    user = new { firstname = request.FirstName, lastname = request.LastName, uid = request.PersonId },
                },
            };
            var response = _http.Send(HttpMethod.Post, docuverify.Url + "/document_share_session/create", "creating a verification session",
                credentials.NewHeaders(), new { data = credentials.Envelope.Encrypt(JsonConvert.SerializeObject(body)) });
            var session = response["data"] is JValue { Type: JTokenType.String } data ? Json(credentials.Envelope.Decrypt((string)data!), "a new session") : response;
            var sessionId = (string?)session["sessionId"];
            var url = (string?)session["url"];
            if (string.IsNullOrEmpty(sessionId) || string.IsNullOrEmpty(url))
            {
                throw new BlockIdException(BlockIdFailure.Malformed, "1Kosmos created a session but did not return its id and capture link.");
            }
            return new DocumentSession(sessionId!, url!);
        }

        private string FetchDecryptedResult(string sessionId)
        {
            var docuverify = Docuverify();
            var credentials = new RequestCredentials(_keys, docuverify.PublicKey, _connection.LicenseKey, _clock, _random);
            var body = new { dvcID = _connection.DvcId, sessionId };
            var response = _http.Send(HttpMethod.Post, docuverify.Url + "/v3/document_share_session/result", "fetching a verification result",
                credentials.NewHeaders(), new { data = credentials.Envelope.Encrypt(JsonConvert.SerializeObject(body)) });
            if (response["data"] is not JValue { Type: JTokenType.String } data)
            {
                throw new BlockIdException(BlockIdFailure.Malformed, "1Kosmos returned a verification result without its encrypted data.");
            }
            var responseKey = (string?)response["publicKey"];
            var envelope = string.IsNullOrEmpty(responseKey) ? credentials.Envelope : new AesGcmEnvelope(_keys.SharedKeyWith(responseKey!), _random);
            return envelope.Decrypt((string)data!);
        }

        public ProofingObservation FetchResult(string sessionId) => ProofingResultParser.Parse(FetchDecryptedResult(sessionId));

        /// <summary>
        /// The result and, for a successful proofing, its face crop, kept in memory for a Verified ID credential issued in
        /// the same execution (null when the result holds none).
        /// </summary>
        public ProofingObservation FetchResult(string sessionId, out FacePhoto? face)
        {
            var result = FetchDecryptedResult(sessionId);
            var observation = ProofingResultParser.Parse(result);
            face = observation.State == SessionState.Succeeded ? FaceOf(result) : null;
            return observation;
        }

        /// <summary>
        /// The face crop of a successful proofing, for a Verified ID credential's photo claim; null when the result holds
        /// none (1Kosmos may have removed it, or the session did not succeed).
        /// </summary>
        public FacePhoto? FetchFacePhoto(string sessionId) => FaceOf(FetchDecryptedResult(sessionId));

        private static FacePhoto? FaceOf(string result) =>
            FacePhoto.FromBase64((string?)(Json(result, "a verification result")["document"] as JObject)?["face"]);

        /// <summary>
        /// Issues a reusable BlockID credential from a successful proofing's document ("VC from document", blockid-protocol.md D) and
        /// returns the credential's id. The document is read from the result and handed to 1Kosmos in this call only.
        /// </summary>
        /// <remarks>The credential names the person by <c>userUrn</c>, our stable name for them: a proofing yields no DID of theirs.</remarks>
        public string IssueCredentialFromProofing(string sessionId, string userUrn)
        {
            var result = Json(FetchDecryptedResult(sessionId), "a verification result");
            if (result["document"] is not JObject document)
            {
                throw new BlockIdException(BlockIdFailure.Rejected, "1Kosmos' result holds no verified document to issue a credential from.");
            }
            var vcs = ServiceOf("vcs", "verifiable credentials");
            var community = Community();
            var credentials = new RequestCredentials(_keys, vcs.PublicKey, _connection.LicenseKey, _clock, _random);
            var type = (string?)document["type"] ?? "document";
            var vc = _http.Send(HttpMethod.Post, $"{vcs.Url}/tenant/{(string?)community["tenantId"]}/community/{(string?)community["id"]}/vc/from/document/{Uri.EscapeDataString(type)}",
                "issuing a BlockID credential", credentials.NewHeaders(), new { document, userURN = userUrn });
            return (string?)vc["id"] ?? throw new BlockIdException(BlockIdFailure.Malformed, "1Kosmos issued a credential without an id.");
        }

        private JObject Community()
        {
            RequireTenantHost();
            return JObject.Parse(_directory.GetOrAdd(TenantKey("community"), _clock.UtcNow, () =>
            {
                var info = _http.Send(HttpMethod.Post, $"https://{_connection.TenantDns}/api/r1/system/community_info/fetch", "reading the tenant's community",
                    body: new { dns = _connection.TenantDns, communityName = _connection.Community, skipLogos = true });
                if (info["message"] is JValue { Type: JTokenType.String } message)
                {
                    throw new BlockIdException(BlockIdFailure.Rejected, $"1Kosmos does not know community '{_connection.Community}' on {_connection.TenantDns} ({(string?)message}). Check the 1Kosmos connection.");
                }
                var community = new JObject
                {
                    ["name"] = (string?)info["community"]?["name"] ?? throw new BlockIdException(BlockIdFailure.Malformed, "1Kosmos' community information has no community name."),
                    ["id"] = (string?)info["community"]?["id"],
                    ["tag"] = (string?)info["tenant"]?["tenanttag"],
                    ["tenantId"] = (string?)info["tenant"]?["id"],
                    ["publicKey"] = (string?)info["community"]?["publicKey"],
                };
                return community.ToString(Formatting.None);
            }));
        }

        private string CommunityName() => (string)Community()["name"]!;

        private Service Docuverify() => ServiceOf("docuverify", "identity verification");

        private Service ServiceOf(string name, string purpose)
        {
            var url = DirectoryEntry(name) ?? throw new BlockIdException(BlockIdFailure.Rejected,
                $"The 1Kosmos tenant {_connection.TenantDns} offers no {name} service; ask 1Kosmos to enable {purpose}.");
            var key = _directory.GetOrAdd(TenantKey("key:" + url), _clock.UtcNow, () =>
                (string?)_http.Send(HttpMethod.Get, url + "/publickeys", $"reading the {name} public key")["publicKey"]
                ?? throw new BlockIdException(BlockIdFailure.Malformed, $"1Kosmos' {name} service returned no public key."));
            return new Service(url, key);
        }

        private string? DirectoryEntry(string name)
        {
            RequireTenantHost();
            var directory = JObject.Parse(_directory.GetOrAdd(TenantKey("sd"), _clock.UtcNow, () =>
                _http.Send(HttpMethod.Get, $"https://{_connection.TenantDns}/caas/sd", "reading the tenant's service directory").ToString(Formatting.None)));
            var url = ((string?)directory[name])?.TrimEnd('/');
            if (url is not null && !TenantHosts.IsServiceUrl(url, _connection.TenantDns))
            {
                throw new BlockIdException(BlockIdFailure.Rejected,
                    $"The service directory of 1Kosmos tenant {_connection.TenantDns} places its {name} service outside the tenant (it must be https on the tenant's host or a 1Kosmos domain, never an IP address): nothing was sent there. Check the connection's Tenant DNS, or ask 1Kosmos.");
            }
            return url;
        }

        /// <exception cref="BlockIdException">The connection's tenant is not a host name: nothing is sent anywhere.</exception>
        private void RequireTenantHost()
        {
            if (!TenantHosts.IsTenantHost(_connection.TenantDns))
            {
                throw new BlockIdException(BlockIdFailure.Rejected,
                    "The 1Kosmos connection's Tenant DNS is not a host name such as acme.1kosmos.net (no https://, port, path or IP address): nothing was sent. A Verification Administrator corrects it on the connection.");
            }
        }

        private string TenantKey(string item) => $"{_connection.TenantDns}|{_connection.Community}|{item}";

        private static JObject Json(string text, string what)
        {
            try
            {
                return JObject.Parse(text);
            }
            catch (JsonException exception)
            {
                throw new BlockIdException(BlockIdFailure.Malformed, $"1Kosmos returned {what} that is not JSON.", inner: exception);
            }
        }

        private sealed class Service
        {
            public Service(string url, string publicKey)
            {
                Url = url;
                PublicKey = publicKey;
            }

            public string Url { get; }

            public string PublicKey { get; }
        }
    }
}
