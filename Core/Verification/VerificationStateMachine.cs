using System;

namespace OneKosmos.Core.Verification
{
    /// <summary>The outcome of applying one observation: the state after it, and whether anything changed.</summary>
    public sealed class Transition
    {
        public Transition(VerificationState before, VerificationState after, string reason)
        {
            Before = before;
            After = after;
            Reason = reason;
        }

        public VerificationState Before { get; }

        public VerificationState After { get; }

        /// <value>Why the state moved or stayed, for the trace (never carries PII).</value>
        public string Reason { get; }

        public bool Changed => !ReferenceEquals(Before, After);

        /// <value>The attempt reached a final state with this observation (its reservation slot can be freed).</value>
        public bool BecameFinal => Changed && After.IsFinal && !Before.IsFinal;
    }

    /// <summary>
    /// The one place every path (callback, reconcile, status refresh) turns what 1Kosmos said into our state
    /// (docs/design.md §1 rule 2). Idempotent: the same observation twice changes nothing the second time. It never
    /// regresses: a late "in progress" cannot undo Verified. Expired is our local guess, so a later final answer
    /// from 1Kosmos replaces it.
    /// </summary>
    public static class VerificationStateMachine
    {
        public static Transition Apply(VerificationState current, ProofingObservation observation, DateTimeOffset now)
        {
            if (current.Status is VerificationStatus.Verified or VerificationStatus.Failed)
            {
                return new Transition(current, current, $"already {current.Status}: final");
            }
            switch (observation.State)
            {
                case SessionState.Succeeded:
                    return new Transition(current, Verified(current, observation, now), current.Status == VerificationStatus.Expired
                        ? "1Kosmos verified the person after our local expiry: its answer wins"
                        : "1Kosmos verified the person");
                case SessionState.Failed:
                    var failed = Failed(current, observation);
                    // The reason code (IDV0012…) is no personal data and is what a support call needs first.
                    return new Transition(current, failed, failed.FailureReason is { } code ? $"1Kosmos could not verify the person ({code})" : "1Kosmos could not verify the person");
            }
            if (current.Status == VerificationStatus.Pending && current.ExpiresAt is { } expiresAt && now >= expiresAt)
            {
                return new Transition(current, Expired(current), "not finished before its expiry");
            }
            return new Transition(current, current, observation.State == SessionState.Unknown
                ? $"1Kosmos reported the unknown state '{observation.RawState}': still pending"
                : "still in progress");
        }

        /// <summary>
        /// A pending attempt whose result 1Kosmos keeps failing to give (the session purged, the tenant's keys changed) ends
        /// Expired once past its expiry, saying why; before its expiry, or when already final, nothing changes. A result
        /// that arrives later still wins, as after any expiry.
        /// </summary>
        public static Transition GiveUp(VerificationState current, string detail, DateTimeOffset now) =>
            current.Status == VerificationStatus.Pending && current.ExpiresAt is { } expiresAt && now >= expiresAt
                ? new Transition(current, new VerificationState(VerificationStatus.Expired, current.ExpiresAt,
                    failureReason: Reason("RESULT_UNAVAILABLE", $"1Kosmos could not give this attempt's result ({detail}); it expired. Start a new one.")), "1Kosmos kept failing to answer after the expiry")
                : new Transition(current, current, "still within its time: tried again later");

        /// <summary>
        /// A person ends a pending attempt (a link sent to the wrong address, an abandoned capture): Failed, so that no later
        /// answer for it ever counts, unlike our own expiry, which an authoritative answer may still replace.
        /// </summary>
        public static Transition Cancel(VerificationState current, string who, string? why) =>
            current.Status == VerificationStatus.Pending
                ? new Transition(current, new VerificationState(VerificationStatus.Failed, current.ExpiresAt,
                    failureReason: Reason("CANCELLED", string.IsNullOrWhiteSpace(why) ? $"Cancelled by {who}." : $"Cancelled by {who}: {why!.Trim()}")), $"cancelled by {who}")
                : new Transition(current, current, $"already {current.Status}: nothing to cancel");

        /// <summary>The same rules for a LiveID step-up: in progress until approved, then the verdict on the DID it presented.</summary>
        public static Transition ApplyStepUp(VerificationState current, LiveIdObservation observation, StepUpVerdict? verdict, DateTimeOffset now)
        {
            if (current.Status is VerificationStatus.Verified or VerificationStatus.Failed)
            {
                return new Transition(current, current, $"already {current.Status}: final");
            }
            if (observation.State != SessionState.Succeeded || verdict is null)
            {
                return Apply(current, new ProofingObservation(observation.State), now);
            }
            return verdict.Passed
                ? new Transition(current, new VerificationState(VerificationStatus.Verified, current.ExpiresAt, observation.AssuranceLevel, verifiedAt: now), "the person approved the step-up with LiveID")
                : new Transition(current, new VerificationState(VerificationStatus.Failed, current.ExpiresAt, failureReason: verdict.FailureReason), $"the step-up did not prove it is the same person ({verdict.FailureReason})");
        }

        /// <summary>
        /// The same rules for a Microsoft Entra Verified ID request, whose callback is the result: <paramref name="refusal"/>
        /// is <see cref="VerifiedIdRules.RefusalOf"/>'s answer for a verified presentation (null when it counts).
        /// </summary>
        /// <remarks>
        /// Expired is our own timer: Entra's answer arriving after it still decides, as 1Kosmos' does. <paramref name="faceCheckThreshold"/>,
        /// the threshold a failed Face Check was held to, is said with Entra's reason so a person sees what it missed.
        /// </remarks>
        public static Transition ApplyVerifiedId(VerificationState current, VerifiedIdObservation observation, string? refusal, DateTimeOffset now, int? faceCheckThreshold = null)
        {
            if (current.Status is VerificationStatus.Verified or VerificationStatus.Failed)
            {
                return new Transition(current, current, $"already {current.Status}: final");
            }
            switch (observation.Event)
            {
                case VerifiedIdEvent.IssuanceSucceeded:
                    return new Transition(current, new VerificationState(VerificationStatus.Verified, current.ExpiresAt, current.AssuranceLevel, verifiedAt: now), "the person accepted the credential into Microsoft Authenticator");
                case VerifiedIdEvent.PresentationVerified:
                    var confidence = observation.MatchConfidenceScore is { } score ? Math.Round((decimal)score / 100m, 4) : (decimal?)null;
                    return refusal is null
                        ? new Transition(current, new VerificationState(VerificationStatus.Verified, current.ExpiresAt, current.AssuranceLevel, confidence, now), "the person passed Face Check")
                        : new Transition(current, new VerificationState(VerificationStatus.Failed, current.ExpiresAt, matchConfidence: confidence, failureReason: refusal), "the presentation does not count as this contact's step-up");
                case VerifiedIdEvent.IssuanceFailed:
                case VerifiedIdEvent.PresentationFailed:
                    var message = observation.ErrorMessage ?? "Microsoft Entra Verified ID gave no reason";
                    if (observation.Event == VerifiedIdEvent.PresentationFailed && faceCheckThreshold is { } threshold)
                    {
                        message = $"{message.TrimEnd('.')} (Face Check threshold {threshold}%).";
                    }
                    return new Transition(current, new VerificationState(VerificationStatus.Failed, current.ExpiresAt, failureReason: Reason(observation.ErrorCode ?? "VERIFIED_ID_ERROR", message)),
                        "Microsoft Entra Verified ID reported an error");
                default:
                    return new Transition(current, current, "the person opened the request: still pending");
            }
        }

        private static VerificationState Verified(VerificationState current, ProofingObservation observation, DateTimeOffset now) =>
            new(
                VerificationStatus.Verified,
                current.ExpiresAt,
                ProofingRules.AssuranceLevelOf(observation),
                ProofingRules.MatchConfidenceOf(observation),
                now,
                observation.DocumentType,
                observation.DocumentCountry,
                observation.DocumentExpiresOn);

        private static VerificationState Failed(VerificationState current, ProofingObservation observation) =>
            new(
                VerificationStatus.Failed,
                current.ExpiresAt,
                matchConfidence: ProofingRules.MatchConfidenceOf(observation),
                documentType: observation.DocumentType,
                documentCountry: observation.DocumentCountry,
                failureReason: Reason(observation.ReasonCode ?? "FAILED", observation.ReasonText ?? "1Kosmos gave no reason"));

        private static VerificationState Expired(VerificationState current) =>
            new(VerificationStatus.Expired, current.ExpiresAt, failureReason: Reason("EXPIRED", "The person did not finish verification in time; start a new one."));

        private static string Reason(string code, string text) => $"{code}: {text}";
    }
}
