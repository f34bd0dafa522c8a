using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using OneKosmos.Core.Callbacks;
using OneKosmos.Relay.Dispatch;
using OneKosmos.Relay.Queue;

namespace OneKosmos.Relay.Ingress
{
    /// <summary>The ingress's settings; bound from <c>Relay:Ingress</c>.</summary>
    public sealed class IngressOptions
    {
        /// <value>The senders' whsec_ secrets (one per sender, or two while one is rotated).</value>
        public List<string> Secrets { get; set; } = new();

        /// <value>
        /// The api-key(s) Microsoft Entra Verified ID sends on its callbacks: the connection row's Entra Callback API Key (two
        /// while it is rotated). Empty: <c>/callbacks/entra</c> refuses everything.
        /// </value>
        public List<string> EntraApiKeys { get; set; } = new();
    }

    /// <summary>
    /// <c>POST /callbacks/blockid</c>: checks the sender's Standard Webhooks signature, takes only the sender's own kinds of
    /// notification (never an Entra one, nor an id in Entra's namespace), refuses junk early, and answers 202 only once the
    /// raw body is stored in the queue. <c>GET /healthz</c> (alive) and <c>GET /readyz</c> (queue and token).
    /// </summary>
    public static class IngressEndpoints
    {
        /// <value>The largest body accepted, the callback API's own cap: notifications carry ids, not documents.</value>
        public const int MaxBodyBytes = 64 * 1024;

        private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        /// <value>
        /// What a holder of an ingress secret (1Kosmos, a portal, another system) may send. Entra's notifications are made
        /// by this relay from Entra's own callbacks only, so an ingress secret can never forge or pre-empt one.
        /// </value>
        private static readonly string[] SenderTypes = { "blockid.idv", "reconcile" };

        public static void MapRelayIngress(this IEndpointRouteBuilder routes)
        {
            routes.MapPost("/callbacks/blockid", ReceiveAsync);
            routes.MapPost("/callbacks/entra", ReceiveEntraAsync);
            routes.MapGet("/healthz", () => Results.Ok(new { status = "alive" }));
            routes.MapGet("/readyz", ReadyAsync);
        }

        private static async Task<IResult> ReceiveAsync(HttpContext http, IRelayQueue queue, IngressOptions options, RelayMetrics metrics, TimeProvider clock, ILogger<IngressOptions> logger)
        {
            var correlationId = Guid.NewGuid().ToString("N");
            using var scope = logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = correlationId });
            metrics.Received.Add(1, new KeyValuePair<string, object?>("source", "ingress"));
            if (!string.Equals(http.Request.ContentType?.Split(';')[0].Trim(), "application/json", StringComparison.OrdinalIgnoreCase))
            {
                return Refuse(logger, StatusCodes.Status415UnsupportedMediaType, "the body must be application/json");
            }
            var (body, refusal) = await ReadBodyAsync(http, MaxBodyBytes, logger);
            if (refusal is not null)
            {
                return refusal;
            }
            var id = http.Request.Headers["webhook-id"].ToString();
            var timestamp = http.Request.Headers["webhook-timestamp"].ToString();
            if (timestamp.Length > 0 && !WebhookSignature.IsTimestamp(timestamp))
            {
                return Refuse(logger, StatusCodes.Status400BadRequest, "webhook-timestamp is not a Unix time in seconds");
            }
            var check = WebhookSignature.Verify(options.Secrets, id, http.Request.Headers["webhook-timestamp"], http.Request.Headers["webhook-signature"], body, clock.GetUtcNow());
            if (check != SignatureCheck.Valid)
            {
                return Refuse(logger, StatusCodes.Status401Unauthorized, check switch
                {
                    SignatureCheck.Malformed => "the webhook-id, webhook-timestamp and webhook-signature headers are missing or malformed",
                    SignatureCheck.Stale => "webhook-timestamp is more than 5 minutes old",
                    SignatureCheck.Future => "webhook-timestamp is more than 5 minutes ahead",
                    _ => "webhook-signature does not match",
                });
            }
            if (id.StartsWith(EntraCallback.MessageIdPrefix, StringComparison.Ordinal))
            {
                return Refuse(logger, StatusCodes.Status400BadRequest, $"message ids starting {EntraCallback.MessageIdPrefix} belong to Microsoft Entra's callbacks, which arrive at /callbacks/entra");
            }
            var envelope = EnvelopeOf(body);
            if (envelope?.Type is { } type && !SenderTypes.Contains(type))
            {
                return Refuse(logger, StatusCodes.Status400BadRequest, $"this route takes {string.Join(" and ", SenderTypes)} notifications; {type} is not one (Microsoft Entra's callbacks arrive at /callbacks/entra)");
            }
            if (RouteOf(envelope, id) is not { } route)
            {
                return Refuse(logger, StatusCodes.Status400BadRequest, "the body is not a notification: a JSON object with type, id (equal to webhook-id) and a sessionId or requestId");
            }
            var message = new RelayMessage(id, route.Kind, route.OrderingKey, body, clock.GetUtcNow(), correlationId);
            if (await queue.EnqueueAsync(message, http.RequestAborted))
            {
                metrics.Enqueued.Add(1);
            }
            logger.LogInformation("Accepted {MessageId} ({Kind}).", id, route.Kind);
            return Results.Accepted(value: new { messageId = id, correlationId });
        }

        /// <summary>
        /// <c>POST /callbacks/entra</c>: Microsoft Entra Verified ID's callback, authenticated by the api-key header we set
        /// on the request (constant-time compare; 401 and nothing queued when it is wrong or missing). Entra's body is read
        /// strictly and only what a decision needs is queued, as an entra.* notification whose id is derived from the
        /// request id and status: a repeated callback is the same message.
        /// </summary>
        private static async Task<IResult> ReceiveEntraAsync(HttpContext http, IRelayQueue queue, IngressOptions options, RelayMetrics metrics, TimeProvider clock, ILogger<IngressOptions> logger)
        {
            var correlationId = Guid.NewGuid().ToString("N");
            using var scope = logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = correlationId });
            metrics.Received.Add(1, new KeyValuePair<string, object?>("source", "entra"));
            if (!HasApiKey(options.EntraApiKeys, http.Request.Headers["api-key"].ToString()))
            {
                return Refuse(logger, StatusCodes.Status401Unauthorized, options.EntraApiKeys.Count == 0
                    ? "this relay has no Entra api-key configured (Relay:Ingress:EntraApiKeys)"
                    : "the api-key header is missing or wrong");
            }
            if (!string.Equals(http.Request.ContentType?.Split(';')[0].Trim(), "application/json", StringComparison.OrdinalIgnoreCase))
            {
                return Refuse(logger, StatusCodes.Status415UnsupportedMediaType, "the body must be application/json");
            }
            var (body, refusal) = await ReadBodyAsync(http, EntraCallback.MaxBodyBytes, logger);
            if (refusal is not null)
            {
                return refusal;
            }
            var callback = EntraCallback.Parse(body, out var reason);
            if (callback is null)
            {
                return Refuse(logger, StatusCodes.Status400BadRequest, reason switch
                {
                    "UNKNOWN_STATE" => "state is not one this product sets",
                    "UNKNOWN_STATUS" => "requestStatus is not one Entra documents for this kind of request",
                    "MISSING_FIELDS" => "requestId, requestStatus and state are required",
                    "BAD_SCORE" => "the Face Check score is not a number from 0 to 100",
                    _ => "the body is not a JSON object",
                });
            }
            var id = callback.MessageId();
            var message = new RelayMessage(id, MessageKind.Callback, callback.RequestId, callback.ToNotification(clock.GetUtcNow()), clock.GetUtcNow(), correlationId);
            if (await queue.EnqueueAsync(message, http.RequestAborted))
            {
                metrics.Enqueued.Add(1);
            }
            logger.LogInformation("Accepted {MessageId} (Entra {Status}).", id, callback.RequestStatus);
            return Results.Accepted(value: new { messageId = id, correlationId });
        }

        private static bool HasApiKey(IReadOnlyList<string> keys, string presented)
        {
            var given = Encoding.UTF8.GetBytes(presented);
            var matched = false;
            foreach (var key in keys)
            {
                matched |= key.Length > 0 && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), given);
            }
            return matched && presented.Length > 0;
        }

        private static async Task<(string Body, IResult? Refusal)> ReadBodyAsync(HttpContext http, int maxBytes, ILogger logger)
        {
            if (http.Request.ContentLength > maxBytes)
            {
                return ("", Refuse(logger, StatusCodes.Status413PayloadTooLarge, $"the body is larger than {maxBytes / 1024} KB"));
            }
            var bytes = await ReadCappedAsync(http.Request.Body, maxBytes, http.RequestAborted);
            if (bytes is null)
            {
                return ("", Refuse(logger, StatusCodes.Status413PayloadTooLarge, $"the body is larger than {maxBytes / 1024} KB"));
            }
            try
            {
                return (StrictUtf8.GetString(bytes), null);
            }
            catch (DecoderFallbackException)
            {
                return ("", Refuse(logger, StatusCodes.Status400BadRequest, "the body is not valid UTF-8"));
            }
        }

        private static async Task<IResult> ReadyAsync(IRelayQueue queue, ITokenSource tokens, CancellationToken cancellation)
        {
            try
            {
                await queue.DepthAsync(cancellation);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                return Results.Json(new { status = "not ready", reason = "the queue cannot be read" }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            try
            {
                await tokens.GetTokenAsync(cancellation);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                return Results.Json(new { status = "not ready", reason = "no Dataverse token can be obtained" }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            return Results.Ok(new { status = "ready" });
        }

        /// <summary>What kind of message a body is and which session orders it; null for a body that is no notification.</summary>
        internal static (MessageKind Kind, string? OrderingKey)? Route(string body, string messageId) => RouteOf(EnvelopeOf(body), messageId);

        private static (MessageKind Kind, string? OrderingKey)? RouteOf(Envelope? envelope, string messageId)
        {
            if (envelope is not { Type: { } type } || envelope.Id != messageId)
            {
                return null;
            }
            if (type == "reconcile")
            {
                return (MessageKind.Reconcile, null);
            }
            return envelope.Subject is null ? null : (MessageKind.Callback, envelope.Subject);
        }

        /// <summary>The notification's type, id and session or request id, read once; null for a body that is no JSON object.</summary>
        private static Envelope? EnvelopeOf(string body)
        {
            try
            {
                using var json = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
                var root = json.RootElement;
                return root.ValueKind != JsonValueKind.Object ? null : new Envelope(Text(root, "type"), Text(root, "id"), Text(root, "sessionId") ?? Text(root, "requestId"));
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private sealed record Envelope(string? Type, string? Id, string? Subject);

        private static string? Text(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

        private static async Task<byte[]?> ReadCappedAsync(Stream body, int maxBytes, CancellationToken cancellation)
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[8192];
            int read;
            while ((read = await body.ReadAsync(chunk, cancellation)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return null;
                }
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }

        private static IResult Refuse(ILogger logger, int status, string reason)
        {
            logger.LogWarning("Refused a delivery ({Status}): {Reason}.", status, reason);
            return Results.Json(new { error = reason }, statusCode: status);
        }
    }
}
