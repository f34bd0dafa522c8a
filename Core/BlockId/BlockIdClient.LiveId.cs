using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using Newtonsoft.Json.Linq;
using OneKosmos.Core.Verification;

namespace OneKosmos.Core.BlockId
{
    /// <summary>LiveID step-ups (blockid-protocol.md C.5) and the approver's own identity proofs a first binding rests on.</summary>
    public sealed partial class BlockIdClient
    {
        /// <summary>Opens a LiveID step-up: the person approves it with biometrics in the BlockID app (blockid-protocol.md C.5).</summary>
        public LiveIdSession CreateLiveIdSession()
        {
            var sessions = ServiceOf("sessions", "LiveID authentication");
            var community = Community();
            var credentials = new RequestCredentials(_keys, sessions.PublicKey, _connection.LicenseKey, _clock, _random);
            var body = new
            {
                origin = new
                {
                    tag = (string?)community["tag"],
                    url = DirectoryEntry("adminconsole"),
                    communityName = (string?)community["name"],
                    communityId = (string?)community["id"],
                    authPage = "blockid://authenticate",
                },
                scopes = "",
                authtype = "none",
            };
            var response = _http.Send(HttpMethod.Put, sessions.Url + "/session/new", "opening a LiveID step-up", credentials.NewHeaders(), body);
            var sessionId = (string?)response["sessionId"]
                ?? throw new BlockIdException(BlockIdFailure.Malformed, "1Kosmos opened a LiveID session but did not return its id.");
            return new LiveIdSession(sessionId, $"{sessions.Url}/session/{sessionId}");
        }

        /// <summary>The person's answer to a LiveID step-up: in progress until they approve, then their DID and ial.</summary>
        /// <remarks>1Kosmos does not publish its answer before approval; a 404 is read as not yet approved.</remarks>
        public LiveIdObservation FetchLiveIdResponse(string sessionId)
        {
            var sessions = ServiceOf("sessions", "LiveID authentication");
            var credentials = new RequestCredentials(_keys, sessions.PublicKey, _connection.LicenseKey, _clock, _random);
            JObject response;
            try
            {
                response = _http.Send(HttpMethod.Get, $"{sessions.Url}/session/{sessionId}/response", "reading a LiveID step-up", credentials.NewHeaders());
            }
            catch (BlockIdException exception) when (exception.HttpStatus == 404)
            {
                return new LiveIdObservation(SessionState.InProgress);
            }
            var walletKey = (string?)response["publicKey"];
            if (response["data"] is not JValue { Type: JTokenType.String } data || string.IsNullOrEmpty(walletKey))
            {
                return new LiveIdObservation(SessionState.InProgress);
            }
            var userData = Json(new AesGcmEnvelope(_keys.SharedKeyWith(walletKey!), _random).Decrypt((string)data!), "LiveID user data");
            var did = (string?)userData["did"];
            if (string.IsNullOrEmpty(did))
            {
                throw new BlockIdException(BlockIdFailure.Malformed, "1Kosmos' LiveID answer carries no DID.");
            }
            AssuranceLevel? level = ((string?)response["ial"])?.ToUpperInvariant() switch
            {
                "IAL1" => AssuranceLevel.IAL1,
                "IAL2" => AssuranceLevel.IAL2,
                _ => null,
            };
            return new LiveIdObservation(SessionState.Succeeded, did, level, (string?)userData["userid"]);
        }

        /// <summary>
        /// The one-way hashes of the documents 1Kosmos holds identity proofs of for a BlockID user under <paramref name="did"/>
        /// (the user's IAL record, blockid-protocol.md C.2: adminconsole <c>…/userid/{userid}/ial</c>); null when it holds none.
        /// </summary>
        /// <remarks>The proofs' tokens are read for their document hash only; nothing else of them is kept.</remarks>
        /// <exception cref="BlockIdException">1Kosmos could not answer (a 404 is read as no record: null).</exception>
        public IReadOnlyCollection<string>? FetchProofedDocuments(string userId, string did)
        {
            var community = Community();
            var adminConsole = DirectoryEntry("adminconsole") ?? throw new BlockIdException(BlockIdFailure.Rejected,
                $"The 1Kosmos tenant {_connection.TenantDns} offers no adminconsole service; ask 1Kosmos to enable user IAL records.");
            var communityKey = (string?)community["publicKey"] ?? throw new BlockIdException(BlockIdFailure.Malformed,
                "1Kosmos' community information has no public key, which reading a user's IAL record needs.");
            var credentials = new RequestCredentials(_keys, communityKey, _connection.LicenseKey, _clock, _random);
            var headers = credentials.NewHeaders().ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.OrdinalIgnoreCase);
            headers["X-TenantTag"] = (string?)community["tag"] ?? "";
            JObject response;
            try
            {
                response = _http.Send(HttpMethod.Get,
                    $"{adminConsole}/api/r1/community/{Uri.EscapeDataString(CommunityName())}/userid/{Uri.EscapeDataString(userId)}/ial",
                    "reading the approver's identity proofs", headers);
            }
            catch (BlockIdException exception) when (exception.HttpStatus == 404)
            {
                return null;
            }
            if (response["data"] is not JValue { Type: JTokenType.String } data)
            {
                throw new BlockIdException(BlockIdFailure.Malformed, "1Kosmos returned a user's IAL record without its encrypted data.");
            }
            var record = Json(credentials.Envelope.Decrypt((string)data!), "a user's IAL record");
            if (record["did"]?[did]?["proofs"] is not JArray proofs)
            {
                return null;
            }
            var hashes = proofs.OfType<JObject>()
                .Select(proof => ProofToken.DocumentHashOf(ProofToken.Claims((string?)proof["proof"])))
                .Where(hash => hash is not null)
                .Select(hash => hash!)
                .Distinct(StringComparer.Ordinal)
                .ToList();
            return hashes.Count == 0 ? null : hashes;
        }
    }
}
