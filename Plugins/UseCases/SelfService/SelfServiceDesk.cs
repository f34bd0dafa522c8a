using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Core.Verification;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Plugins.Entra;

namespace OneKosmos.Plugins.UseCases
{
    /// <summary>
    /// Serves a site user's self-service row (okos_selfservice): does what the row asks for the row's contact, then writes the
    /// contact's standing onto the row for the site to read. Every column but the contact and the request is rewritten on each
    /// save, so a value a site user sends for them never survives; the row is a view for the site, never the identity state.
    /// </summary>
    /// <remarks>
    /// Who the contact is comes from the row, which the site's table permission (contact scope) lets a user create and read only
    /// for their own contact; this class keeps the row on that contact for good (<see cref="ContactOf"/>).
    /// </remarks>
    public sealed class SelfServiceDesk
    {
        private static readonly ColumnSet OpenColumns = new(Schema.Verification.Journey, Schema.Verification.CaptureUrl, Schema.Verification.ExpiresAt);

        private readonly IOrganizationService _system;
        private readonly Func<VerificationStarter> _starter;
        private readonly Func<CredentialIssuer> _issuer;
        private readonly IdentityStandingReader _standing;
        private readonly Func<bool> _verifiedIdAvailable;
        private readonly int _sessionTtlMinutes;
        private readonly int _validityDays;
        private readonly IClock _clock;

        public SelfServiceDesk(IOrganizationService systemService, Func<VerificationStarter> starter, Func<CredentialIssuer> issuer,
            IdentityStandingReader standing, Func<bool> verifiedIdAvailable, EnvironmentSettings settings, IClock clock)
        {
            _system = systemService;
            _starter = starter;
            _issuer = issuer;
            _standing = standing;
            _verifiedIdAvailable = verifiedIdAvailable;
            _sessionTtlMinutes = settings.SessionTtlMinutes;
            _validityDays = settings.VerificationValidityDays;
            _clock = clock;
        }

        /// <summary>
        /// The contact the row belongs to: on Create, the one the site set; on Update, the stored one, which a save may repeat but
        /// never change.
        /// </summary>
        /// <exception cref="InvalidPluginExecutionException">No contact on a new row, or a save that moves the row to another contact.</exception>
        public static Guid ContactOf(Entity target, Entity? stored)
        {
            var asked = target.Contains(Schema.SelfService.ContactId) ? target.GetAttributeValue<EntityReference>(Schema.SelfService.ContactId) : null;
            if (stored is null)
            {
                return asked is { LogicalName: Schema.Contact.EntityName } contact && contact.Id != Guid.Empty
                    ? contact.Id
                    : throw new InvalidPluginExecutionException("A self-service verification row needs its contact: the site sets okos_contactid to the signed-in user's contact when it creates the row (okos_contactid@odata.bind: /contacts(<id>)).");
            }
            var owner = stored.GetAttributeValue<EntityReference>(Schema.SelfService.ContactId)
                ?? throw new InvalidPluginExecutionException("This self-service verification row has no contact, so nothing can be done for it: delete it and let the site create a new one.");
            if (target.Contains(Schema.SelfService.ContactId) && (asked is null || asked.Id != owner.Id))
            {
                throw new InvalidPluginExecutionException("A self-service verification row belongs to one contact for good: okos_contactid cannot be changed or cleared. Create the row of the other contact instead.");
            }
            return owner.Id;
        }

        /// <summary>Does what <paramref name="target"/> asks for the contact, then writes the contact's standing onto it; says what it did, for the trace.</summary>
        public string Serve(Entity target, Guid contactId, Guid correlationId)
        {
            var request = RequestOf(target);
            var contact = ContactSnapshot.Read(_system, contactId);
            var done = request switch
            {
                SelfServiceRequest.StartProofing => $"identity proofing {StartProofing(contact, correlationId)}",
                SelfServiceRequest.AddToAuthenticator => $"Verified ID issuance {VerifiedIdException.Explained(() => _issuer().Issue(contact, correlationId, withoutPin: true)).Attempt.Outcome}",
                _ => "refreshed",
            };
            Write(target, contact);
            return $"Self-service for contact {contact.Id}: {done}.";
        }

        /// <summary>
        /// Starts the person's proofing, or reuses the one open. A person verified at IAL2 has nothing to start (as the panel
        /// says): the site cannot be used to open one 1Kosmos session after another; below IAL2, a new proofing is the way up.
        /// </summary>
        private StartOutcome StartProofing(ContactSnapshot contact, Guid correlationId)
        {
            var standing = _standing.Read(contact.Id, _validityDays);
            if (standing.Status == VerificationStatus.Verified && standing.Level == AssuranceLevel.IAL2)
            {
                throw new InvalidPluginExecutionException("You are already verified: there is nothing to start. Refresh the page to see your verification.");
            }
            return _starter().Start(Journey.IdentityProofing, new StartRequest(contact, _sessionTtlMinutes, correlationId)).Outcome;
        }

        private static SelfServiceRequest RequestOf(Entity target)
        {
            var value = target.GetAttributeValue<OptionSetValue>(Schema.SelfService.Request);
            if (value is null)
            {
                return SelfServiceRequest.Refresh;
            }
            return Choices.RequestOf(value) ?? throw new InvalidPluginExecutionException($"okos_request {value.Value} is not a self-service request: use Refresh, Start identity proofing or Add to Microsoft Authenticator.");
        }

        private void Write(Entity target, ContactSnapshot contact)
        {
            var standing = _standing.Read(contact.Id, _validityDays);
            var open = OpenAttempts(contact.Id);
            var capture = open.FirstOrDefault(row => JourneyOf(row) == Journey.IdentityProofing);
            var wallet = open.FirstOrDefault(row => JourneyOf(row) == Journey.VerifiedIdIssuance);
            target[Schema.SelfService.Name] = contact.FullName is { Length: > 0 } name ? name : contact.Id.ToString();
            // The next save refreshes unless it asks again: a request is done once.
            target[Schema.SelfService.Request] = Choices.Of(SelfServiceRequest.Refresh);
            target[Schema.SelfService.Status] = standing.Status == VerificationStatus.NotStarted ? null : Choices.Of(standing.Status);
            target[Schema.SelfService.IalLevel] = standing.Level is { } level ? Choices.Of(level) : null;
            target[Schema.SelfService.PendingJourney] = standing.PendingJourney is { } journey ? Choices.Of(journey) : null;
            target[Schema.SelfService.VerifiedAt] = standing.VerifiedAt?.UtcDateTime;
            target[Schema.SelfService.CaptureUrl] = capture?.GetAttributeValue<string>(Schema.Verification.CaptureUrl);
            target[Schema.SelfService.LinkExpiresAt] = capture?.GetAttributeValue<DateTime?>(Schema.Verification.ExpiresAt);
            target[Schema.SelfService.WalletLink] = wallet?.GetAttributeValue<string>(Schema.Verification.CaptureUrl);
            target[Schema.SelfService.VerifiedIdAvailable] = _verifiedIdAvailable();
            target[Schema.SelfService.VerifiedIdIssued] = standing.VerifiedIdIssued;
            target[Schema.SelfService.CheckedAt] = _clock.UtcNow.UtcDateTime;
        }

        /// <summary>The contact's pending attempts, newest first.</summary>
        private Entity[] OpenAttempts(Guid contactId)
        {
            var query = new QueryExpression(Schema.Verification.EntityName) { ColumnSet = OpenColumns, TopCount = 10 };
            query.Criteria.AddCondition(Schema.Verification.ContactId, ConditionOperator.Equal, contactId);
            query.Criteria.AddCondition(Schema.Verification.Status, ConditionOperator.Equal, Choices.Of(VerificationStatus.Pending).Value);
            query.AddOrder("createdon", OrderType.Descending);
            return _system.RetrieveMultiple(query).Entities.ToArray();
        }

        private static Journey JourneyOf(Entity row) => Choices.JourneyOf(row.GetAttributeValue<OptionSetValue>(Schema.Verification.Journey));
    }
}
