using OneKosmos.Plugins.Dataverse;
using OneKosmos.Plugins.Steps;
using OneKosmos.Core.Verification;
using Microsoft.Xrm.Sdk;

namespace OneKosmos.CustomApis
{
    /// <summary>
    /// okos_StartVerification: starts identity proofing or a LiveID step-up for a contact, or returns the attempt already
    /// open for that contact and journey (Reused). Safe to call twice.
    /// </summary>
    public sealed class StartVerification : PluginBase
    {
        protected override void ExecuteDataversePlugin(LocalPluginContext context)
        {
            var contact = ApiContract.Subject(context);
            var journey = ApiContract.JourneyInput(context, Journey.IdentityProofing);
            var regarding = ApiContract.Optional<EntityReference>(context, "Regarding");
            var services = new ProductServices(context);
            var settings = services.Settings();
            var result = services.Starter().Start(journey, contact, settings.SessionTtlMinutes, context.ExecutionContext.CorrelationId, regarding);
            context.Trace($"{journey} for contact {contact.Id}: {result.Outcome}, verification {result.VerificationId}.");
            ApiContract.WriteAttempt(context, result);
        }
    }
}
