namespace OneKosmos.Plugins.Steps
{
    /// <summary>Post-operation, asynchronous, on contact Create: starts an identity proofing for the new contact.</summary>
    /// <remarks>
    /// Skipped when okos_VerifyOnContactCreate is no, or when the contact has neither an email address nor a mobile
    /// phone (nobody could send the person the capture link). The save never waits: the step is asynchronous.
    /// </remarks>
    public sealed class StartVerificationOnContactCreate : PluginBase
    {
        protected override void ExecuteDataversePlugin(LocalPluginContext context)
        {
            var services = new ProductServices(context);
            var settings = services.Settings();
            if (!settings.VerifyOnContactCreate)
            {
                context.Trace("Skipped: okos_VerifyOnContactCreate is no.");
                return;
            }
            var contact = Dataverse.ContactSnapshot.Read(context.SystemService, context.ExecutionContext.PrimaryEntityId);
            if (!contact.CanBeReached)
            {
                context.Trace("Skipped: the contact has no email address and no mobile phone to receive the capture link.");
                return;
            }
            var outcome = services.Starter().StartProofing(contact, settings.SessionTtlMinutes, context.ExecutionContext.CorrelationId, regarding: null);
            context.Trace($"Identity proofing for contact {contact.Id}: {outcome}.");
        }
    }
}
