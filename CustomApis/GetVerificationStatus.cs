using Microsoft.Xrm.Sdk;
using OneKosmos.Core.Verification;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Plugins.Steps;

namespace OneKosmos.CustomApis
{
    /// <summary>
    /// okos_GetVerificationStatus: where a contact stands, by contact or by primary email address, after refreshing any
    /// pending session not checked in the last few seconds.
    /// </summary>
    public sealed class GetVerificationStatus : CustomApi
    {
        protected override void ExecuteDataversePlugin(LocalPluginContext context)
        {
            var subject = ApiContract.Optional<EntityReference>(context, "Subject");
            var email = ApiContract.Optional<string>(context, "Email");
            if ((subject is null) == string.IsNullOrWhiteSpace(email))
            {
                throw new InvalidPluginExecutionException("Pass either Subject (the contact) or Email (the contact's primary email address), not both and not neither.");
            }
            var services = new ProductServices(context);
            var settings = services.Settings();
            // Read as the caller: the access check, and the name for the summary, in one call.
            var contact = subject is not null ? ApiContract.ReadableContact(context, subject) : ContactLookup.ByEmail(context.UserService, email!);
            if (contact is null)
            {
                ApiContract.WriteStanding(context, null, new IdentityStanding(VerificationStatus.NotStarted), settings.StepUpMaxAgeMinutes, services.Clock.UtcNow, "No contact has this email address.", verifiedIdAvailable: false);
                return;
            }
            var standing = services.StandingReader(settings).Read(contact.Id, settings.VerificationValidityDays);
            var now = services.Clock.UtcNow;
            var summary = StandingSummary.Of(contact.GetAttributeValue<string>(Schema.Contact.FullName) ?? "The contact", standing, settings.StepUpMaxAgeMinutes, now);
            var verifiedId = ConnectionReader.HasVerifiedId(context.SystemService, context.ExecutionContext.OrganizationId, services.Clock);
            ApiContract.WriteStanding(context, contact.Id, standing, settings.StepUpMaxAgeMinutes, now, summary, verifiedId, Choices.EvidenceOf(contact.GetAttributeValue<OptionSetValue>(Schema.Contact.BindingEvidence)));
            context.Trace($"Contact {contact.Id}: {standing.Status}.");
        }
    }
}
