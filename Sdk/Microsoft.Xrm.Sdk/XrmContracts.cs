namespace Microsoft.Xrm.Sdk
{
    /// <summary>The data contract namespaces of the official SDK: what its types are called on the wire (SOAP, serialized contexts).</summary>
    internal static class XrmContracts
    {
        public const string Namespace = "http://schemas.microsoft.com/xrm/2011/Contracts";

        /// <summary>Alternate keys came with version 7.1 of the contracts, and their collection keeps that namespace.</summary>
        public const string Namespace71 = "http://schemas.microsoft.com/xrm/7.1/Contracts";
    }
}
