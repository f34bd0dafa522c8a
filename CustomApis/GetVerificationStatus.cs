using System;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Plugins.Steps;
using OneKosmos.Core.Verification;

namespace OneKosmos.CustomApis
{
    /// <summary>
    /// okos_GetVerificationStatus: where a contact stands, by contact or by primary email address, after refreshing any
    /// pending session not checked in the last few seconds.
    /// </summary>
    public sealed class GetVerificationStatus : PluginBase
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
            var now = services.Clock.UtcNow;
            // Read as the caller: the access check, and the name for the summary, in one call.
            var contact = subject is not null ? ApiContract.ReadableContact(context, subject) : ContactLookup.ByEmail(context.UserService, email!);
            var outputs = context.ExecutionContext.OutputParameters;
            if (contact is null)
            {
                Write(outputs, Guid.Empty, new IdentityStanding(VerificationStatus.NotStarted), settings.StepUpMaxAgeMinutes, now, "No contact has this email address.");
                outputs["VerifiedIdAvailable"] = false;
                return;
            }
            var id = contact.Id;
            var standing = services.StandingReader(settings).Read(id, settings.VerificationValidityDays);
            var who = contact.GetAttributeValue<string>(Schema.Contact.FullName) ?? "The contact";
            Write(outputs, id, standing, settings.StepUpMaxAgeMinutes, now, StandingSummary.Of(who, standing, settings.StepUpMaxAgeMinutes, now));
            outputs["VerifiedIdAvailable"] = ConnectionReader.HasVerifiedId(context.SystemService, context.ExecutionContext.OrganizationId, services.Clock);
            context.Trace($"Contact {id}: {standing.Status}.");
        }

        private static void Write(ParameterCollection outputs, Guid contactId, IdentityStanding standing, int stepUpMaxAgeMinutes, DateTimeOffset now, string summary)
        {
            outputs["ContactId"] = contactId;
            outputs["Status"] = ApiContract.Name(standing.Status);
            outputs["IalLevel"] = ApiContract.Name(standing.Level);
            outputs["MatchConfidence"] = standing.MatchConfidence;
            outputs["CredentialDid"] = standing.CredentialDid ?? "";
            outputs["VerifiedAt"] = standing.VerifiedAt?.UtcDateTime;
            outputs["LastStepUpAt"] = standing.LastStepUpAt?.UtcDateTime;
            outputs["StepUpFresh"] = StepUpFreshness.IsFresh(standing.LastStepUpAt, stepUpMaxAgeMinutes, now);
            outputs["PendingJourney"] = ApiContract.Name(standing.PendingJourney);
            outputs["Summary"] = summary;
            outputs["VerifiedIdIssued"] = standing.VerifiedIdIssued;
            outputs["FaceCheckReady"] = standing.FaceCheckReady;
        }
    }
}
