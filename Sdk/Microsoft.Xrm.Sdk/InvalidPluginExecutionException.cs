using System;

namespace Microsoft.Xrm.Sdk
{
    /// <remarks>
    /// The one exception type a plug-in may throw back to the platform: Dataverse shows its message to the
    /// user. <see cref="ErrorCode"/> is the exception's HResult, as the official assembly has it: the code given
    /// to the (status, errorCode, message) constructor, else what every exception starts with (COR_E_EXCEPTION);
    /// the platform answers such an exception with IsvAborted (0x80040265).
    /// </remarks>
    [Serializable]
    public sealed class InvalidPluginExecutionException : Exception
    {
        public InvalidPluginExecutionException()
            : this(OperationStatus.Failed, null)
        {
        }

        public InvalidPluginExecutionException(string message)
            : this(OperationStatus.Failed, message)
        {
        }

        public InvalidPluginExecutionException(string message, Exception exception)
            : base(message, exception)
        {
            Status = OperationStatus.Failed;
        }

        public InvalidPluginExecutionException(OperationStatus status)
            : this(status, null)
        {
        }

        public InvalidPluginExecutionException(OperationStatus status, string message)
            : base(message)
        {
            Status = status;
        }

        public InvalidPluginExecutionException(OperationStatus status, int errorCode, string message)
            : base(message)
        {
            Status = status;
            HResult = errorCode;
        }

        public OperationStatus Status { get; }

        public int ErrorCode => HResult;
    }
}
