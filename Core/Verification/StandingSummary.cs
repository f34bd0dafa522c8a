using System;
using System.Globalization;

namespace OneKosmos.Core.Verification
{
    /// <summary>The plain-language sentence the status API answers with, and the age wording the gate shares.</summary>
    public static class StandingSummary
    {
        /// <summary>One sentence for a person: the status, the level, and how recent the last step-up is.</summary>
        public static string Of(string who, IdentityStanding standing, int stepUpMaxAgeMinutes, DateTimeOffset now)
        {
            var identity = standing.Status switch
            {
                VerificationStatus.Verified => string.Format(CultureInfo.InvariantCulture, "{0} is verified at {1}{2}, {3}", who, standing.Level,
                    standing.MatchConfidence is { } passed ? ChecksPassed(passed) : "",
                    standing.VerifiedAt is { } at ? "since " + at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "with no date"),
                VerificationStatus.Pending => $"{who} has a verification in progress",
                VerificationStatus.Failed => $"{who} failed the last identity verification",
                VerificationStatus.Expired => $"{who}'s identity verification expired or is no longer current",
                _ => $"{who} has never been verified",
            };
            var stepUp = standing.LastStepUpAt is { } last
                ? $"; last biometric step-up {Age(now - last)} ago ({(StepUpFreshness.IsFresh(last, stepUpMaxAgeMinutes, now) ? "within" : "outside")} the {stepUpMaxAgeMinutes}-minute policy)"
                : "; no biometric step-up yet";
            var pending = standing.PendingJourney is { } journey && standing.Status != VerificationStatus.Pending ? $"; {InWords(journey)} is in progress" : "";
            return identity + stepUp + pending + ".";
        }

        /// <remarks>1Kosmos answers pass/fail checks, not a similarity: the share that passed is said as such, never as a face match.</remarks>
        private static string ChecksPassed(decimal passed) =>
            passed >= 1m ? " (all 1Kosmos checks passed)" : string.Format(CultureInfo.InvariantCulture, " ({0:0}% of 1Kosmos checks passed)", passed * 100);

        /// <summary>A journey as a person says it.</summary>
        public static string InWords(Journey journey) => journey switch
        {
            Journey.IdentityProofing => "an identity proofing (document and selfie)",
            Journey.LiveIdStepUp => "a LiveID step-up",
            Journey.VerifiedIdIssuance => "a Verified ID issuance",
            Journey.VerifiedIdFaceCheck => "a Face Check",
            _ => "a verification",
        };

        /// <summary>A duration in the largest whole unit: "45 s", "12 min", "3 h", "1 day", "2 days".</summary>
        public static string Age(TimeSpan age)
        {
            if (age < TimeSpan.Zero)
            {
                age = TimeSpan.Zero;
            }
            return age.TotalMinutes < 1 ? $"{(int)age.TotalSeconds} s"
                : age.TotalHours < 1 ? $"{(int)age.TotalMinutes} min"
                : age.TotalDays < 1 ? $"{(int)age.TotalHours} h"
                : (int)age.TotalDays == 1 ? "1 day" : $"{(int)age.TotalDays} days";
        }
    }
}
