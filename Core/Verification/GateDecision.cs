using System;

namespace OneKosmos.Core.Verification
{
    /// <summary>What a gate rule says of a contact's standing: allowed, or blocked with what is missing and how to fix it.</summary>
    public sealed class GateDecision
    {
        private static readonly GateDecision Allowed = new(true, true, "", AssuranceLevel.IAL2, VerificationStatus.Verified, null);

        private readonly bool _verified;
        private readonly bool _fresh;
        private readonly string _stepUp;
        private readonly AssuranceLevel _required;
        private readonly VerificationStatus _status;
        private readonly AssuranceLevel? _level;

        private GateDecision(bool verified, bool fresh, string stepUp, AssuranceLevel required, VerificationStatus status, AssuranceLevel? level)
        {
            _verified = verified;
            _fresh = fresh;
            _stepUp = stepUp;
            _required = required;
            _status = status;
            _level = level;
        }

        public bool IsAllowed => _verified && _fresh;

        /// <value>
        /// What is missing, as a code a business event carries: StepUpNeeded (verified, no fresh step-up),
        /// VerificationPending, or NotVerified (never, failed, expired or below the level); empty when allowed.
        /// </value>
        public string Shortfall => IsAllowed ? "" : _verified ? "StepUpNeeded" : _status == VerificationStatus.Pending ? "VerificationPending" : "NotVerified";

        /// <summary>The verdict <paramref name="rule"/> gives on <paramref name="standing"/>.</summary>
        public static GateDecision Of(GateRule rule, IdentityStanding standing, int defaultStepUpMaxAgeMinutes, DateTimeOffset now)
        {
            var verified = standing.Status == VerificationStatus.Verified && standing.Level is { } level && level >= rule.RequiredLevel;
            var maxAge = rule.StepUpMaxAgeMinutes ?? defaultStepUpMaxAgeMinutes;
            var fresh = !rule.RequireStepUp || StepUpFreshness.IsFresh(standing.LastStepUpAt, maxAge, now);
            if (verified && fresh)
            {
                return Allowed;
            }
            var stepUp = standing.LastStepUpAt is { } last
                ? $"last step-up {StandingSummary.Age(now - last)} ago, policy requires {maxAge} min"
                : $"no biometric step-up yet, policy requires one within {maxAge} min";
            return new GateDecision(verified, fresh, stepUp, rule.RequiredLevel, standing.Status, standing.Level);
        }

        /// <summary>
        /// Why the action is blocked, naming <paramref name="who"/>, what is missing and the one next step that works from the
        /// contact's state, in the identity panel's words (its buttons <i>Start verification</i> and <i>Request step-up</i>);
        /// shown to the user as is.
        /// </summary>
        /// <remarks>The contact's name is asked for only here, so an allowed action never reads it.</remarks>
        public string Explain(string who)
        {
            if (IsAllowed)
            {
                throw new InvalidOperationException("An allowed action has nothing to explain.");
            }
            if (_verified)
            {
                return $"Contact {who} needs a biometric step-up: {_stepUp}. In the identity panel, select Request step-up, and try again once the contact has approved it.";
            }
            var needs = _fresh ? $"this needs {_required} verification" : $"this needs {_required} verification and a biometric step-up ({_stepUp})";
            if (_status == VerificationStatus.Pending)
            {
                return $"Contact {who} has an identity verification in progress; {needs}. Wait until the identity panel shows Verified{(_fresh ? "" : ", then select Request step-up")}, and try again.";
            }
            var state = _status switch
            {
                VerificationStatus.Verified => $"Contact {who} is verified at {_level}",
                VerificationStatus.Failed => $"Contact {who}'s last identity verification failed",
                VerificationStatus.Expired => $"Contact {who}'s identity verification has expired",
                _ => $"Contact {who} is not verified",
            };
            var start = _status == VerificationStatus.Verified ? "Start verification for a new document and selfie check" : "Start verification";
            return $"{state}; {needs}. In the identity panel, select {start}{(_fresh ? "" : "; once the contact is Verified, select Request step-up")}; then try again.";
        }
    }
}
