using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Core.BlockId;
using OneKosmos.Core.Verification;
using OneKosmos.Plugins.Dataverse;

namespace OneKosmos.Plugins.UseCases
{
    /// <summary>
    /// Asks 1Kosmos for an attempt's authoritative result and applies it through the state machine (docs/design.md, every
    /// path converges on one state machine): the path callbacks, reconciliation and status reads share. Microsoft Entra
    /// requests have no status endpoint: here only their own expiry is applied.
    /// </summary>
    public sealed class BlockIdResultApplier
    {
        private static readonly ColumnSet Columns = new(VerificationRows.StateColumns.Concat(new[] { Schema.Verification.StepUpReason, Schema.Verification.CorrelationId, Schema.Verification.SentOnlyToContact }).ToArray());

        private readonly IOrganizationService _system;
        private readonly VerificationRows _rows;
        private readonly ResultWriter _writer;
        private readonly Func<BlockIdClient> _client;
        private readonly IClock _clock;
        private readonly bool _issueBlockIdCredential;
        private readonly Action<Guid, Guid, FacePhoto?>? _afterIal2;

        /// <remarks>
        /// <c>issueBlockIdCredential</c> is okos_IssueBlockIdCredential: issue a BlockID credential when a proofing becomes
        /// Verified. <c>afterIal2</c> (contact id, correlation id, the result's face crop in memory) runs in the same execution
        /// once a proofing became Verified at IAL2 and is written: the Verified ID issuance of okos_IssueVerifiedIdAfterProofing.
        /// </remarks>
        public BlockIdResultApplier(IOrganizationService systemService, Func<BlockIdClient> client, IClock clock, bool issueBlockIdCredential = false, Action<Guid, Guid, FacePhoto?>? afterIal2 = null)
        {
            _system = systemService;
            _rows = new VerificationRows(systemService);
            _writer = new ResultWriter(systemService, _rows);
            _client = client;
            _clock = clock;
            _issueBlockIdCredential = issueBlockIdCredential;
            _afterIal2 = afterIal2;
        }

        /// <summary>Applies what 1Kosmos says of one attempt; returns the transition (unchanged when nothing new).</summary>
        /// <exception cref="BlockIdException">1Kosmos could not answer; the row is left as it was.</exception>
        public Transition Apply(Guid verificationId)
        {
            var row = _rows.Read(verificationId, Columns);
            var current = VerificationRows.StateOf(row);
            var sessionId = row.GetAttributeValue<string>(Schema.Verification.SessionId);
            var contact = row.GetAttributeValue<EntityReference>(Schema.Verification.ContactId);
            var journey = Choices.JourneyOf(row.GetAttributeValue<OptionSetValue>(Schema.Verification.Journey));
            var now = _clock.UtcNow;
            var asks = SessionIds.IsSession(sessionId) && (!current.IsFinal || current.Status == VerificationStatus.Expired);
            var extra = new Entity(Schema.Verification.EntityName);
            Transition transition;
            FacePhoto? face = null;
            if (journey is Journey.VerifiedIdIssuance or Journey.VerifiedIdFaceCheck)
            {
                // Entra has no status endpoint: only its callback decides, and the time it gave for the request runs out here.
                transition = VerificationStateMachine.Apply(current, new ProofingObservation(SessionState.InProgress), now);
            }
            else if (journey == Journey.LiveIdStepUp)
            {
                transition = ApplyStepUp(current, asks ? _client().FetchLiveIdResponse(sessionId!) : new LiveIdObservation(SessionState.InProgress), contact, row.GetAttributeValue<bool>(Schema.Verification.SentOnlyToContact), extra, now);
            }
            else
            {
                var observation = !asks ? new ProofingObservation(SessionState.InProgress)
                    : _afterIal2 is null ? _client().FetchResult(sessionId!)
                    : _client().FetchResult(sessionId!, out face);
                transition = VerificationStateMachine.Apply(current, observation, now);
                if (transition.Changed && transition.After.Status == VerificationStatus.Verified && observation.DocumentHash is { } documentHash)
                {
                    extra[Schema.Verification.DocumentHash] = documentHash;
                }
                if (transition.Changed && StepUpRules.ProofingCountsAsStepUp(row.GetAttributeValue<string>(Schema.Verification.StepUpReason), transition.After))
                {
                    extra[Schema.Verification.LastStepUpAt] = now.UtcDateTime;
                }
                if (_issueBlockIdCredential && transition.Changed && transition.After.Status == VerificationStatus.Verified)
                {
                    IssueCredential(extra, sessionId!, contact);
                }
            }
            _writer.Write(row, journey, transition, extra, now);
            if (transition.Changed && _afterIal2 is not null && journey == Journey.IdentityProofing && transition.After is { Status: VerificationStatus.Verified, AssuranceLevel: AssuranceLevel.IAL2 })
            {
                _afterIal2(contact.Id, Guid.TryParse(row.GetAttributeValue<string>(Schema.Verification.CorrelationId), out var correlation) ? correlation : Guid.NewGuid(), face);
            }
            return transition;
        }

        /// <summary>Ends an attempt whose result 1Kosmos keeps failing to give, once past its expiry (<see cref="VerificationStateMachine.GiveUp"/>).</summary>
        public Transition GiveUp(Guid verificationId, string detail)
        {
            var row = _rows.Read(verificationId, Columns);
            var now = _clock.UtcNow;
            var transition = VerificationStateMachine.GiveUp(VerificationRows.StateOf(row), detail, now);
            _writer.Write(row, Choices.JourneyOf(row.GetAttributeValue<OptionSetValue>(Schema.Verification.Journey)), transition, new Entity(Schema.Verification.EntityName), now);
            return transition;
        }

        /// <remarks>
        /// A contact's first passed step-up binds the approver's DID only on evidence (<see cref="StepUpRules.Judge"/>): the
        /// approver's own 1Kosmos proofs are read only then, and only when the contact's proofing recorded its document.
        /// </remarks>
        private Transition ApplyStepUp(VerificationState current, LiveIdObservation observation, EntityReference contact, bool sentOnlyToContact, Entity extra, DateTimeOffset now)
        {
            StepUpVerdict? verdict = null;
            if (observation.State == SessionState.Succeeded)
            {
                var boundDid = ContactSnapshot.BoundDid(_system, contact.Id);
                var proofing = string.IsNullOrEmpty(boundDid) ? _rows.LatestVerifiedProofing(contact.Id) : null;
                var proofedDocument = proofing?.GetAttributeValue<string>(Schema.Verification.DocumentHash);
                var approverProofs = string.IsNullOrEmpty(proofedDocument) || observation.UserId is null
                    ? ApproverProofs.Unavailable
                    : StepUpRules.Compare(proofedDocument, _client().FetchProofedDocuments(observation.UserId, observation.Did!));
                verdict = StepUpRules.Judge(observation, boundDid, proofing is not null, approverProofs, sentOnlyToContact);
            }
            var transition = VerificationStateMachine.ApplyStepUp(current, observation, verdict, now);
            if (transition.Changed && verdict is not null)
            {
                // Kept on a refused step-up too: who approved is what an administrator reviews before any re-bind.
                extra[Schema.Verification.CredentialDid] = observation.Did;
            }
            if (transition.Changed && verdict is { Passed: true })
            {
                extra[Schema.Verification.LastStepUpAt] = now.UtcDateTime;
                extra[Schema.Verification.LiveIdEnrolled] = true;
                if (verdict.Binding is { } binding)
                {
                    IdentityBinding.Bind(_system, contact, observation.Did!, binding, now);
                }
            }
            return transition;
        }

        /// <remarks>A credential that cannot be issued never undoes the verification: it is noted, and the row stays Verified.</remarks>
        private void IssueCredential(Entity extra, string sessionId, EntityReference contact)
        {
            try
            {
                extra[Schema.Verification.CredentialDid] = _client().IssueCredentialFromProofing(sessionId, $"urn:okos:contact:{contact.Id}");
            }
            catch (BlockIdException exception)
            {
                TimelineNotes.Add(_system, contact, "BlockID credential not issued",
                    $"The identity is verified, but 1Kosmos could not issue the reusable credential ({exception.Failure}): {exception.Message}");
            }
        }
    }
}
