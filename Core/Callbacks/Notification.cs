using System;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace OneKosmos.Core.Callbacks
{
    /// <summary>The kinds of notification the relay delivers (docs/design.md §1b).</summary>
    public enum NotificationType
    {
        BlockIdIdv,
        EntraIssuance,
        EntraPresentation,
        Reconcile,
    }

    /// <summary>A callback notification, strictly parsed: a stable id, what it is about, and when it happened.</summary>
    public sealed class Notification
    {
        private Notification(NotificationType type, string id, string? subjectId, DateTimeOffset? occurredAt, JObject? data)
        {
            Data = data;
            Type = type;
            Id = id;
            SubjectId = subjectId;
            OccurredAt = occurredAt;
        }

        public NotificationType Type { get; }

        /// <value>The message id: the idempotency key, equal to the webhook-id it was signed with.</value>
        public string Id { get; }

        /// <value>The 1Kosmos session id (blockid.idv) or Entra request id (entra.*); null for reconcile.</value>
        public string? SubjectId { get; }

        public DateTimeOffset? OccurredAt { get; }

        /// <value>The event itself, for sources whose notification is the result (Entra Verified ID); null when absent.</value>
        public JObject? Data { get; }

        /// <value>The largest body the callback API reads. Default 64 KB: notifications carry ids, not documents.</value>
        public const int MaxBodyBytes = 64 * 1024;

        /// <summary>Parses a body that was signed as <paramref name="messageId"/>; a refusal comes back as a reason code, never an exception.</summary>
        public static Notification? Parse(string? body, string messageId, out string? rejection)
        {
            rejection = null;
            if (string.IsNullOrWhiteSpace(body))
            {
                rejection = "EMPTY_BODY";
                return null;
            }
            if (Encoding.UTF8.GetByteCount(body) > MaxBodyBytes)
            {
                rejection = "BODY_TOO_LARGE";
                return null;
            }
            JObject json;
            try
            {
                json = JsonConvert.DeserializeObject<JToken>(body!, new JsonSerializerSettings { DateParseHandling = DateParseHandling.None, MaxDepth = 16 }) as JObject
                    ?? throw new JsonException("not an object");
            }
            catch (JsonException)
            {
                rejection = "MALFORMED_JSON";
                return null;
            }
            NotificationType? type = Text(json, "type") switch
            {
                "blockid.idv" => NotificationType.BlockIdIdv,
                "entra.issuance" => NotificationType.EntraIssuance,
                "entra.presentation" => NotificationType.EntraPresentation,
                "reconcile" => NotificationType.Reconcile,
                _ => null,
            };
            if (type is null)
            {
                rejection = "UNKNOWN_TYPE";
                return null;
            }
            var id = Text(json, "id");
            if (id is null || !string.Equals(id, messageId, StringComparison.Ordinal))
            {
                rejection = "ID_MISMATCH";
                return null;
            }
            var subject = type switch
            {
                NotificationType.BlockIdIdv => Text(json, "sessionId"),
                NotificationType.Reconcile => null,
                _ => Text(json, "requestId"),
            };
            if (type != NotificationType.Reconcile && subject is null)
            {
                rejection = "MISSING_SUBJECT";
                return null;
            }
            DateTimeOffset? occurredAt = null;
            if (Text(json, "occurredAt") is { } when)
            {
                if (!DateTimeOffset.TryParse(when, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    rejection = "BAD_TIMESTAMP";
                    return null;
                }
                occurredAt = parsed;
            }
            return new Notification(type.Value, id, subject, occurredAt, json["data"] as JObject);
        }

        private static string? Text(JObject json, string name) =>
            json[name] is JValue { Type: JTokenType.String } value && !string.IsNullOrWhiteSpace((string?)value) ? (string?)value : null;
    }
}
