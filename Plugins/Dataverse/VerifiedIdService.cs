using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Core.BlockId;
using OneKosmos.Core.Callbacks;
using OneKosmos.Core.Verification;
using OneKosmos.Plugins.VerifiedId;

namespace OneKosmos.Plugins.Dataverse
{
    /// <summary>An issuance request: the attempt, and the PIN the person types (only when just created and the connection asks for one).</summary>
    public sealed class IssuanceResult
    {
        public IssuanceResult(StartResult attempt, string? pin)
        {
            Attempt = attempt;
            Pin = pin;
        }

        public StartResult Attempt { get; }

        /// <value>Never stored: the caller shows it to the person once.</value>
        public string? Pin { get; }
    }

    /// <summary>
    /// Microsoft Entra Verified ID on okos_verification rows: issuing the contact's verified identity into Microsoft
    /// Authenticator, a Face Check presentation as a step-up, and applying Entra's callbacks, which are the result (Entra
    /// has no status endpoint). Each request is a row like any other: the request id in okos_sessionid, the deep link in
    /// okos_captureurl, one open request per contact and journey.
    /// </summary>
    public sealed class VerifiedIdService
    {
        private static readonly ColumnSet CallbackColumns = new(
            Schema.Verification.SessionId, Schema.Verification.ContactId, Schema.Verification.Journey, Schema.Verification.Status,
            Schema.Verification.ExpiresAt, Schema.Verification.IalLevel, Schema.Verification.MatchConfidence, Schema.Verification.VerifiedAt,
            Schema.Verification.FailureReason, Schema.Verification.OpportunityId, Schema.Verification.LeadId, Schema.Verification.CaseId);

        private readonly IOrganizationService _system;
        private readonly VerificationRepository _verifications;
        private readonly Func<VerifiedIdConnection> _connection;
        private readonly Func<VerifiedIdConnection, RequestServiceClient> _client;
        private readonly Func<BlockIdClient> _blockId;
        private readonly Func<int, string> _newPin;
        private readonly IClock _clock;
        private readonly Action<string> _trace;

        public VerifiedIdService(IOrganizationService systemService, VerificationRepository verifications, Func<VerifiedIdConnection> connection,
            Func<VerifiedIdConnection, RequestServiceClient> client, Func<BlockIdClient> blockId, Func<int, string> newPin, IClock clock, Action<string> trace)
        {
            _system = systemService;
            _verifications = verifications;
            _connection = connection;
            _client = client;
            _blockId = blockId;
            _newPin = newPin;
            _clock = clock;
            _trace = trace;
        }

        /// <summary>
        /// Offers the contact's Verified IAL2 identity as a credential; an open request that has not expired is reused. When
        /// the connection allows photos, the proofing's face crop (<c>faceInMemory</c> when the caller holds the result, else
        /// read from 1Kosmos) is handed to Entra in this call only.
        /// </summary>
        /// <exception cref="InvalidPluginExecutionException">No Verified IAL2 proofing, or Verified ID not set up.</exception>
        /// <exception cref="VerifiedIdException">Microsoft Entra refused or failed; nothing was written.</exception>
        public IssuanceResult Issue(ContactSnapshot contact, Guid correlationId, FacePhoto? faceInMemory = null)
        {
            var proofing = LatestIal2Proofing(contact.Id)
                ?? throw new InvalidPluginExecutionException($"{Who(contact)} has no Verified IAL2 identity proofing, so there is nothing to issue: verify them first (document and selfie), then issue the credential.");
            var now = _clock.UtcNow;
            if (Reusable(contact.Id, Journey.VerifiedIdIssuance, now) is { } reused)
            {
                return new IssuanceResult(reused, null);
            }
            var connection = _connection();
            var photo = connection.FaceCheckPhoto ? faceInMemory ?? FaceOf(proofing) : null;
            var id = _verifications.NewId();
            var pin = connection.PinLength > 0 ? _newPin(connection.PinLength) : null;
            var verifiedAt = DataverseTime.Utc(proofing.GetAttributeValue<DateTime?>(Schema.Verification.VerifiedAt)) ?? now;
            var claims = new Dictionary<string, string>
            {
                [VerifiedIdClaims.GivenName] = contact.FirstName ?? "",
                [VerifiedIdClaims.FamilyName] = contact.LastName ?? contact.FullName ?? "",
                [VerifiedIdClaims.AssuranceLevel] = AssuranceLevel.IAL2.ToString(),
                [VerifiedIdClaims.VerifiedAt] = verifiedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                [EntraCallback.VerificationIdClaim] = id.ToString(),
            };
            if (photo is not null)
            {
                claims[VerifiedIdClaims.Photo] = photo.ToBase64Url();
            }
            var request = _client(connection).CreateIssuance(EntraCallback.StateOf(Journey.VerifiedIdIssuance, id), claims, pin);
            var attempt = _verifications.CreateOpened(contact, Journey.VerifiedIdIssuance, id, request.RequestId, request.DeepLink, request.ExpiresAt, correlationId, null, null, now,
                new Entity(Schema.Verification.EntityName)
                {
                    [Schema.Verification.IalLevel] = Choices.Of(AssuranceLevel.IAL2),
                    [Schema.Verification.PhotoIncluded] = photo is not null,
                });
            TimelineNotes.Add(_system, Contact(contact), "Verified ID credential offered", photo is null
                ? "A Microsoft Entra Verified ID credential (IAL2) was offered for Microsoft Authenticator, without a photo: Face Check will not be available with it."
                : "A Microsoft Entra Verified ID credential (IAL2, with the verified face photo for Face Check) was offered for Microsoft Authenticator.");
            _trace($"Verified ID issuance {attempt.Id} requested for contact {contact.Id} (photo: {(photo is null ? "no" : "yes")}).");
            return new IssuanceResult(new StartResult(StartOutcome.Started, attempt.Id, request.RequestId, VerificationStatus.Pending, request.ExpiresAt), pin);
        }

        /// <summary>Issues after a proofing became Verified at IAL2 (okos_IssueVerifiedIdAfterProofing); a failure is noted and never undoes the proofing.</summary>
        public void IssueAfterProofing(Guid contactId, Guid correlationId, FacePhoto? face)
        {
            var contact = ContactSnapshot.Read(_system, contactId);
            try
            {
                var result = Issue(contact, correlationId, face);
                _trace($"Verified ID after proofing: {result.Attempt.Outcome}.");
            }
            catch (Exception exception) when (exception is VerifiedIdException or InvalidPluginExecutionException)
            {
                TimelineNotes.Add(_system, Contact(contact), "Verified ID credential not issued",
                    $"The identity is verified, but the Microsoft Entra Verified ID credential could not be offered: {exception.Message}");
            }
        }

        /// <summary>Asks the contact to present their credential with Face Check; an open request that has not expired is reused.</summary>
        /// <exception cref="InvalidPluginExecutionException">No issued credential with a photo, or Verified ID not set up.</exception>
        /// <exception cref="VerifiedIdException">Microsoft Entra refused or failed; nothing was written.</exception>
        public StartResult StartFaceCheck(ContactSnapshot contact, Guid correlationId, EntityReference? regarding, string reason)
        {
            var now = _clock.UtcNow;
            if (Reusable(contact.Id, Journey.VerifiedIdFaceCheck, now) is { } reused)
            {
                return reused;
            }
            var connection = _connection();
            var issued = IssuedWithPhoto(contact.Id);
            if (issued.Count == 0)
            {
                throw new InvalidPluginExecutionException($"{Who(contact)} has no Verified ID credential with a face photo in Microsoft Authenticator, so Face Check is unavailable: issue the credential first (with Face Check Photo allowed on the 1Kosmos connection), or use a LiveID step-up.");
            }
            var id = _verifications.NewId();
            var request = _client(connection).CreatePresentation(EntraCallback.StateOf(Journey.VerifiedIdFaceCheck, id), reason, issued);
            var attempt = _verifications.CreateOpened(contact, Journey.VerifiedIdFaceCheck, id, request.RequestId, request.DeepLink, request.ExpiresAt, correlationId, regarding, reason, now,
                new Entity(Schema.Verification.EntityName));
            var text = $"Journey: Face Check with Microsoft Entra Verified ID. Reason: {reason}. Status: Pending.";
            TimelineNotes.Add(_system, Contact(contact), "Identity verification started", text);
            if (regarding is not null)
            {
                TimelineNotes.Add(_system, regarding, "Identity verification started", text);
            }
            return new StartResult(StartOutcome.Started, attempt.Id, request.RequestId, VerificationStatus.Pending, request.ExpiresAt);
        }

        /// <summary>
        /// Applies one callback: only for a request we created (row, request id and journey all match) that is still
        /// pending. Returns null when it does not concern such a request, with the reason code in <paramref name="ignored"/>.
        /// </summary>
        public Transition? Apply(EntraCallback callback, out string? ignored)
        {
            ignored = null;
            var rows = RowsById(callback.VerificationId);
            var row = rows.FirstOrDefault();
            var journey = callback.Type == NotificationType.EntraIssuance ? Journey.VerifiedIdIssuance : Journey.VerifiedIdFaceCheck;
            if (row is null
                || !string.Equals(row.GetAttributeValue<string>(Schema.Verification.SessionId), callback.RequestId, StringComparison.Ordinal)
                || Choices.JourneyOf(row.GetAttributeValue<OptionSetValue>(Schema.Verification.Journey)) != journey)
            {
                ignored = "UNKNOWN_REQUEST";
                return null;
            }
            var current = VerificationRefresher.StateOf(row);
            if (current.Status != VerificationStatus.Pending)
            {
                ignored = "NOT_PENDING";
                return null;
            }
            var contact = row.GetAttributeValue<EntityReference>(Schema.Verification.ContactId);
            var now = _clock.UtcNow;
            string? refusal = null;
            if (callback.Observation.Event == VerifiedIdEvent.PresentationVerified)
            {
                var connection = _connection();
                refusal = VerifiedIdRules.RefusalOf(callback.Observation,
                    new PresentationExpectation(connection.Authority, connection.CredentialType, IssuedWithPhoto(contact.Id), connection.FaceCheckThreshold));
            }
            var transition = VerificationStateMachine.ApplyVerifiedId(current, callback.Observation, refusal, now);
            var update = new Entity(Schema.Verification.EntityName, row.Id) { [Schema.Verification.LastCheckedAt] = now.UtcDateTime };
            if (transition.Changed)
            {
                VerificationRefresher.Write(update, transition.After);
                if (journey == Journey.VerifiedIdFaceCheck && transition.After.Status == VerificationStatus.Verified)
                {
                    update[Schema.Verification.LastStepUpAt] = now.UtcDateTime;
                    update[Schema.Verification.CredentialDid] = callback.Observation.SubjectDid;
                }
                if (transition.BecameFinal)
                {
                    update[Schema.Verification.ReservationKey] = VerificationRepository.FinalKey(contact.Id, journey, row.Id);
                    update[Schema.Verification.CaptureUrl] = null;
                }
            }
            update.RowVersion = row.RowVersion;
            _system.Execute(new UpdateRequest { Target = update, ConcurrencyBehavior = ConcurrencyBehavior.IfRowVersionMatches });
            if (transition.Changed)
            {
                Note(row, journey, transition.After);
            }
            return transition;
        }

        private StartResult? Reusable(Guid contactId, Journey journey, DateTimeOffset now)
        {
            var open = _verifications.FindOpen(contactId, journey);
            if (open is null)
            {
                return null;
            }
            if (open.ExpiresAt is { } expiresAt && expiresAt > now)
            {
                return new StartResult(StartOutcome.Reused, open.Id, open.SessionId, VerificationStatus.Pending, expiresAt);
            }
            _verifications.Expire(open, now);
            return null;
        }

        private FacePhoto? FaceOf(Entity proofing)
        {
            try
            {
                var photo = _blockId().FetchFacePhoto(proofing.GetAttributeValue<string>(Schema.Verification.SessionId));
                if (photo is null)
                {
                    _trace("1Kosmos' result holds no usable face crop: the credential is issued without a photo.");
                }
                return photo;
            }
            catch (BlockIdException exception)
            {
                _trace($"The face crop could not be read from 1Kosmos ({exception.Failure}): the credential is issued without a photo.");
                return null;
            }
        }

        private Entity? LatestIal2Proofing(Guid contactId)
        {
            var query = new QueryExpression(Schema.Verification.EntityName) { ColumnSet = new ColumnSet(Schema.Verification.SessionId, Schema.Verification.VerifiedAt), TopCount = 1 };
            query.Criteria.AddCondition(Schema.Verification.ContactId, ConditionOperator.Equal, contactId);
            query.Criteria.AddCondition(Schema.Verification.Journey, ConditionOperator.Equal, Choices.Of(Journey.IdentityProofing).Value);
            query.Criteria.AddCondition(Schema.Verification.Status, ConditionOperator.Equal, Choices.Of(VerificationStatus.Verified).Value);
            query.Criteria.AddCondition(Schema.Verification.IalLevel, ConditionOperator.Equal, Choices.Of(AssuranceLevel.IAL2).Value);
            query.AddOrder(Schema.Verification.VerifiedAt, OrderType.Descending);
            return _system.RetrieveMultiple(query).Entities.FirstOrDefault();
        }

        /// <value>The ids of the contact's issued credentials that carry a photo: the only ones a Face Check may present.</value>
        private List<string> IssuedWithPhoto(Guid contactId)
        {
            var query = new QueryExpression(Schema.Verification.EntityName) { ColumnSet = new ColumnSet(false) };
            query.Criteria.AddCondition(Schema.Verification.ContactId, ConditionOperator.Equal, contactId);
            query.Criteria.AddCondition(Schema.Verification.Journey, ConditionOperator.Equal, Choices.Of(Journey.VerifiedIdIssuance).Value);
            query.Criteria.AddCondition(Schema.Verification.Status, ConditionOperator.Equal, Choices.Of(VerificationStatus.Verified).Value);
            query.Criteria.AddCondition(Schema.Verification.PhotoIncluded, ConditionOperator.Equal, true);
            return _system.RetrieveMultiple(query).Entities.Select(row => row.Id.ToString()).ToList();
        }

        /// <remarks>A query, not a Retrieve: a callback may name a row that does not exist, and a failed Retrieve would doom the callback API's transaction.</remarks>
        private DataCollection<Entity> RowsById(Guid id)
        {
            var query = new QueryExpression(Schema.Verification.EntityName) { ColumnSet = CallbackColumns, TopCount = 1 };
            query.Criteria.AddCondition(Schema.Verification.PrimaryKey, ConditionOperator.Equal, id);
            return _system.RetrieveMultiple(query).Entities;
        }

        private void Note(Entity row, Journey journey, VerificationState state)
        {
            var passed = state.Status == VerificationStatus.Verified;
            var subject = journey == Journey.VerifiedIdIssuance
                ? passed ? "Verified ID credential issued" : "Verified ID credential not issued"
                : passed ? "Face Check step-up passed" : "Face Check step-up failed";
            var text = state.Status != VerificationStatus.Verified
                ? state.FailureReason ?? ""
                : journey == Journey.VerifiedIdIssuance
                ? "The person accepted the credential into Microsoft Authenticator."
                : string.Format(CultureInfo.InvariantCulture, "Face match {0:0.##}% with the verified photo.", state.MatchConfidence * 100);
            TimelineNotes.AddAboutAttempt(_system, row, subject, text);
        }

        private static EntityReference Contact(ContactSnapshot contact) => new(Schema.Contact.EntityName, contact.Id);

        private static string Who(ContactSnapshot contact) => contact.FullName is { Length: > 0 } name ? $"Contact {name}" : "The contact";
    }
}
