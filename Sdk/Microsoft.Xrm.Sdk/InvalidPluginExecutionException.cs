using System;

namespace Microsoft.Xrm.Sdk
{
    /// <remarks>
    /// The one exception type a plug-in may throw back to the platform: Dataverse shows its message to the
    /// user. Error code -2147220891 (0x80040265, IsvAborted) unless another is given.
    /// </remarks>
    [Serializable]
    public sealed class InvalidPluginExecutionException : Exception
    {
        private const int IsvAborted = -2147220891;

        public InvalidPluginExecutionException()
            : this(OperationStatus.Failed, IsvAborted, null)
        {
        }

        public InvalidPluginExecutionException(string message)
            : this(OperationStatus.Failed, IsvAborted, message)
        {
        }

        public InvalidPluginExecutionException(string message, Exception exception)
            : base(message, exception)
        {
            Status = OperationStatus.Failed;
            ErrorCode = IsvAborted;
        }

        public InvalidPluginExecutionException(OperationStatus status)
            : this(status, IsvAborted, null)
        {
        }

        public InvalidPluginExecutionException(OperationStatus status, string message)
            : this(status, IsvAborted, message)
        {
        }

        public InvalidPluginExecutionException(OperationStatus status, int errorCode, string message)
            : base(message)
        {
            Status = status;
            ErrorCode = errorCode;
        }

        public OperationStatus Status { get; }

        public int ErrorCode { get; }
    }
}
