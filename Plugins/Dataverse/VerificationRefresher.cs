using System;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Core.BlockId;
using OneKosmos.Core.Verification;

namespace OneKosmos.Plugins.Dataverse
{
    /// <summary>
    /// Asks 1Kosmos for a proofing's authoritative result and applies it through the state machine (DESIGN.md §1
    /// rule 2): the one path callbacks, reconciliation and status refreshes share. When the attempt becomes final its
    /// capture link is cleared and its contact's slot freed.
    /// </summary>
    public sealed class VerificationRefresher
    {
        private static readonly ColumnSet Columns = new(
            Schema.Verification.SessionId, Schema.Verification.ContactId, Schema.Verification.Journey, Schema.Verification.Status,
            Schema.Verification.ExpiresAt, Schema.Verification.IalLevel, Schema.Verification.MatchConfidence, Schema.Verification.VerifiedAt,
            Schema.Verification.DocumentType, Schema.Verification.DocumentCountry, Schema.Verification.DocumentExpiresOn,
            Schema.Verification.FailureReason, Schema.Verification.StepUpReason, Schema.Verification.OpportunityId, Schema.Verification.LeadId, Schema.Verification.CaseId,
            Schema.Verification.CorrelationId);

        private readonly IOrganizationService _system;
        private readonly Func<BlockIdClient> _client;
        private readonly IClock _clock;
        private readonly bool _issueBlockIdCredential;
        private readonly Action<Guid, Guid, FacePhoto?>? _afterIal2;

        /// <remarks>
        /// <c>issueBlockIdCredential</c> is okos_IssueBlockIdCredential: issue a BlockID credential when a proofing becomes
        /// Verified. <c>afterIal2</c> (contact id, correlation id, the result's face crop in memory) runs in the same execution
        /// once a proofing became Verified at IAL2 and is written: the Verified ID issuance of okos_IssueVerifiedIdAfterProofing.
        /// </remarks>
        public VerificationRefresher(IOrganizationService systemService, Func<BlockIdClient> client, IClock clock, bool issueBlockIdCredential = false, Action<Guid, Guid, FacePhoto?>? afterIal2 = null)
        {
            _system = systemService;
            _client = client;
            _clock = clock;
            _issueBlockIdCredential = issueBlockIdCredential;
            _afterIal2 = afterIal2;
        }

        /// <summary>Refreshes one verification row; returns the transition (unchanged when nothing new).</summary>
        /// <exception cref="BlockIdException">1Kosmos could not answer; the row is left as it was.</exception>
        public Transition Refresh(Guid verificationId)
        {
            var row = _system.Retrieve(Schema.Verification.EntityName, verificationId, Columns);
            var current = StateOf(row);
            var sessionId = row.GetAttributeValue<string>(Schema.Verification.SessionId);
            var contact = row.GetAttributeValue<EntityReference>(Schema.Verification.ContactId);
            var journey = Choices.JourneyOf(row.GetAttributeValue<OptionSetValue>(Schema.Verification.Journey));
            var now = _clock.UtcNow;
            var asks = SessionIds.IsSession(sessionId)
                && (!current.IsFinal || current.Status == VerificationStatus.Expired);
            var update = new Entity(Schema.Verification.EntityName, verificationId) { [Schema.Verification.LastCheckedAt] = now.UtcDateTime };
            Transition transition;
            FacePhoto? face = null;
            if (journey is Journey.VerifiedIdIssuance or Journey.VerifiedIdFaceCheck)
            {
                // Entra has no status endpoint: only its callback decides, and the time it gave for the request runs out here.
                transition = VerificationStateMachine.Apply(current, new ProofingObservation(SessionState.InProgress), now);
            }
            else if (journey == Journey.LiveIdStepUp)
            {
                var observation = asks ? _client().FetchLiveIdResponse(sessionId!) : new LiveIdObservation(SessionState.InProgress);
                var verdict = observation.State == SessionState.Succeeded
                    ? StepUpRules.Judge(observation, BoundDid(contact.Id), VerifiedCheck.HasVerifiedProofing(_system, contact.Id))
                    : null;
                transition = VerificationStateMachine.ApplyStepUp(current, observation, verdict, now);
                if (transition.Changed && verdict is { Passed: true })
                {
                    update[Schema.Verification.CredentialDid] = observation.Did;
                    update[Schema.Verification.LastStepUpAt] = now.UtcDateTime;
                    update[Schema.Verification.LiveIdEnrolled] = true;
                    if (verdict.BindsDid)
                    {
                        _system.Update(new Entity(Schema.Contact.EntityName, contact.Id) { [Schema.Contact.BoundBlockIdDid] = observation.Did });
                    }
                }
            }
            else
            {
                var observation = !asks ? new ProofingObservation(SessionState.InProgress)
                    : _afterIal2 is null ? _client().FetchResult(sessionId!)
                    : _client().FetchResult(sessionId!, out face);
                transition = VerificationStateMachine.Apply(current, observation, now);
                if (transition.Changed && StepUpRules.ProofingCountsAsStepUp(row.GetAttributeValue<string>(Schema.Verification.StepUpReason), transition.After))
                {
                    update[Schema.Verification.LastStepUpAt] = now.UtcDateTime;
                }
                if (_issueBlockIdCredential && transition.Changed && transition.After.Status == VerificationStatus.Verified)
                {
                    IssueCredential(update, sessionId!, contact);
                }
            }
            if (transition.Changed)
            {
                Write(update, transition.After);
                if (transition.BecameFinal)
                {
                    update[Schema.Verification.ReservationKey] = VerificationRepository.FinalKey(contact.Id, journey, verificationId);
                    update[Schema.Verification.CaptureUrl] = null;
                }
            }
            // Two deliveries about one session may refresh it at once: the second write fails instead of overwriting the
            // first, and its retry finds the final state.
            update.RowVersion = row.RowVersion;
            _system.Execute(new UpdateRequest { Target = update, ConcurrencyBehavior = ConcurrencyBehavior.IfRowVersionMatches });
            if (transition.Changed)
            {
                Note(row, journey, transition.After);
                if (_afterIal2 is not null && journey == Journey.IdentityProofing && transition.After is { Status: VerificationStatus.Verified, AssuranceLevel: AssuranceLevel.IAL2 })
                {
                    _afterIal2(contact.Id, Guid.TryParse(row.GetAttributeValue<string>(Schema.Verification.CorrelationId), out var correlation) ? correlation : Guid.NewGuid(), face);
                }
            }
            return transition;
        }

        internal static VerificationState StateOf(Entity row) =>
            new(
                Choices.StatusOf(row.GetAttributeValue<OptionSetValue>(Schema.Verification.Status)),
                DataverseTime.Utc(row.GetAttributeValue<DateTime?>(Schema.Verification.ExpiresAt)),
                Choices.LevelOf(row.GetAttributeValue<OptionSetValue>(Schema.Verification.IalLevel)),
                row.GetAttributeValue<decimal?>(Schema.Verification.MatchConfidence),
                DataverseTime.Utc(row.GetAttributeValue<DateTime?>(Schema.Verification.VerifiedAt)),
                row.GetAttributeValue<string>(Schema.Verification.DocumentType),
                row.GetAttributeValue<string>(Schema.Verification.DocumentCountry),
                row.GetAttributeValue<DateTime?>(Schema.Verification.DocumentExpiresOn),
                row.GetAttributeValue<string>(Schema.Verification.FailureReason));

        internal static void Write(Entity update, VerificationState state)
        {
            update[Schema.Verification.Status] = Choices.Of(state.Status);
            update[Schema.Verification.IalLevel] = state.AssuranceLevel is { } level ? Choices.Of(level) : null;
            update[Schema.Verification.MatchConfidence] = state.MatchConfidence;
            update[Schema.Verification.VerifiedAt] = state.VerifiedAt?.UtcDateTime;
            update[Schema.Verification.DocumentType] = state.DocumentType;
            update[Schema.Verification.DocumentCountry] = state.DocumentCountry;
            update[Schema.Verification.DocumentExpiresOn] = state.DocumentExpiresOn;
            update[Schema.Verification.FailureReason] = state.FailureReason;
        }

        /// <remarks>A credential that cannot be issued never undoes the verification: it is noted, and the row stays Verified.</remarks>
        private void IssueCredential(Entity update, string sessionId, EntityReference contact)
        {
            try
            {
                update[Schema.Verification.CredentialDid] = _client().IssueCredentialFromProofing(sessionId, $"urn:okos:contact:{contact.Id}");
            }
            catch (BlockIdException exception)
            {
                TimelineNotes.Add(_system, contact, "BlockID credential not issued",
                    $"The identity is verified, but 1Kosmos could not issue the reusable credential ({exception.Failure}): {exception.Message}");
            }
        }

        private string? BoundDid(Guid contactId) =>
            _system.Retrieve(Schema.Contact.EntityName, contactId, new ColumnSet(Schema.Contact.BoundBlockIdDid)).GetAttributeValue<string>(Schema.Contact.BoundBlockIdDid);

        private void Note(Entity row, Journey journey, VerificationState state)
        {
            var subject = state.Status switch
            {
                VerificationStatus.Expired when journey is Journey.VerifiedIdIssuance or Journey.VerifiedIdFaceCheck => "Verified ID request expired",
                VerificationStatus.Verified when journey == Journey.LiveIdStepUp => "Biometric step-up passed",
                VerificationStatus.Failed when journey == Journey.LiveIdStepUp => "Biometric step-up failed",
                VerificationStatus.Verified => $"Identity verified ({state.AssuranceLevel})",
                VerificationStatus.Failed => "Identity verification failed",
                VerificationStatus.Expired => "Identity verification expired",
                _ => "Identity verification updated",
            };
            var text = state.Status == VerificationStatus.Verified && journey == Journey.LiveIdStepUp
                ? "The person approved with LiveID in the BlockID app."
                : state.Status == VerificationStatus.Verified
                ? string.Format(System.Globalization.CultureInfo.InvariantCulture, "Assurance level {0}; match confidence {1:0}%.", state.AssuranceLevel, state.MatchConfidence * 100)
                : state.FailureReason ?? "";
            TimelineNotes.AddAboutAttempt(_system, row, subject, text);
        }
    }
}
