using OneKosmos.Core.Verification;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Plugins.UseCases;

namespace OneKosmos.Plugins.Steps
{
    /// <summary>Post-operation, asynchronous, on contact Create: starts an identity proofing for the new contact.</summary>
    /// <remarks>
    /// Skipped when okos_VerifyOnContactCreate is no, or when the contact has neither an email address nor a mobile
    /// phone (nobody could send the person the capture link). The save never waits: the step is asynchronous.
    /// </remarks>
    public sealed class StartVerificationOnContactCreate : PluginBase
    {
        protected override string Registration => "Create of contact";

        protected override bool RunsFor(string message, string table) => message == "Create" && table == Schema.Contact.EntityName;

        protected override void ExecuteDataversePlugin(LocalPluginContext context)
        {
            var services = new ProductServices(context);
            var settings = services.Settings();
            var contact = settings.VerifyOnContactCreate ? ContactSnapshot.Read(context.SystemService, context.ExecutionContext.PrimaryEntityId) : null;
            var outcome = contact is null ? "Skipped: okos_VerifyOnContactCreate is no."
                : !contact.CanBeReached ? "Skipped: the contact has no usable email address and no mobile phone to receive the capture link."
                : $"Identity proofing for contact {contact.Id}: {services.Starter().Start(Journey.IdentityProofing, new StartRequest(contact, settings.SessionTtlMinutes, context.ExecutionContext.CorrelationId))}.";
            context.Trace(outcome);
        }
    }
}
