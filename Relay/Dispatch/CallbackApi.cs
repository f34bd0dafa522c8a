using System;
using System.Threading;
using System.Threading.Tasks;

namespace OneKosmos.Relay.Dispatch
{
    /// <summary>How Dataverse answered one delivery.</summary>
    public enum AnswerKind
    {
        /// <summary>The API answered with an outcome (Applied, Duplicate, Ignored, Rejected; Reconciled for reconcile).</summary>
        Outcome,
        /// <summary>429 or 503: try again after the time Dataverse gave.</summary>
        Throttled,
        /// <summary>Anything else: the API failed (1Kosmos unreachable, Dataverse down, a timeout). Retried with back-off.</summary>
        Failed,
    }

    /// <summary>Dataverse's answer. <c>Detail</c> is for logs: a status code or Dataverse's error code and message, never a body the relay sent.</summary>
    /// <remarks><c>LimitReached</c>: throttled by a service protection limit (429), not by a busy server (503); the relay paces itself by it.</remarks>
    public sealed record ApiAnswer(AnswerKind Kind, string Outcome = "", string ReasonCode = "", TimeSpan? RetryAfter = null, string Detail = "", bool LimitReached = false)
    {
        public static ApiAnswer Answered(string outcome, string reasonCode) => new(AnswerKind.Outcome, outcome, reasonCode);
    }

    /// <summary>The two custom APIs the dispatcher calls.</summary>
    public interface ICallbackApi
    {
        /// <summary>okos_ProcessVerificationCallback with the raw body and freshly signed Standard Webhooks values.</summary>
        Task<ApiAnswer> ProcessAsync(string payload, string messageId, string timestamp, string signature, CancellationToken cancellation);

        /// <summary>okos_ReconcileVerifications with its defaults.</summary>
        Task<ApiAnswer> ReconcileAsync(CancellationToken cancellation);
    }

    /// <summary>A bearer token for the Dataverse Web API.</summary>
    public interface ITokenSource
    {
        Task<string> GetTokenAsync(CancellationToken cancellation);
    }
}
