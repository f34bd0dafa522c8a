using System;
using System.Collections.Generic;
using System.Linq;

namespace OneKosmos.Core.Verification
{
    /// <summary>What the BlockID app answered to a LiveID step-up: nothing yet, or the person's DID and assurance level.</summary>
    public sealed class LiveIdObservation
    {
        public LiveIdObservation(SessionState state, string? did = null, AssuranceLevel? assuranceLevel = null, string? userId = null)
        {
            State = state;
            Did = did;
            AssuranceLevel = assuranceLevel;
            UserId = userId;
        }

        public SessionState State { get; }

        public string? Did { get; }

        /// <value>The approver's 1Kosmos user id, under which their own identity proofs are kept; null when the answer names none.</value>
        public string? UserId { get; }

        /// <value>The ial the response states, taken as stated; null when it states none.</value>
        public AssuranceLevel? AssuranceLevel { get; }
    }

    /// <summary>The verdict on a completed LiveID step-up.</summary>
    public sealed class StepUpVerdict
    {
        private StepUpVerdict(bool passed, BindingEvidence? binding, string? failureReason)
        {
            Passed = passed;
            Binding = binding;
            FailureReason = failureReason;
        }

        public bool Passed { get; }

        /// <value>This step-up is the first after a Verified proofing: its DID becomes the contact's bound DID.</value>
        public bool BindsDid => Binding is not null;

        /// <value>What the binding rests on, when this step-up binds; null otherwise.</value>
        public BindingEvidence? Binding { get; }

        public string? FailureReason { get; }

        internal static StepUpVerdict Pass(BindingEvidence? binding = null) => new(true, binding, null);

        internal static StepUpVerdict Fail(string reason) => new(false, null, reason);
    }

    /// <summary>
    /// Whether a LiveID approval proves it is the same person. A contact's first successful step-up binds the approver's
    /// BlockID DID to the contact only on evidence (docs/identity-binding.md): 1Kosmos holds a proof of the very document
    /// verified for this contact under the approver's identity, or, when 1Kosmos holds no proofs of theirs, the request
    /// went only to the contact's own email. Every later step-up must present the bound DID.
    /// </summary>
    public static class StepUpRules
    {
        /// <param name="observation">A completed approval.</param>
        /// <param name="boundDid">The DID bound to the contact, or null before the first binding.</param>
        /// <param name="hasVerifiedProofing">The contact has a Verified identity proofing.</param>
        /// <param name="approverProofs">How the approver's own 1Kosmos proofs compare with the contact's proofed document (asked only when nothing is bound).</param>
        /// <param name="sentOnlyToContact">The approval link went only to the contact's own email, never to the agent.</param>
        public static StepUpVerdict Judge(LiveIdObservation observation, string? boundDid, bool hasVerifiedProofing, ApproverProofs approverProofs = ApproverProofs.Unavailable, bool sentOnlyToContact = false)
        {
            if (observation.State != SessionState.Succeeded || string.IsNullOrEmpty(observation.Did))
            {
                throw new ArgumentException("Only a completed LiveID approval with a DID can be judged.", nameof(observation));
            }
            if (!string.IsNullOrEmpty(boundDid))
            {
                return string.Equals(boundDid, observation.Did, StringComparison.Ordinal)
                    ? StepUpVerdict.Pass()
                    : StepUpVerdict.Fail("DID_MISMATCH: The BlockID app presented another person's identity than the one bound to this contact.");
            }
            if (!hasVerifiedProofing)
            {
                return StepUpVerdict.Fail("NOT_PROOFED: The contact has no Verified identity proofing to tie this BlockID identity to; verify the contact first.");
            }
            return approverProofs switch
            {
                ApproverProofs.Match => StepUpVerdict.Pass(BindingEvidence.DocumentMatch),
                ApproverProofs.Mismatch => StepUpVerdict.Fail("NOT_THE_PROOFED_PERSON: 1Kosmos' proofs of the BlockID user who approved are of another document than the one verified for this contact: nothing was bound."),
                _ when sentOnlyToContact => StepUpVerdict.Pass(BindingEvidence.ContactEmail),
                _ => StepUpVerdict.Fail("NO_BINDING_EVIDENCE: 1Kosmos holds no proof tying this BlockID user to the contact's verified document, and the request was not sent only to the contact: nothing was bound. Ask again (the first request goes to the contact's email) or have a Verification Administrator bind the identity."),
            };
        }

        /// <summary>How the approver's proofed documents (one-way hashes from 1Kosmos) compare with the contact's proofed one.</summary>
        /// <param name="proofedDocumentHash">The hash of the document verified for the contact; null when the proofing recorded none.</param>
        /// <param name="approverDocumentHashes">The hashes of the documents 1Kosmos holds proofs of for the approver; null when it holds none or could not say.</param>
        public static ApproverProofs Compare(string? proofedDocumentHash, IReadOnlyCollection<string>? approverDocumentHashes)
        {
            if (string.IsNullOrEmpty(proofedDocumentHash) || approverDocumentHashes is null || approverDocumentHashes.Count == 0)
            {
                return ApproverProofs.Unavailable;
            }
            return approverDocumentHashes.Any(hash => string.Equals(hash, proofedDocumentHash, StringComparison.OrdinalIgnoreCase))
                ? ApproverProofs.Match
                : ApproverProofs.Mismatch;
        }

        /// <summary>
        /// A contact without LiveID is stepped up by a new proofing: it counts as the step-up when it was asked as one and
        /// just became Verified at IAL2 (a liveness-checked selfie); a document alone (IAL1) proves no one is present.
        /// </summary>
        public static bool ProofingCountsAsStepUp(string? stepUpReason, VerificationState after) =>
            !string.IsNullOrWhiteSpace(stepUpReason)
            && after.Status == VerificationStatus.Verified
            && after.AssuranceLevel == AssuranceLevel.IAL2;
    }
}
