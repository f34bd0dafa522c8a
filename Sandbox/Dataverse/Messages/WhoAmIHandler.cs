using System;
using Microsoft.Xrm.Sdk;

namespace OneKosmos.Sandbox.Dataverse.Messages
{
    /// <summary>
    /// WhoAmI (→ UserId, BusinessUnitId, OrganizationId): the caller's own ids, how a flow learns the user its connection
    /// signs in as (learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/whoami).
    /// </summary>
    internal sealed class WhoAmIHandler(Guid organizationId) : IMessageHandler
    {
        public OrganizationResponse Handle(OrganizationRequest request, MessageContext context)
        {
            var user = context.Rows.Locate("systemuser", context.CallerId, null);
            return new OrganizationResponse
            {
                ResponseName = "WhoAmI",
                ["UserId"] = context.CallerId,
                ["BusinessUnitId"] = user.GetAttributeValue<EntityReference>("businessunitid")?.Id ?? Guid.Empty,
                ["OrganizationId"] = organizationId,
            };
        }
    }
}
