using Microsoft.Xrm.Sdk;

namespace OneKosmos.Sandbox.Dataverse.Messages
{
    /// <summary>
    /// RetrievePrincipalAccess: the rights a user holds on one row (Target, Principal → AccessRights), from their roles and
    /// the row's owner. Sharing is not modelled: a right comes only from a role.
    /// </summary>
    internal sealed class RetrievePrincipalAccessHandler : IMessageHandler
    {
        public OrganizationResponse Handle(OrganizationRequest request, MessageContext context)
        {
            var target = Parameter.Required<EntityReference>(request, "Target");
            var principal = Parameter.Required<EntityReference>(request, "Principal");
            if (principal.LogicalName != "systemuser")
            {
                throw DataverseFaults.InvalidArgument($"RetrievePrincipalAccess is modelled for users only, not for a {principal.LogicalName}.");
            }
            var row = context.Rows.Locate(target.LogicalName, target.Id, target.KeyAttributes);
            return new OrganizationResponse { ResponseName = "RetrievePrincipalAccess", ["AccessRights"] = context.Access.RightsOf(principal.Id, row) };
        }
    }
}
