using System;
using System.Net.Http;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using OneKosmos.Plugins.Verification;
using Org.BouncyCastle.Security;

namespace OneKosmos.Plugins.BlockId
{
    /// <summary>
    /// The 1Kosmos BlockID calls the product makes (facts A–C): tenant bootstrap (cached), create a docuverify
    /// session, and fetch its v3 result. Every failure is a <see cref="BlockIdException"/> of one of four kinds.
    /// </summary>
    public sealed class BlockIdClient
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
            _http = new BlockIdHttp(http, connection, timeout ?? DefaultTimeout);
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

        public ProofingObservation FetchResult(string sessionId)
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
            return ProofingResultParser.Parse(envelope.Decrypt((string)data!));
        }

        private string CommunityName() =>
            _directory.GetOrAdd(TenantKey("community"), _clock.UtcNow, () =>
            {
                var info = _http.Send(HttpMethod.Post, $"https://{_connection.TenantDns}/api/r1/system/community_info/fetch", "reading the tenant's community",
                    body: new { dns = _connection.TenantDns, communityName = _connection.Community, skipLogos = true });
                if (info["message"] is JValue { Type: JTokenType.String } message)
                {
                    throw new BlockIdException(BlockIdFailure.Rejected, $"1Kosmos does not know community '{_connection.Community}' on {_connection.TenantDns} ({(string?)message}). Check the 1Kosmos connection.");
                }
                return (string?)info["community"]?["name"]
                    ?? throw new BlockIdException(BlockIdFailure.Malformed, "1Kosmos' community information has no community name.");
            });

        private Service Docuverify()
        {
            var url = _directory.GetOrAdd(TenantKey("sd:docuverify"), _clock.UtcNow, () =>
            {
                var directory = _http.Send(HttpMethod.Get, $"https://{_connection.TenantDns}/caas/sd", "reading the tenant's service directory");
                return ((string?)directory["docuverify"])?.TrimEnd('/')
                    ?? throw new BlockIdException(BlockIdFailure.Rejected, $"The 1Kosmos tenant {_connection.TenantDns} offers no docuverify service; ask 1Kosmos to enable identity verification.");
            });
            var key = _directory.GetOrAdd(TenantKey("key:" + url), _clock.UtcNow, () =>
                (string?)_http.Send(HttpMethod.Get, url + "/publickeys", "reading the docuverify public key")["publicKey"]
                ?? throw new BlockIdException(BlockIdFailure.Malformed, "1Kosmos' docuverify service returned no public key."));
            return new Service(url, key);
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
