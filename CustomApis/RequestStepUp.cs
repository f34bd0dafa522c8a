using System;
using Microsoft.Xrm.Sdk;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Plugins.Steps;
using OneKosmos.Core.Verification;

namespace OneKosmos.CustomApis
{
    /// <summary>
    /// okos_RequestStepUp: asks a contact to prove it is them again before a sensitive action. Nothing starts while a
    /// step-up within okos_StepUpMaxAgeMinutes exists (AlreadyFresh). Method LiveId (the default): a contact not enrolled
    /// in LiveID gets identity proofing (document and selfie) instead, and Journey says which. Method VerifiedIdFaceCheck:
    /// the person presents their Verified ID credential with Face Check in Microsoft Authenticator.
    /// </summary>
    public sealed class RequestStepUp : PluginBase
    {
        protected override void ExecuteDataversePlugin(LocalPluginContext context)
        {
            var contact = ApiContract.Subject(context);
            var regarding = ApiContract.Optional<EntityReference>(context, "Regarding");
            var reason = ApiContract.Optional<string>(context, "Reason");
            if (string.IsNullOrWhiteSpace(reason))
            {
                throw new InvalidPluginExecutionException("Reason is required: say why the step-up is needed (for example 'Refund above 10,000'). It is shown on the contact's timeline.");
            }
            var faceCheck = ApiContract.WantsFaceCheck(context);
            var services = new ProductServices(context);
            var settings = services.Settings();
            var outputs = context.ExecutionContext.OutputParameters;
            var latest = VerifiedCheck.LatestStepUp(context.SystemService, contact.Id);
            var lastStepUpAt = latest?.GetAttributeValue<DateTime?>(Schema.Verification.LastStepUpAt);
            if (latest is not null && StepUpFreshness.IsFresh(DataverseTime.Utc(lastStepUpAt), settings.StepUpMaxAgeMinutes, services.Clock.UtcNow))
            {
                context.Trace($"Contact {contact.Id} stepped up within {settings.StepUpMaxAgeMinutes} min: nothing started.");
                ApiContract.WriteAttempt(context, new StartResult(StartOutcome.Reused, latest.Id, latest.GetAttributeValue<string>(Schema.Verification.SessionId) ?? "",
                    VerificationStatus.Verified, DataverseTime.Utc(latest.GetAttributeValue<DateTime?>(Schema.Verification.ExpiresAt))));
                outputs["AlreadyFresh"] = true;
                outputs["Journey"] = (faceCheck ? Journey.VerifiedIdFaceCheck : Journey.LiveIdStepUp).ToString();
                return;
            }
            Journey journey;
            StartResult result;
            if (faceCheck)
            {
                journey = Journey.VerifiedIdFaceCheck;
                result = ApiContract.CallingEntra(() => services.VerifiedId().StartFaceCheck(contact, context.ExecutionContext.CorrelationId, regarding, reason!.Trim()));
            }
            else
            {
                journey = VerifiedCheck.IsLiveIdEnrolled(context.SystemService, contact.Id) ? Journey.LiveIdStepUp : Journey.IdentityProofing;
                result = services.Starter().Start(journey, contact, settings.SessionTtlMinutes, context.ExecutionContext.CorrelationId, regarding, reason);
            }
            context.Trace($"Step-up for contact {contact.Id} as {journey}: {result.Outcome}, verification {result.VerificationId}.");
            ApiContract.WriteAttempt(context, result);
            outputs["AlreadyFresh"] = false;
            outputs["Journey"] = journey.ToString();
        }
    }
}
