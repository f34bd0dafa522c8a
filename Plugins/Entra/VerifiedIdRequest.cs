using System;

namespace OneKosmos.Plugins.Entra
{
    /// <summary>A request Entra created: its id, the deep link the person opens (a bearer link) and when it expires.</summary>
    public sealed class VerifiedIdRequest(string requestId, string deepLink, DateTimeOffset expiresAt)
    {
        public string RequestId { get; } = requestId;

        public string DeepLink { get; } = deepLink;

        /// <value>From the response's <c>expiry</c>: the source of truth for the request's lifetime.</value>
        public DateTimeOffset ExpiresAt { get; } = expiresAt;

        public override string ToString() => $"Verified ID request {RequestId}";
    }
}
