using System;

namespace OneKosmos.Plugins.Entra
{
    /// <summary>A request Entra created: its id, the deep link the person opens (a bearer link) and when it expires.</summary>
    public sealed class VerifiedIdRequest
    {
        public VerifiedIdRequest(string requestId, string deepLink, DateTimeOffset expiresAt)
        {
            RequestId = requestId;
            DeepLink = deepLink;
            ExpiresAt = expiresAt;
        }

        public string RequestId { get; }

        public string DeepLink { get; }

        /// <value>From the response's <c>expiry</c>: the source of truth for the request's lifetime.</value>
        public DateTimeOffset ExpiresAt { get; }

        public override string ToString() => $"Verified ID request {RequestId}";
    }
}
