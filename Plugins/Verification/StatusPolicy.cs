using System;
using System.Globalization;

namespace OneKosmos.Plugins.Verification
{
    /// <summary>Where a contact stands, across all their attempts: what flows, forms, Copilot and the gate read.</summary>
    public sealed class IdentityStanding
    {
        public IdentityStanding(
            VerificationStatus status,
            AssuranceLevel? level = null,
            decimal? matchConfidence = null,
            DateTimeOffset? verifiedAt = null,
            string? credentialDid = null,
            DateTimeOffset? lastStepUpAt = null,
            Journey? pendingJourney = null,
            bool verifiedIdIssued = false,
            bool faceCheckReady = false)
        {
            VerifiedIdIssued = verifiedIdIssued;
            FaceCheckReady = faceCheckReady;
            Status = status;
            Level = level;
            MatchConfidence = matchConfidence;
            VerifiedAt = verifiedAt;
            CredentialDid = credentialDid;
            LastStepUpAt = lastStepUpAt;
            PendingJourney = pendingJourney;
        }

        /// <value>Verified only while a Verified proofing is within the validity period; an older one reads Expired.</value>
        public VerificationStatus Status { get; }

        public AssuranceLevel? Level { get; }

        public decimal? MatchConfidence { get; }

        public DateTimeOffset? VerifiedAt { get; }

        public string? CredentialDid { get; }

        /// <value>When the last biometric step-up passed; null when none ever did.</value>
        public DateTimeOffset? LastStepUpAt { get; }

        /// <value>The journey of an attempt still open; null when none is.</value>
        public Journey? PendingJourney { get; }

        /// <value>The person accepted a Microsoft Entra Verified ID credential of ours into Microsoft Authenticator.</value>
        public bool VerifiedIdIssued { get; }

        /// <value>One of those credentials carries the verified face photo, so a Face Check step-up can be asked for.</value>
        public bool FaceCheckReady { get; }
    }

    /// <summary>The freshness rule and the plain-language sentence shared by the status API, the gate and the workflow activity.</summary>
    public static class StatusPolicy
    {
        /// <summary>Whether a step-up at <paramref name="lastStepUpAt"/> still counts under a policy of <paramref name="maxAgeMinutes"/>.</summary>
        public static bool IsStepUpFresh(DateTimeOffset? lastStepUpAt, int maxAgeMinutes, DateTimeOffset now) =>
            lastStepUpAt is { } at && at <= now.AddMinutes(1) && now - at <= TimeSpan.FromMinutes(maxAgeMinutes);

        /// <summary>One sentence for a person: the status, the level, and how recent the last step-up is.</summary>
        public static string Summary(string who, IdentityStanding standing, int stepUpMaxAgeMinutes, DateTimeOffset now)
        {
            var identity = standing.Status switch
            {
                VerificationStatus.Verified => string.Format(CultureInfo.InvariantCulture, "{0} is verified at {1}{2}, {3}", who, standing.Level,
                    standing.MatchConfidence is { } match ? string.Format(CultureInfo.InvariantCulture, " (face match {0:0}%)", match * 100) : "",
                    standing.VerifiedAt is { } at ? "since " + at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "with no date"),
                VerificationStatus.Pending => $"{who} has a verification in progress",
                VerificationStatus.Failed => $"{who} failed the last identity verification",
                VerificationStatus.Expired => $"{who}'s identity verification expired or is no longer current",
                _ => $"{who} has never been verified",
            };
            var stepUp = standing.LastStepUpAt is { } last
                ? $"; last biometric step-up {Age(now - last)} ago ({(IsStepUpFresh(last, stepUpMaxAgeMinutes, now) ? "within" : "outside")} the {stepUpMaxAgeMinutes}-minute policy)"
                : "; no biometric step-up yet";
            var pending = standing.PendingJourney is { } journey && standing.Status != VerificationStatus.Pending ? $"; a {journey} is in progress" : "";
            return identity + stepUp + pending + ".";
        }

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
