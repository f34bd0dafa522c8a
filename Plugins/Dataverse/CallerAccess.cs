using System;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace OneKosmos.Plugins.Dataverse
{
    /// <summary>
    /// What the calling user may do with a record they name. The product writes as SYSTEM, so a reference a caller passes
    /// (Regarding) is checked against the caller's own rights before anything is written about it.
    /// </summary>
    public static class CallerAccess
    {
        /// <summary>AccessRights.AppendToAccess (learn.microsoft.com/dotnet/api/microsoft.crm.sdk.messages.accessrights).</summary>
        private const int AppendToAccess = 16;

        /// <summary>
        /// Faults unless the caller can read <paramref name="record"/> and append a note to it: what Dataverse would demand if
        /// the caller wrote the note themselves.
        /// </summary>
        /// <remarks>
        /// The read is made as the caller (it is the read check); the append-to right comes from RetrievePrincipalAccess
        /// (learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/retrieveprincipalaccess), asked as SYSTEM
        /// about the caller, because the caller need not be allowed to read other users' rights.
        /// </remarks>
        /// <exception cref="InvalidPluginExecutionException">The caller cannot read the record or append to it.</exception>
        public static void RequireAppendTo(IOrganizationService userService, IOrganizationService systemService, Guid callerId, EntityReference record, string parameter)
        {
            RequireRead(userService, record, $"{parameter} ({record.LogicalName} {record.Id}) does not exist or you may not read it. Pass a record you can open, or leave {parameter} empty.");
            var response = systemService.Execute(new OrganizationRequest("RetrievePrincipalAccess")
            {
                ["Target"] = record,
                ["Principal"] = new EntityReference("systemuser", callerId),
            });
            if ((Convert.ToInt32(response["AccessRights"]) & AppendToAccess) == 0)
            {
                throw new InvalidPluginExecutionException(
                    $"{parameter} ({record.LogicalName} {record.Id}) is a record you may read but not add notes to (your roles lack Append To on it). Ask its owner, or leave {parameter} empty.");
            }
        }

        /// <summary>Faults with <paramref name="refusal"/> unless <paramref name="userService"/>'s user may read <paramref name="record"/>.</summary>
        /// <exception cref="InvalidPluginExecutionException">The record does not exist, or the user may not read it.</exception>
        public static void RequireRead(IOrganizationService userService, EntityReference record, string refusal)
        {
            try
            {
                userService.Retrieve(record.LogicalName, record.Id, new ColumnSet(false));
            }
            catch (FaultException<OrganizationServiceFault>)
            {
                throw new InvalidPluginExecutionException(refusal);
            }
        }
    }
}
