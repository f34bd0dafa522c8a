using System.Collections.Immutable;
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OneKosmos.Sandbox.BlockId
{
    /// <summary>A request as the simulator sees it.</summary>
    public sealed record SimulatorRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body);

    /// <summary>The simulator's answer; <see cref="Hang"/> means it never answers, so the caller's timeout fires.</summary>
    public sealed record SimulatorResponse(int Status, string Body, IReadOnlyDictionary<string, string> Headers, bool Hang = false, TimeSpan Delay = default);

    /// <summary>
    /// A 1Kosmos BlockID tenant that speaks the protocol for real (blockid-protocol.md A–C): it publishes a service key, opens the
    /// encrypted <c>licensekey</c> and <c>requestid</c> headers and refuses wrong keys, stale timestamps and reused ids,
    /// decrypts enveloped bodies, keeps sessions whose outcome a test (or a person on the capture page) decides, and
    /// injects faults on demand. Answers use the shapes 1Kosmos documents; where it publishes none, the simulator's
    /// own choices are marked as such.
    /// </summary>
    public sealed class BlockIdSimulator
    {
        private readonly BlockIdSimulatorOptions _options;
        private readonly ServerCrypto _docuverify = new();
        private readonly ServerCrypto _stranger = new();
        private readonly ServerCrypto _sessionsService = new();
        private readonly ServerCrypto _wallet = new();
        private readonly ServerCrypto _reports = new();
        private readonly ServerCrypto _vcs = new();
        private readonly ConcurrentQueue<string> _issuedCredentials = new();
        private readonly EventFeed _events = new();
        private readonly ConcurrentDictionary<string, (string Did, string Ial)?> _liveIdSessions = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, ImmutableList<string>> _appProofs = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, SimulatedSession> _sessions = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, DateTimeOffset> _seenRequestIds = new(StringComparer.Ordinal);
        private readonly ConcurrentQueue<(string PathSuffix, SimulatedFault Fault)> _faults = new();
        private readonly ConcurrentQueue<string> _calls = new();

        public BlockIdSimulator(BlockIdSimulatorOptions? options = null)
        {
            _options = options ?? new BlockIdSimulatorOptions();
            _faultDice = new Random(_options.FaultSeed);
        }

        private readonly Random _faultDice;
        private readonly ConcurrentDictionary<SimulatedFault, int> _injected = new();

        /// <value>How many faults of each kind were injected (queued or random): what a soak test reports.</value>
        public IReadOnlyDictionary<SimulatedFault, int> InjectedFaults => new Dictionary<SimulatedFault, int>(_injected);

        public BlockIdSimulatorOptions Options => _options;

        private string? _servedAt;

        /// <value>Where the simulator's services and capture pages are reached: where a host serves it, else the configured base URL.</value>
        public string BaseUrl => (_servedAt ?? _options.BaseUrl ?? "https://" + _options.TenantDns).TrimEnd('/');

        internal void ServedAt(Uri address) => _servedAt = address.ToString();

        /// <summary>
        /// The service directory names services on the tenant's own host, as a real tenant's does, even while the capture
        /// pages are served on loopback: the client refuses any other host. <see cref="BlockIdSimulatorOptions.ServiceDirectory"/>
        /// replaces entries, to play a directory that points elsewhere.
        /// </summary>
        private JsonObject ServiceDirectory()
        {
            var tenant = (_options.BaseUrl ?? "https://" + _options.TenantDns).TrimEnd('/');
            var directory = new JsonObject();
            foreach (var service in new[] { "docuverify", "sessions", "adminconsole", "vcs", "reports", "licenses" })
            {
                directory[service] = _options.ServiceDirectory.TryGetValue(service, out var url) ? url : tenant + "/" + service;
            }
            return directory;
        }

        public IReadOnlyCollection<SimulatedSession> Sessions => _sessions.Values.OrderBy(session => session.CreatedAt).ToList();

        /// <value>"METHOD path" of every call received, in order: tests count calls with it.</value>
        public IReadOnlyList<string> Calls => _calls.ToList();

        /// <summary>The next call whose path ends with <paramref name="pathSuffix"/> gets <paramref name="fault"/>.</summary>
        public void InjectFault(string pathSuffix, SimulatedFault fault) => _faults.Enqueue((pathSuffix, fault));

        /// <value>Ids of the BlockID credentials issued, in order.</value>
        public IReadOnlyList<string> IssuedCredentials => _issuedCredentials.ToList();

        /// <value>The LiveID step-up sessions with what the person approved, in no particular order.</value>
        public IReadOnlyList<SimulatedLiveIdSession> LiveIdApprovals =>
            _liveIdSessions.Select(pair => new SimulatedLiveIdSession(pair.Key, pair.Value?.Did, pair.Value?.Ial)).ToList();

        /// <summary>Takes back sessions an earlier simulator had (the local sandbox's data file): a person can still finish them.</summary>
        public void Restore(IEnumerable<SimulatedSession> sessions, IEnumerable<SimulatedLiveIdSession> liveIdSessions)
        {
            foreach (var session in sessions)
            {
                _sessions[session.Id] = session;
            }
            foreach (var liveId in liveIdSessions)
            {
                _liveIdSessions[liveId.Id] = liveId.Did is null ? null : (liveId.Did, liveId.Ial ?? "IAL2");
            }
        }

        /// <value>Ids of the LiveID step-up sessions created, in no particular order.</value>
        public IReadOnlyCollection<string> LiveIdSessions => _liveIdSessions.Keys.ToList();

        /// <summary>Raised when a person finished a capture or approved a LiveID step-up: the session id and what happened.</summary>
        public event Action<string, string>? PersonActed;

        /// <summary>The person approves a LiveID step-up in the BlockID app, as the holder of <paramref name="did"/>.</summary>
        public void ApproveLiveId(string sessionId, string did, string ial = "IAL2")
        {
            if (!_liveIdSessions.ContainsKey(sessionId))
            {
                throw new ArgumentException($"The simulator has no LiveID session {sessionId}.", nameof(sessionId));
            }
            _liveIdSessions[sessionId] = (did, ial);
            PersonActed?.Invoke(sessionId, $"approved the LiveID step-up in the BlockID app ({ial})");
        }

        /// <summary>
        /// The holder of <paramref name="did"/> proofed a document in the BlockID app: their IAL record (adminconsole
        /// <c>…/userid/{userid}/ial</c>) then holds a proof naming <paramref name="documentHash"/>.
        /// </summary>
        public void RecordAppProof(string did, string documentHash) =>
            _appProofs.AddOrUpdate(did, _ => ImmutableList.Create(documentHash), (_, proofs) => proofs.Add(documentHash));

        /// <summary>The document hash the simulated results of a person of that name carry (what the product keeps as evidence).</summary>
        public static string DocumentHashOf(string? firstName, string? lastName) => SimulatedResults.DocumentHashOf(firstName, lastName);

        /// <summary>The 1Kosmos user id of an app user: stable per DID, as a user's id is.</summary>
        public static string UserIdOf(string did) =>
            "user-" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(did)))[..16].ToLowerInvariant();

        /// <summary>Adds an item to the events feed exactly as given (a malformed or hostile one), as recorded now.</summary>
        public void RecordFeedItem(JsonNode item) => _events.RecordRaw(item, _options.Clock.GetUtcNow());

        /// <value>The feed's pages carry no <c>page.total</c>.</value>
        public bool FeedOmitsTotal { get => _events.OmitTotal; set => _events.OmitTotal = value; }

        /// <value>The feed's <c>page.total</c> is this text instead of a number.</value>
        public string? FeedTotalAsText { get => _events.TotalAsText; set => _events.TotalAsText = value; }

        /// <summary>1Kosmos forgets a session (its retention ran out): its result is answered 404 from now on.</summary>
        public void Purge(string sessionId) => _sessions.TryRemove(sessionId, out _);

        /// <summary>The person finishes (or abandons) the capture of a session.</summary>
        public void Complete(string sessionId, CaptureOutcome outcome)
        {
            if (!_sessions.TryGetValue(sessionId, out var session))
            {
                throw new ArgumentException($"The simulator has no session {sessionId}.", nameof(sessionId));
            }
            session.Outcome = outcome;
            _events.Record(outcome == CaptureOutcome.Abandon ? "E_IDV_SESSION_ABANDONED" : "E_IDV_DOCUMENT_VALIDATE", sessionId, _options.Clock.GetUtcNow());
            PersonActed?.Invoke(sessionId, $"finished the capture: {outcome}");
        }

        public SimulatorResponse Handle(SimulatorRequest request)
        {
            _calls.Enqueue($"{request.Method} {request.Path}");
            var fault = TakeFault(request.Path) ?? RandomFault(request.Path);
            if (fault is { } injected)
            {
                _injected.AddOrUpdate(injected, 1, (_, count) => count + 1);
            }
            if (fault is SimulatedFault.TimeoutBeforeWork)
            {
                return new SimulatorResponse(0, "", Empty, Hang: true);
            }
            if (fault is SimulatedFault.Throttle)
            {
                return Error(429, 429, "Too many requests", new Dictionary<string, string> { ["Retry-After"] = "30" });
            }
            if (fault is SimulatedFault.ServerError)
            {
                return Error(503, 503, "Service unavailable");
            }
            if (fault is SimulatedFault.MalformedBody)
            {
                return new SimulatorResponse(200, "<html>gateway</html>", Empty);
            }

            // An injected fault answers first; only a start that would be served counts against the rate.
            if (IsStart(request) && !TakeStart())
            {
                Interlocked.Increment(ref _startsThrottled);
                return Error(429, 429, "Too many requests", new Dictionary<string, string> { ["Retry-After"] = "1" });
            }
            var response = Route(request, fault);
            return fault switch
            {
                SimulatedFault.TimeoutAfterWork => response with { Hang = true },
                SimulatedFault.Slow => response with { Delay = _options.SlowResponseDelay },
                _ => response with { Delay = _options.Latency },
            };
        }

        private static bool IsStart(SimulatorRequest request) =>
            request.Path == "/docuverify/document_share_session/create" || (request.Method == "PUT" && request.Path == "/sessions/session/new");

        /// <summary>Whether the tenant takes one more start this second (<see cref="BlockIdSimulatorOptions.StartsPerSecond"/>).</summary>
        private bool TakeStart()
        {
            if (_options.StartsPerSecond is not { } limit)
            {
                return true;
            }
            lock (_startTimes)
            {
                var now = _options.Clock.GetUtcNow();
                while (_startTimes.Count > 0 && _startTimes.Peek() <= now - TimeSpan.FromSeconds(1))
                {
                    _startTimes.Dequeue();
                }
                if (_startTimes.Count >= limit)
                {
                    return false;
                }
                _startTimes.Enqueue(now);
                return true;
            }
        }

        private readonly Queue<DateTimeOffset> _startTimes = new();
        private int _startsThrottled;

        private long _waitedTicks;
        private int _waits;

        /// <summary>A simulated latency was waited out, taking <paramref name="time"/> as measured (timers overshoot).</summary>
        internal void Waited(TimeSpan time)
        {
            Interlocked.Add(ref _waitedTicks, time.Ticks);
            Interlocked.Increment(ref _waits);
        }

        /// <value>The mean time an answer's simulated latency actually took, measured; zero before any: what a benchmark subtracts.</value>
        public TimeSpan MeanWait => _waits == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Interlocked.Read(ref _waitedTicks) / Volatile.Read(ref _waits));

        /// <value>Starts refused because the tenant's <see cref="BlockIdSimulatorOptions.StartsPerSecond"/> was reached.</value>
        public int StartsThrottled => Volatile.Read(ref _startsThrottled);

        /// <remarks>Directory and key lookups never fail at random: callers cache them, so they would only shift the counts.</remarks>
        private SimulatedFault? RandomFault(string path)
        {
            if (_options.FaultRates.Count == 0 || path.EndsWith("/publickeys", StringComparison.Ordinal) || path == "/caas/sd")
            {
                return null;
            }
            double roll;
            lock (_faultDice)
            {
                roll = _faultDice.NextDouble();
            }
            foreach (var (fault, rate) in _options.FaultRates)
            {
                if (roll < rate)
                {
                    return fault;
                }
                roll -= rate;
            }
            return null;
        }

        private SimulatorResponse Route(SimulatorRequest request, SimulatedFault? fault)
        {
            switch (request.Method, request.Path)
            {
                case ("GET", "/caas/sd"):
                    return Ok(ServiceDirectory());
                case ("POST", "/api/r1/system/community_info/fetch"):
                    return CommunityInfo(request);
                case ("GET", "/docuverify/publickeys"):
                    return Ok(new JsonObject { ["publicKey"] = _docuverify.PublicKey });
                case ("POST", "/docuverify/document_share_session/create"):
                    return Authenticated(request, (caller, body) => CreateSession(body));
                case ("POST", "/docuverify/v3/document_share_session/result"):
                    return Authenticated(request, (caller, body) => Result(caller, body, fault == SimulatedFault.WrongResponseKey));
                case ("GET", "/vcs/publickeys"):
                    return Ok(new JsonObject { ["publicKey"] = _vcs.PublicKey });
                case ("POST", var path) when path.StartsWith("/vcs/tenant/sim-tenant/community/sim-community/vc/from/document/", StringComparison.Ordinal):
                    return CheckHeaders(request, _vcs, out _) ?? IssueCredential(Parse(request.Body));
                case ("GET", "/reports/publickeys"):
                    return Ok(new JsonObject { ["publicKey"] = _reports.PublicKey });
                case ("POST", "/reports/tenant/sim-tenant/community/sim-community/events"):
                    if (CheckHeaders(request, _reports, out _) is { } refused)
                    {
                        return refused;
                    }
                    var (status, page) = _events.Page(Parse(request.Body), _options.Clock.GetUtcNow());
                    return new SimulatorResponse(status, page.ToJsonString(), Empty);
                case ("GET", "/sessions/publickeys"):
                    return Ok(new JsonObject { ["publicKey"] = _sessionsService.PublicKey });
                case ("PUT", "/sessions/session/new"):
                    return CheckHeaders(request, _sessionsService, out _) ?? NewLiveIdSession();
                case ("GET", var path) when path.StartsWith("/sessions/session/", StringComparison.Ordinal) && path.EndsWith("/response", StringComparison.Ordinal):
                    return CheckHeaders(request, _sessionsService, out var caller) ?? LiveIdResponse(caller!, path["/sessions/session/".Length..^"/response".Length]);
                case ("GET", var path) when path.StartsWith($"/adminconsole/api/r1/community/{_options.Community}/userid/", StringComparison.Ordinal) && path.EndsWith("/ial", StringComparison.Ordinal):
                    return CheckHeaders(request, _docuverify, out var reader) ?? IalRecord(request, reader!, path[$"/adminconsole/api/r1/community/{_options.Community}/userid/".Length..^"/ial".Length]);
                default:
                    return Error(404, 404, $"No route {request.Method} {request.Path}");
            }
        }

        private SimulatorResponse CommunityInfo(SimulatorRequest request)
        {
            var body = Parse(request.Body);
            if ((string?)body?["dns"] != _options.TenantDns || (string?)body?["communityName"] != _options.Community)
            {
                return Error(404, 404, "Unable to load tenant/community");
            }
            return Ok(new JsonObject
            {
                ["tenant"] = new JsonObject { ["id"] = "sim-tenant", ["tenanttag"] = "SIM", ["dns"] = _options.TenantDns },
                ["community"] = new JsonObject { ["id"] = "sim-community", ["name"] = _options.Community, ["publicKey"] = _docuverify.PublicKey },
                ["message"] = null,
            });
        }

        /// <summary>Checks the B.5 headers and opens the {"data": …} envelope, as every docuverify call requires.</summary>
        private SimulatorResponse Authenticated(SimulatorRequest request, Func<string, JsonObject, SimulatorResponse> handle)
        {
            if (CheckHeaders(request, _docuverify, out var caller) is { } refused)
            {
                return refused;
            }
            var envelope = Parse(request.Body);
            var body = Parse(_docuverify.Open(caller!, (string?)envelope?["data"]));
            if (body is null)
            {
                return Error(400, 400, "data can't be decrypted");
            }
            var dvcId = (string?)body["dvcID"];
            if (string.IsNullOrEmpty(dvcId))
            {
                return Error(400, 400, "dvcID is required");
            }
            if (dvcId != _options.DvcId)
            {
                return Error(401, 401, "Invalid dvcID");
            }
            return handle(caller!, body);
        }

        /// <summary>The B.5 headers: our key in clear, the license key and a fresh, timely request id sealed for this service.</summary>
        private SimulatorResponse? CheckHeaders(SimulatorRequest request, ServerCrypto service, out string? caller)
        {
            if (!request.Headers.TryGetValue("publickey", out caller) || string.IsNullOrEmpty(caller))
            {
                return Error(401, 401, "Unauthorized");
            }
            if (service.Open(caller, request.Headers.GetValueOrDefault("licensekey")) != _options.LicenseKey)
            {
                return Error(401, 401, "Invalid or Unauthorized License");
            }
            var requestId = Parse(service.Open(caller, request.Headers.GetValueOrDefault("requestid")));
            var ts = requestId?["ts"]?.GetValue<long>();
            var uuid = (string?)requestId?["uuid"];
            var now = _options.Clock.GetUtcNow();
            if (ts is null || uuid is null || Math.Abs(now.ToUnixTimeSeconds() - ts.Value) > _options.AllowedClockSkew.TotalSeconds)
            {
                return Error(401, 401, "requestid is missing, unreadable or outside the allowed time window");
            }
            if (!_seenRequestIds.TryAdd(uuid, now))
            {
                return Error(401, 401, "requestid was already used");
            }
            return null;
        }

        /// <summary>VC from document (blockid-protocol.md D): plain JSON, needs the document and a did/publicKey or a userURN.</summary>
        private SimulatorResponse IssueCredential(JsonObject? body)
        {
            if (body?["document"] is not JsonObject)
            {
                return Error(400, 400, "document is required");
            }
            if (body["did"] is null && body["userURN"] is null)
            {
                return Error(400, 400, "Please provide a did/publicKey OR userURN");
            }
            var id = "did:blockid:" + Guid.NewGuid();
            _issuedCredentials.Enqueue(id);
            return Ok(new JsonObject
            {
                ["@context"] = new JsonArray("https://www.w3.org/2018/credentials/v1"),
                ["id"] = id,
                ["type"] = new JsonArray("VerifiableCredential", "DocumentCredential"),
                ["issuer"] = new JsonObject { ["id"] = BaseUrl, ["tenantId"] = "sim-tenant", ["communityId"] = "sim-community" },
                ["credentialSubject"] = new JsonObject { ["id"] = (string?)body["userURN"] ?? (string?)body["did"] },
            });
        }

        private SimulatorResponse NewLiveIdSession()
        {
            var id = Guid.NewGuid().ToString();
            _liveIdSessions[id] = null;
            return new SimulatorResponse(201, new JsonObject { ["sessionId"] = id }.ToJsonString(), Empty);
        }

        /// <remarks>
        /// Before the person approves, the simulator answers 404: what 1Kosmos answers then is not published. The approved
        /// answer is sealed with the wallet's key, named in publicKey, as blockid-protocol.md C.5 describes.
        /// </remarks>
        private SimulatorResponse LiveIdResponse(string caller, string sessionId)
        {
            if (!_liveIdSessions.TryGetValue(sessionId, out var approval) || approval is null)
            {
                return Error(404, 404, "Session not found or not yet responded");
            }
            var userData = new JsonObject { ["did"] = approval.Value.Did, ["userid"] = UserIdOf(approval.Value.Did) };
            return Ok(new JsonObject
            {
                ["sessionId"] = sessionId,
                ["data"] = _wallet.Seal(caller, userData.ToJsonString()),
                ["appid"] = "com.1kosmos.blockid",
                ["ial"] = approval.Value.Ial,
                ["publicKey"] = _wallet.PublicKey,
            });
        }

        /// <summary>
        /// A user's IAL record (blockid-protocol.md C.2, PM "Fetch IAL of a user"): sealed with the community key, the user's
        /// DIDs with their level and proofs; <c>did</c> empty for a user without documents. 404 for a user id nobody has.
        /// </summary>
        private SimulatorResponse IalRecord(SimulatorRequest request, string caller, string userId)
        {
            if (!request.Headers.TryGetValue("X-TenantTag", out var tag) || tag != "SIM")
            {
                return Error(401, 401, "X-TenantTag is missing or not this tenant's");
            }
            var did = _liveIdSessions.Values.Where(approval => approval is not null).Select(approval => approval!.Value.Did)
                .Concat(_appProofs.Keys).FirstOrDefault(candidate => UserIdOf(candidate) == userId);
            if (did is null)
            {
                return Error(404, 404, "User not found");
            }
            var dids = new JsonObject();
            if (_appProofs.TryGetValue(did, out var proofs))
            {
                dids[did] = new JsonObject { ["value"] = "IAL2", ["proofs"] = new JsonArray(proofs.Select(hash => (JsonNode)SimulatedResults.AppProof(hash)).ToArray()) };
            }
            var record = new JsonObject { ["user"] = new JsonObject { ["uid"] = userId, ["username"] = userId }, ["did"] = dids };
            return Ok(new JsonObject { ["data"] = _docuverify.Seal(caller, record.ToJsonString()) });
        }

        private SimulatorResponse CreateSession(JsonObject body)
        {
            var sessionRequest = body["sessionRequest"] as JsonObject;
            var documentType = (string?)sessionRequest?["documentType"];
            if (documentType is not ("dl_object" or "ppt_object" or "idcard_object"))
            {
                return Error(400, 400, "documentType must be dl_object, ppt_object or idcard_object");
            }
            var user = sessionRequest?["user"] as JsonObject;
            var session = new SimulatedSession(
                Guid.NewGuid().ToString(),
                (string?)user?["uid"] ?? (string?)sessionRequest?["userUID"] ?? "",
                (string?)user?["firstname"],
                (string?)user?["lastname"],
                documentType,
                _options.Clock.GetUtcNow());
            _sessions[session.Id] = session;
            _events.Record("E_IDV_INITIALIZATION", session.Id, session.CreatedAt);
            return Ok(new JsonObject { ["sessionId"] = session.Id, ["url"] = $"{BaseUrl}/idproofing/session/{session.Id}" });
        }

        private SimulatorResponse Result(string caller, JsonObject body, bool wrongKey)
        {
            var sessionId = (string?)body["sessionId"];
            if (sessionId is null || !_sessions.TryGetValue(sessionId, out var session))
            {
                return Error(404, 404, "Session not found");
            }
            var result = SimulatedResults.For(session, _options.Clock.GetUtcNow() - session.CreatedAt > _options.SessionTtl);
            var sealer = wrongKey ? _stranger : _docuverify;
            return Ok(new JsonObject { ["data"] = sealer.Seal(caller, result.ToJsonString()), ["publicKey"] = _docuverify.PublicKey });
        }

        private SimulatedFault? TakeFault(string path)
        {
            if (_faults.TryPeek(out var next) && path.EndsWith(next.PathSuffix, StringComparison.Ordinal) && _faults.TryDequeue(out next))
            {
                return next.Fault;
            }
            return null;
        }

        private static JsonObject? Parse(string? text)
        {
            try
            {
                return string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text) as JsonObject;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

        private static SimulatorResponse Ok(JsonObject body) => new(200, body.ToJsonString(), Empty);

        private static SimulatorResponse Error(int status, int code, string message, IReadOnlyDictionary<string, string>? headers = null) =>
            new(status, new JsonObject { ["code"] = code, ["message"] = message }.ToJsonString(), headers ?? Empty);
    }
}
