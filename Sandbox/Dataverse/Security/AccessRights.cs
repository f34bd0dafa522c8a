using System;

namespace OneKosmos.Sandbox.Dataverse.Security
{
    /// <summary>
    /// The rights RetrievePrincipalAccess returns, with the values of the platform's Microsoft.Crm.Sdk.Messages.AccessRights
    /// (that enum lives in Microsoft.Crm.Sdk.Proxy, which the sandbox does not have). Code reading the response converts
    /// the value to an integer, which reads both enums alike.
    /// </summary>
    /// <remarks>Values: learn.microsoft.com/dotnet/api/microsoft.crm.sdk.messages.accessrights.</remarks>
    [Flags]
    public enum AccessRights
    {
        None = 0,
        ReadAccess = 1,
        WriteAccess = 2,
        AppendAccess = 4,
        AppendToAccess = 16,
        CreateAccess = 32,
        DeleteAccess = 65536,
        ShareAccess = 262144,
        AssignAccess = 524288,
        All = ReadAccess | WriteAccess | AppendAccess | AppendToAccess | CreateAccess | DeleteAccess | ShareAccess | AssignAccess,
    }
}
