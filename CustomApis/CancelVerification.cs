using System;
using Microsoft.Xrm.Sdk;
using OneKosmos.Plugins.Steps;
using OneKosmos.Plugins.UseCases;

namespace OneKosmos.CustomApis
{
    /// <summary>
    /// okos_CancelVerification: ends a contact's pending attempt (a link sent to the wrong address, a capture abandoned) as
    /// Failed with CANCELLED, so no later answer for it counts; the reason goes on the timeline. Anyone who may start one may
    /// cancel one, for a contact they can read.
    /// </summary>
    public sealed class CancelVerification : CustomApi
    {
        protected override void ExecuteDataversePlugin(LocalPluginContext context)
        {
            var contact = ApiContract.ReadableContact(context, ApiContract.Optional<EntityReference>(context, "Subject")
                ?? throw new InvalidPluginExecutionException("Subject is required: pass the contact whose verification to cancel.")).ToEntityReference();
            var verificationId = context.ExecutionContext.InputParameters.TryGetValue("VerificationId", out var value) && value is Guid id && id != Guid.Empty
                ? id
                : throw new InvalidPluginExecutionException("VerificationId is required: pass the pending attempt's id (okos_verificationid).");
            var services = new ProductServices(context);
            var transition = new VerificationCanceller(context.SystemService, services.Clock)
                .Cancel(verificationId, contact, $"user {context.ExecutionContext.InitiatingUserId}", ApiContract.Optional<string>(context, "Reason"));
            context.Trace($"Verification {verificationId} of contact {contact.Id}: {transition.Reason}.");
            context.ExecutionContext.OutputParameters["Cancelled"] = transition.Changed;
            context.ExecutionContext.OutputParameters["Status"] = transition.After.Status.ToString();
        }
    }
}
