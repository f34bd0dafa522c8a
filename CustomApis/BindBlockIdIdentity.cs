using Microsoft.Xrm.Sdk;
using OneKosmos.Core.Verification;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Plugins.Steps;

namespace OneKosmos.CustomApis
{
    /// <summary>
    /// okos_BindBlockIdIdentity: a Verification Administrator binds the BlockID DID a person presented to a contact (after
    /// checking it is them, when 1Kosmos' evidence could not), or clears the binding; the reason goes on the timeline.
    /// </summary>
    public sealed class BindBlockIdIdentity : CustomApi
    {
        protected override void ExecuteDataversePlugin(LocalPluginContext context)
        {
            var contact = ApiContract.ReadableContact(context, ApiContract.Optional<EntityReference>(context, "Subject")
                ?? throw new InvalidPluginExecutionException("Subject is required: pass the contact whose BlockID identity to bind.")).ToEntityReference();
            var reason = ApiContract.Optional<string>(context, "Reason")?.Trim();
            if (string.IsNullOrEmpty(reason))
            {
                throw new InvalidPluginExecutionException("Reason is required: say how you established that the DID is this person's. It is recorded on the contact's timeline.");
            }
            var did = ApiContract.Optional<string>(context, "Did")?.Trim();
            var now = new ProductServices(context).Clock.UtcNow;
            if (string.IsNullOrEmpty(did))
            {
                IdentityBinding.Clear(context.SystemService, contact, reason!);
            }
            else
            {
                IdentityBinding.Bind(context.SystemService, contact, IdentityBinding.RequireDid(did!), BindingEvidence.AdministratorRebind, now, reason);
            }
            context.Trace($"Contact {contact.Id}: BlockID identity {(string.IsNullOrEmpty(did) ? "cleared" : "bound")} by user {context.ExecutionContext.UserId}.");
            context.ExecutionContext.OutputParameters["BoundDid"] = did ?? "";
            context.ExecutionContext.OutputParameters["BindingEvidence"] = string.IsNullOrEmpty(did) ? "" : BindingEvidence.AdministratorRebind.ToString();
        }
    }
}
