using System;

namespace OneKosmos.Core.Verification
{
    /// <summary>What the BlockID app answered to a LiveID step-up: nothing yet, or the person's DID and assurance level.</summary>
    public sealed class LiveIdObservation
    {
        public LiveIdObservation(SessionState state, string? did = null, AssuranceLevel? assuranceLevel = null)
        {
            State = state;
            Did = did;
            AssuranceLevel = assuranceLevel;
        }

        public SessionState State { get; }

        public string? Did { get; }

        /// <value>The ial the response states, taken as stated; null when it states none.</value>
        public AssuranceLevel? AssuranceLevel { get; }
    }

    /// <summary>The verdict on a completed LiveID step-up.</summary>
    public sealed class StepUpVerdict
    {
        private StepUpVerdict(bool passed, bool bindsDid, string? failureReason)
        {
            Passed = passed;
            BindsDid = bindsDid;
            FailureReason = failureReason;
        }

        public bool Passed { get; }

        /// <value>This step-up is the first after a Verified proofing: its DID becomes the contact's bound DID.</value>
        public bool BindsDid { get; }

        public string? FailureReason { get; }

        internal static StepUpVerdict Pass(bool bindsDid) => new(true, bindsDid, null);

        internal static StepUpVerdict Fail(string reason) => new(false, false, reason);
    }

    /// <summary>
    /// Whether a LiveID approval proves it is the same person: the first successful step-up after a Verified proofing
    /// binds the person's BlockID DID to the contact; every later one must present that same DID.
    /// </summary>
    public static class StepUpRules
    {
        public static StepUpVerdict Judge(LiveIdObservation observation, string? boundDid, bool hasVerifiedProofing)
        {
            if (observation.State != SessionState.Succeeded || string.IsNullOrEmpty(observation.Did))
            {
                throw new ArgumentException("Only a completed LiveID approval with a DID can be judged.", nameof(observation));
            }
            if (string.IsNullOrEmpty(boundDid))
            {
                return hasVerifiedProofing
                    ? StepUpVerdict.Pass(bindsDid: true)
                    : StepUpVerdict.Fail("NOT_PROOFED: The contact has no Verified identity proofing to tie this BlockID identity to; verify the contact first.");
            }
            return string.Equals(boundDid, observation.Did, StringComparison.Ordinal)
                ? StepUpVerdict.Pass(bindsDid: false)
                : StepUpVerdict.Fail("DID_MISMATCH: The BlockID app presented another person's identity than the one bound to this contact.");
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
