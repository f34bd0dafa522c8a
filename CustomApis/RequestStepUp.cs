using System;
using Microsoft.Xrm.Sdk;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Plugins.Steps;
using OneKosmos.Plugins.Verification;

namespace OneKosmos.CustomApis
{
    /// <summary>
    /// okos_RequestStepUp: asks a contact to prove it is them again before a sensitive action. Nothing starts while a
    /// step-up within okos_StepUpMaxAgeMinutes exists (AlreadyFresh); a contact not enrolled in LiveID gets identity
    /// proofing (document and selfie) instead, and Journey says which.
    /// </summary>
    public sealed class RequestStepUp : PluginBase
    {
        protected override void ExecuteDataversePlugin(LocalPluginContext context)
        {
            var subject = ApiContract.Subject(context);
            var regarding = ApiContract.Optional<EntityReference>(context, "Regarding");
            var reason = ApiContract.Optional<string>(context, "Reason");
            if (string.IsNullOrWhiteSpace(reason))
            {
                throw new InvalidPluginExecutionException("Reason is required: say why the step-up is needed (for example 'Refund above 10,000'). It is shown on the contact's timeline.");
            }
            var services = new ProductServices(context);
            var settings = services.Settings();
            var outputs = context.ExecutionContext.OutputParameters;
            var latest = VerifiedCheck.LatestStepUp(context.SystemService, subject.Id);
            var lastStepUpAt = latest?.GetAttributeValue<DateTime?>(Schema.Verification.LastStepUpAt);
            if (latest is not null && StatusPolicy.IsStepUpFresh(DataverseTime.Utc(lastStepUpAt), settings.StepUpMaxAgeMinutes, services.Clock.UtcNow))
            {
                context.Trace($"Contact {subject.Id} stepped up within {settings.StepUpMaxAgeMinutes} min: nothing started.");
                ApiContract.WriteAttempt(context, latest.Id, reused: true);
                outputs["AlreadyFresh"] = true;
                outputs["Journey"] = Journey.LiveIdStepUp.ToString();
                return;
            }
            var journey = VerifiedCheck.IsLiveIdEnrolled(context.SystemService, subject.Id) ? Journey.LiveIdStepUp : Journey.IdentityProofing;
            var contact = ContactSnapshot.Read(context.SystemService, subject.Id);
            var result = services.Starter().Start(journey, contact, settings.SessionTtlMinutes, context.ExecutionContext.CorrelationId, regarding, reason);
            context.Trace($"Step-up for contact {contact.Id} as {journey}: {result.Outcome}, verification {result.VerificationId}.");
            ApiContract.WriteAttempt(context, result.VerificationId, result.Outcome == StartOutcome.Reused);
            outputs["AlreadyFresh"] = false;
            outputs["Journey"] = journey.ToString();
        }
    }
}
