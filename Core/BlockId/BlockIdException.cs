using System;

namespace OneKosmos.Core.BlockId
{
    /// <summary>The four ways a 1Kosmos call can fail; the kind decides whether a start is retried or recorded as failed.</summary>
    public enum BlockIdFailure
    {
        /// <summary>5xx, timeout, connection: try again later.</summary>
        Transient,
        /// <summary>429: try again after <see cref="BlockIdException.RetryAfter"/>.</summary>
        Throttled,
        /// <summary>4xx with 1Kosmos' code and message: retrying will not help; fix the configuration or the request.</summary>
        Rejected,
        /// <summary>A response that cannot be decrypted or parsed: retrying will not help.</summary>
        Malformed,
    }

    /// <summary>A failed 1Kosmos call.</summary>
    /// <remarks>Messages never carry the license key, the DVC id, a capture URL or anything from a result's document.</remarks>
    public sealed class BlockIdException : Exception
    {
        public BlockIdException(BlockIdFailure failure, string message, string? code = null, TimeSpan? retryAfter = null, Exception? inner = null, int? httpStatus = null)
            : base(message, inner)
        {
            Failure = failure;
            Code = code;
            RetryAfter = retryAfter;
            HttpStatus = httpStatus;
        }

        /// <value>The HTTP status 1Kosmos answered with, when it answered.</value>
        public int? HttpStatus { get; }

        public BlockIdFailure Failure { get; }

        /// <value>1Kosmos' own error code, when it gave one.</value>
        public string? Code { get; }

        /// <value>For <see cref="BlockIdFailure.Throttled"/>: how long 1Kosmos asked us to wait, when it said.</value>
        public TimeSpan? RetryAfter { get; }

        public bool IsRetryable => Failure is BlockIdFailure.Transient or BlockIdFailure.Throttled;
    }
}
