using System;
using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk
{
    public class OrganizationRequest : IExtensibleDataObject
    {
        private ParameterCollection _parameters = new ParameterCollection();

        public OrganizationRequest()
        {
        }

        public OrganizationRequest(string requestName)
        {
            RequestName = requestName;
        }

        public string RequestName { get; set; }

        /// <remarks>Reading a parameter that was never set throws KeyNotFoundException, as the official assembly does.</remarks>
        public object this[string parameterName]
        {
            get => _parameters[parameterName];
            set => _parameters[parameterName] = value;
        }

        public ParameterCollection Parameters
        {
            get => _parameters;
            set => _parameters = value ?? new ParameterCollection();
        }

        public Guid? RequestId { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }
    }

    public class OrganizationResponse : IExtensibleDataObject
    {
        private ParameterCollection _results = new ParameterCollection();

        public string ResponseName { get; set; }

        /// <remarks>Reading a result that was never set throws KeyNotFoundException, as the official assembly does.</remarks>
        public object this[string parameterName]
        {
            get => _results[parameterName];
            set => _results[parameterName] = value;
        }

        public ParameterCollection Results
        {
            get => _results;
            set => _results = value ?? new ParameterCollection();
        }

        public ExtensionDataObject ExtensionData { get; set; }
    }

    public sealed class ExecuteMultipleSettings : IExtensibleDataObject
    {
        public bool ContinueOnError { get; set; }

        public bool ReturnResponses { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }
    }

    public sealed class ExecuteMultipleResponseItem : IExtensibleDataObject
    {
        public int RequestIndex { get; set; }

        public OrganizationResponse Response { get; set; }

        public OrganizationServiceFault Fault { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }
    }
}
