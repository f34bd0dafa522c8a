using Microsoft.Xrm.Sdk;
using OneKosmos.Core.Verification;
using OneKosmos.Plugins.Steps;
using OneKosmos.Plugins.UseCases;

namespace OneKosmos.CustomApis
{
    /// <summary>
    /// okos_StartVerification: starts identity proofing or a LiveID step-up for a contact, or returns the attempt already
    /// open for that contact and journey (Reused). Safe to call twice.
    /// </summary>
    public sealed class StartVerification : CustomApi
    {
        protected override void ExecuteDataversePlugin(LocalPluginContext context)
        {
            var regarding = ApiContract.Regarding(context);
            var contact = ApiContract.SubjectOf(context, regarding);
            var journey = ApiContract.JourneyInput(context, Journey.IdentityProofing);
            var services = new ProductServices(context);
            var request = new StartRequest(contact, services.Settings().SessionTtlMinutes, context.ExecutionContext.CorrelationId)
            {
                Regarding = regarding,
                LinkToContactOnly = ApiContract.SendsLinkToContact(context),
            };
            var result = services.Starter().Start(journey, request);
            context.Trace($"{journey} for contact {contact.Id}: {result.Outcome}, verification {result.VerificationId}.");
            ApiContract.WriteAttempt(context, result);
        }
    }
}
