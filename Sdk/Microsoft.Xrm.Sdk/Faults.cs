using System;
using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk
{
    public abstract class BaseServiceFault : IExtensibleDataObject
    {
        private ErrorDetailCollection _errorDetails = new ErrorDetailCollection();

        public Guid ActivityId { get; set; }

        public int ErrorCode { get; set; }

        public ErrorDetailCollection ErrorDetails
        {
            get => _errorDetails;
            set => _errorDetails = value ?? new ErrorDetailCollection();
        }

        public string Message { get; set; }

        public DateTime Timestamp { get; set; }

        public string HelpLink { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }
    }

    public class OrganizationServiceFault : BaseServiceFault
    {
        public string TraceText { get; set; }

        public OrganizationServiceFault InnerFault { get; set; }

        public override string ToString() => $"{ErrorCode} (0x{ErrorCode:X8}): {Message}";
    }
}
