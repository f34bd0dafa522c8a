using Microsoft.Xrm.Sdk;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Plugins.UseCases;

namespace OneKosmos.Plugins.Steps
{
    /// <summary>
    /// Pre-operation, synchronous, on Create, Update and Delete of okos_verification and okos_callbackreceipt, and on Create
    /// and Update of contact: refuses a write of identity state that the product did not make (<see cref="IdentityStateGuard"/>).
    /// </summary>
    /// <remarks>Pre-operation, not pre-validation: Microsoft documents ParentContext for stages 20 and 40 only.</remarks>
    public sealed class IdentityStateGuardStep : PluginBase
    {
        protected override string Registration => "Create, Update or Delete of okos_verification or okos_callbackreceipt, or Create or Update of contact";

        protected override bool RunsFor(string message, string table) =>
            (message is "Create" or "Update" or "Delete" && table is Schema.Verification.EntityName or Schema.CallbackReceipt.EntityName)
            || (message is "Create" or "Update" && table == Schema.Contact.EntityName);

        protected override void ExecuteDataversePlugin(LocalPluginContext context)
        {
            if (IdentityStateGuard.Refusal(context.ExecutionContext) is { } refusal)
            {
                context.Trace($"Refused a direct {context.ExecutionContext.MessageName} of {context.ExecutionContext.PrimaryEntityName} by user {context.ExecutionContext.UserId}.");
                throw new InvalidPluginExecutionException(refusal);
            }
        }
    }
}
