using Microsoft.Xrm.Sdk;
using OneKosmos.Plugins.Steps;
using OneKosmos.Plugins.UseCases;

namespace OneKosmos.CustomApis
{
    /// <summary>
    /// okos_RequestStepUp: asks a contact to prove it is them again before a sensitive action (<see cref="StepUpRequester"/>).
    /// Method LiveId (the default) or VerifiedIdFaceCheck; AlreadyFresh when a step-up within okos_StepUpMaxAgeMinutes exists.
    /// </summary>
    public sealed class RequestStepUp : CustomApi
    {
        protected override void ExecuteDataversePlugin(LocalPluginContext context)
        {
            var regarding = ApiContract.Regarding(context);
            var contact = ApiContract.SubjectOf(context, regarding);
            var reason = ApiContract.Optional<string>(context, "Reason");
            if (string.IsNullOrWhiteSpace(reason))
            {
                throw new InvalidPluginExecutionException("Reason is required: say why the step-up is needed (for example 'Refund above 10,000'). It is shown on the contact's timeline.");
            }
            var faceCheck = ApiContract.WantsFaceCheck(context);
            var services = new ProductServices(context);
            var settings = services.Settings();
            var linkToContactOnly = ApiContract.SendsLinkToContact(context);
            if (linkToContactOnly && faceCheck)
            {
                throw new InvalidPluginExecutionException("SendLinkToContact applies to LiveID: a Face Check request is shown as a QR code by whoever asks. Use Method LiveId, or call without SendLinkToContact.");
            }
            var request = new StartRequest(contact, settings.SessionTtlMinutes, context.ExecutionContext.CorrelationId) { Regarding = regarding, Why = reason, LinkToContactOnly = linkToContactOnly };
            var result = Plugins.Entra.VerifiedIdException.Explained(() => services.StepUp().Request(request, faceCheck, settings.StepUpMaxAgeMinutes));
            context.Trace(result.AlreadyFresh
                ? $"Contact {contact.Id} stepped up within {settings.StepUpMaxAgeMinutes} min: nothing started."
                : $"Step-up for contact {contact.Id} as {result.Journey}: {result.Attempt.Outcome}, verification {result.Attempt.VerificationId}.");
            ApiContract.WriteAttempt(context, result.Attempt);
            context.ExecutionContext.OutputParameters["AlreadyFresh"] = result.AlreadyFresh;
            context.ExecutionContext.OutputParameters["Journey"] = result.Journey.ToString();
        }
    }
}
