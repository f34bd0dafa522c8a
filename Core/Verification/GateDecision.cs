using System;

namespace OneKosmos.Core.Verification
{
    /// <summary>What a gate rule says of a contact's standing: allowed, or blocked with what is missing and how to fix it.</summary>
    public sealed class GateDecision
    {
        private static readonly GateDecision Allowed = new(true, true, "");

        private readonly bool _verified;
        private readonly bool _fresh;
        private readonly string _current;
        private readonly string _stepUp;
        private readonly AssuranceLevel _required;

        private GateDecision(bool verified, bool fresh, string stepUp, AssuranceLevel required = AssuranceLevel.IAL2, string current = "")
        {
            _verified = verified;
            _fresh = fresh;
            _stepUp = stepUp;
            _required = required;
            _current = current;
        }

        public bool IsAllowed => _verified && _fresh;

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
            var current = standing.Status == VerificationStatus.Verified ? $"verified at {standing.Level}" : standing.Status.ToString();
            return new GateDecision(verified, fresh, stepUp, rule.RequiredLevel, current);
        }

        /// <summary>Why the action is blocked, naming <paramref name="who"/>, what is missing and how to fix it; shown to the user as is.</summary>
        /// <remarks>The contact's name is asked for only here, so an allowed action never reads it.</remarks>
        public string Explain(string who)
        {
            if (IsAllowed)
            {
                throw new InvalidOperationException("An allowed action has nothing to explain.");
            }
            var problem = !_verified && !_fresh ? $"Contact {who} needs {_required} verification (now: {_current}); {_stepUp}."
                : !_verified ? $"Contact {who} needs {_required} verification (now: {_current})."
                : $"Contact {who} needs a biometric step-up: {_stepUp}.";
            var fix = !_verified && !_fresh
                ? " Start an identity verification for the contact (Start Identity Verification) and, once it is Verified, ask for a step-up (Request Biometric Step-up); then try again."
                : !_verified
                ? " Start an identity verification for the contact (Start Identity Verification), and try again once it is Verified."
                : " Ask the contact for a step-up (Request Biometric Step-up), and try again once they have approved it.";
            return problem + fix;
        }
    }
}
