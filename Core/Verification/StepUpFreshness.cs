using System;

namespace OneKosmos.Core.Verification
{
    /// <summary>The freshness rule shared by the status API, the gate and the workflow activity.</summary>
    public static class StepUpFreshness
    {
        /// <summary>Whether a step-up at <paramref name="lastStepUpAt"/> still counts under a policy of <paramref name="maxAgeMinutes"/>.</summary>
        public static bool IsFresh(DateTimeOffset? lastStepUpAt, int maxAgeMinutes, DateTimeOffset now) =>
            lastStepUpAt is { } at && at <= now.AddMinutes(1) && now - at <= TimeSpan.FromMinutes(maxAgeMinutes);
    }
}
