using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using OneKosmos.Core.Verification;

namespace OneKosmos.Core.Callbacks
{
    /// <summary>
    /// A Microsoft Entra Verified ID Request Service callback (docs/entra-verified-id.md §2–3), strictly parsed. The relay
    /// reads Entra's body with it and forwards only <see cref="ToData"/>; the callback API reads that data with it again.
    /// </summary>
    /// <remarks>
    /// Entra's body may carry the credential's claims (names, the photo): they are never kept. Of the claims only our own
    /// verificationId survives, because it ties a presented credential to the contact it was issued to.
    /// </remarks>
    public sealed class EntraCallback
    {
        /// <value>The claim our credentials carry with the issuance row's id.</value>
        public const string VerificationIdClaim = "verificationId";

        /// <value>The largest Entra callback the relay reads. Default 2 MB: a presentation may echo a 1 MB photo claim.</value>
        public const int MaxBodyBytes = 2 * 1024 * 1024;

        private const string IssuancePrefix = "okos-issuance-";
        private const string PresentationPrefix = "okos-facecheck-";

        private EntraCallback(string requestId, string requestStatus, string state, NotificationType type, Guid verificationId, VerifiedIdObservation observation)
        {
            RequestId = requestId;
            RequestStatus = requestStatus;
            State = state;
            Type = type;
            VerificationId = verificationId;
            Observation = observation;
        }

        public string RequestId { get; }

        public string RequestStatus { get; }

        public string State { get; }

        /// <value>EntraIssuance or EntraPresentation, from the state we set when creating the request.</value>
        public NotificationType Type { get; }

        /// <value>The verification row the request was made for, from the state.</value>
        public Guid VerificationId { get; }

        public VerifiedIdObservation Observation { get; }

        /// <summary>The <c>callback.state</c> we send with a request: which kind, and which verification row.</summary>
        public static string StateOf(Journey journey, Guid verificationId) => journey switch
        {
            Journey.VerifiedIdIssuance => IssuancePrefix + verificationId.ToString("N"),
            Journey.VerifiedIdFaceCheck => PresentationPrefix + verificationId.ToString("N"),
            _ => throw new ArgumentOutOfRangeException(nameof(journey), journey, "Only Verified ID journeys have an Entra request."),
        };

        /// <summary>The message id a callback is queued and receipted under: the same request and status always give the same id.</summary>
        public string MessageId()
        {
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(RequestId + "\n" + RequestStatus));
            return MessageIdPrefix + BitConverter.ToString(hash, 0, 16).Replace("-", "").ToLowerInvariant();
        }

        /// <value>The namespace of Entra's message ids: no other sender may use it, so none can take an Entra callback's id first.</value>
        public const string MessageIdPrefix = "entra_";

        /// <summary>Reads Entra's callback body, or the data the relay forwarded; a refusal comes back as a reason code.</summary>
        public static EntraCallback? Parse(string? body, out string? refusal)
        {
            refusal = null;
            JObject json;
            try
            {
                json = (string.IsNullOrWhiteSpace(body) ? null : JsonConvert.DeserializeObject<JToken>(body!, new JsonSerializerSettings { DateParseHandling = DateParseHandling.None, MaxDepth = 32 }) as JObject)
                    ?? throw new JsonException("not an object");
            }
            catch (JsonException)
            {
                refusal = "MALFORMED_JSON";
                return null;
            }
            return Parse(json, out refusal);
        }

        public static EntraCallback? Parse(JObject json, out string? refusal)
        {
            refusal = null;
            var requestId = Text(json, "requestId");
            var status = Text(json, "requestStatus");
            var state = Text(json, "state");
            if (requestId is null || status is null || state is null)
            {
                refusal = "MISSING_FIELDS";
                return null;
            }
            if (!TryReadState(state, out var type, out var verificationId))
            {
                refusal = "UNKNOWN_STATE";
                return null;
            }
            VerifiedIdEvent? @event = status switch
            {
                "request_retrieved" => VerifiedIdEvent.Retrieved,
                "issuance_successful" when type == NotificationType.EntraIssuance => VerifiedIdEvent.IssuanceSucceeded,
                "issuance_error" when type == NotificationType.EntraIssuance => VerifiedIdEvent.IssuanceFailed,
                "presentation_verified" when type == NotificationType.EntraPresentation => VerifiedIdEvent.PresentationVerified,
                "presentation_error" when type == NotificationType.EntraPresentation => VerifiedIdEvent.PresentationFailed,
                _ => null,
            };
            if (@event is null)
            {
                refusal = "UNKNOWN_STATUS";
                return null;
            }
            var error = json["error"] as JObject;
            var credential = (json["verifiedCredentialsData"] as JArray)?.FirstOrDefault() as JObject;
            double? score = null;
            if (credential?["faceCheck"]?["matchConfidenceScore"] is JValue { Type: JTokenType.Float or JTokenType.Integer } value)
            {
                score = (double)value;
                if (double.IsNaN(score.Value) || score < 0 || score > 100)
                {
                    refusal = "BAD_SCORE";
                    return null;
                }
            }
            var observation = new VerifiedIdObservation(
                @event.Value,
                Text(error, "code"),
                Text(error, "message"),
                Text(json, "subject"),
                Text(credential, "issuer"),
                (credential?["type"] as JArray)?.OfType<JValue>().Where(item => item.Type == JTokenType.String).Select(item => (string)item!).ToList(),
                Text(credential?["credentialState"] as JObject, "revocationStatus"),
                Text(credential?["claims"] as JObject, VerificationIdClaim),
                score);
            return new EntraCallback(requestId, status, state, type, verificationId, observation);
        }

        /// <summary>The entra.* notification (docs/design.md §1b) the relay queues for this callback, under <see cref="MessageId"/>.</summary>
        public string ToNotification(DateTimeOffset receivedAt) =>
            new JObject
            {
                ["type"] = Type == NotificationType.EntraIssuance ? "entra.issuance" : "entra.presentation",
                ["id"] = MessageId(),
                ["requestId"] = RequestId,
                ["occurredAt"] = receivedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
                ["data"] = ToData(),
            }.ToString(Formatting.None);

        /// <summary>What the relay forwards: Entra's shape, with every claim but our verificationId left out.</summary>
        public JObject ToData()
        {
            var data = new JObject
            {
                ["requestId"] = RequestId,
                ["requestStatus"] = RequestStatus,
                ["state"] = State,
            };
            if (Observation.ErrorCode is not null || Observation.ErrorMessage is not null)
            {
                data["error"] = new JObject { ["code"] = Observation.ErrorCode, ["message"] = Observation.ErrorMessage };
            }
            if (Observation.SubjectDid is not null)
            {
                data["subject"] = Observation.SubjectDid;
            }
            if (Observation.Event == VerifiedIdEvent.PresentationVerified)
            {
                var credential = new JObject
                {
                    ["issuer"] = Observation.Issuer,
                    ["type"] = new JArray(Observation.CredentialTypes.Cast<object>().ToArray()),
                    ["credentialState"] = new JObject { ["revocationStatus"] = Observation.RevocationStatus },
                    ["claims"] = new JObject { [VerificationIdClaim] = Observation.IssuedForVerification },
                };
                if (Observation.MatchConfidenceScore is { } score)
                {
                    credential["faceCheck"] = new JObject { ["matchConfidenceScore"] = score };
                }
                data["verifiedCredentialsData"] = new JArray(credential);
            }
            return data;
        }

        private static bool TryReadState(string state, out NotificationType type, out Guid verificationId)
        {
            type = NotificationType.EntraIssuance;
            verificationId = Guid.Empty;
            string rest;
            if (state.StartsWith(IssuancePrefix, StringComparison.Ordinal))
            {
                rest = state.Substring(IssuancePrefix.Length);
            }
            else if (state.StartsWith(PresentationPrefix, StringComparison.Ordinal))
            {
                type = NotificationType.EntraPresentation;
                rest = state.Substring(PresentationPrefix.Length);
            }
            else
            {
                return false;
            }
            return Guid.TryParseExact(rest, "N", out verificationId);
        }

        private static string? Text(JObject? json, string name) =>
            json?[name] is JValue { Type: JTokenType.String } value && !string.IsNullOrWhiteSpace((string?)value) ? (string?)value : null;
    }
}
