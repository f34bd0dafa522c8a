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
using OneKosmos.Plugins.Callbacks;
using OneKosmos.Relay.Dispatch;
using OneKosmos.Relay.Queue;

namespace OneKosmos.Relay.Ingress
{
    /// <summary>The ingress's settings; bound from <c>Relay:Ingress</c>.</summary>
    public sealed class IngressOptions
    {
        /// <value>The senders' whsec_ secrets (one per sender, or two while one is rotated).</value>
        public List<string> Secrets { get; set; } = new();
    }

    /// <summary>
    /// <c>POST /callbacks/blockid</c>: checks the sender's Standard Webhooks signature, refuses junk early, and answers 202
    /// only once the raw body is stored in the queue. <c>GET /healthz</c> (alive) and <c>GET /readyz</c> (queue and token).
    /// </summary>
    public static class IngressEndpoints
    {
        /// <value>The largest body accepted, the callback API's own cap: notifications carry ids, not documents.</value>
        public const int MaxBodyBytes = 64 * 1024;

        private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        public static void MapRelayIngress(this IEndpointRouteBuilder routes)
        {
            routes.MapPost("/callbacks/blockid", ReceiveAsync);
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
            if (http.Request.ContentLength > MaxBodyBytes)
            {
                return Refuse(logger, StatusCodes.Status413PayloadTooLarge, $"the body is larger than {MaxBodyBytes / 1024} KB");
            }
            var bytes = await ReadCappedAsync(http.Request.Body, http.RequestAborted);
            if (bytes is null)
            {
                return Refuse(logger, StatusCodes.Status413PayloadTooLarge, $"the body is larger than {MaxBodyBytes / 1024} KB");
            }
            string body;
            try
            {
                body = StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                return Refuse(logger, StatusCodes.Status400BadRequest, "the body is not valid UTF-8");
            }
            var id = http.Request.Headers["webhook-id"].ToString();
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
            if (Route(body, id) is not { } route)
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
        internal static (MessageKind Kind, string? OrderingKey)? Route(string body, string messageId)
        {
            try
            {
                using var json = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
                var root = json.RootElement;
                if (root.ValueKind != JsonValueKind.Object || Text(root, "type") is not { } type || Text(root, "id") != messageId)
                {
                    return null;
                }
                if (type == "reconcile")
                {
                    return (MessageKind.Reconcile, null);
                }
                var subject = Text(root, "sessionId") ?? Text(root, "requestId");
                return subject is null ? null : (MessageKind.Callback, subject);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private static string? Text(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

        private static async Task<byte[]?> ReadCappedAsync(Stream body, CancellationToken cancellation)
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[8192];
            int read;
            while ((read = await body.ReadAsync(chunk, cancellation)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes)
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
