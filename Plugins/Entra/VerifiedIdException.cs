using System;
using Microsoft.Xrm.Sdk;

namespace OneKosmos.Plugins.Entra
{
    /// <summary>How a call to Microsoft Entra (token endpoint or Request Service) failed.</summary>
    public enum VerifiedIdFailure
    {
        /// <summary>5xx, timeout, connection: try again later.</summary>
        Transient,
        /// <summary>429 (Entra's transientError): try again after a while.</summary>
        Throttled,
        /// <summary>4xx: retrying will not help; fix the configuration or the request.</summary>
        Rejected,
        /// <summary>An answer that is not what the API documents.</summary>
        Malformed,
    }

    /// <summary>A failed call to Microsoft Entra.</summary>
    /// <remarks>Messages never carry the client secret, the api-key, a token, a PIN, a photo or a deep link.</remarks>
    public sealed class VerifiedIdException : Exception
    {
        public VerifiedIdException(VerifiedIdFailure failure, string message, string? code = null, Exception? inner = null)
            : base(message, inner)
        {
            Failure = failure;
            Code = code;
        }

        public VerifiedIdFailure Failure { get; }

        /// <value>Entra's error code (innererror.code when given, else error.code).</value>
        public string? Code { get; }

        public bool IsRetryable => Failure is VerifiedIdFailure.Transient or VerifiedIdFailure.Throttled;

        /// <summary>Runs a call to Microsoft Entra; its failure reaches the caller as a message that says what happened and what to check.</summary>
        public static T Explained<T>(Func<T> call)
        {
            try
            {
                return call();
            }
            catch (VerifiedIdException exception)
            {
                throw new InvalidPluginExecutionException(exception.Message + (exception.IsRetryable ? "" : " Nothing was started."));
            }
        }
    }
}
