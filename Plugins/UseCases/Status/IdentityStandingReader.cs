using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Core.Verification;
using OneKosmos.Plugins.Dataverse;

namespace OneKosmos.Plugins.UseCases
{
    /// <summary>
    /// Reads where a contact stands from their okos_verification rows, first asking 1Kosmos about any pending session not
    /// checked for <see cref="RefreshAfter"/>, so a form that polls finishes a step-up within seconds even without a callback.
    /// </summary>
    public sealed class IdentityStandingReader
    {
        /// <value>A pending session checked longer ago than this is refreshed on read. Default 5 s.</value>
        public static readonly TimeSpan RefreshAfter = TimeSpan.FromSeconds(5);

        private static readonly ColumnSet Columns = new(
            Schema.Verification.Journey, Schema.Verification.Status, Schema.Verification.IalLevel, Schema.Verification.MatchConfidence,
            Schema.Verification.VerifiedAt, Schema.Verification.CredentialDid, Schema.Verification.LastStepUpAt, Schema.Verification.SessionId,
            Schema.Verification.LastCheckedAt, Schema.Verification.PhotoIncluded, "createdon");

        private readonly IOrganizationService _system;
        private readonly IClock _clock;
        private readonly Action<Guid>? _refresh;

        /// <remarks>
        /// <paramref name="refresh"/> asks 1Kosmos about one verification and applies the answer (and copes with 1Kosmos
        /// failing). Without it the rows are read as they are: the gate and the workflow activity make no calls out.
        /// </remarks>
        public IdentityStandingReader(IOrganizationService systemService, IClock clock, Action<Guid>? refresh = null)
        {
            _system = systemService;
            _clock = clock;
            _refresh = refresh;
        }

        public IdentityStanding Read(Guid contactId, int validityDays)
        {
            var now = _clock.UtcNow;
            var rows = Rows(contactId);
            var stale = _refresh is null ? Array.Empty<Entity>() : rows.Where(row => IsStale(row, now)).ToArray();
            if (stale.Length > 0)
            {
                foreach (var row in stale)
                {
                    _refresh!(row.Id);
                }
                rows = Rows(contactId);
            }
            return Standing(rows, validityDays, now);
        }

        private static IdentityStanding Standing(Entity[] rows, int validityDays, DateTimeOffset now)
        {
            Journey JourneyOf(Entity row) => Choices.JourneyOf(row.GetAttributeValue<OptionSetValue>(Schema.Verification.Journey));
            VerificationStatus StatusOf(Entity row) => Choices.StatusOf(row.GetAttributeValue<OptionSetValue>(Schema.Verification.Status));
            var proofings = rows.Where(row => JourneyOf(row) == Journey.IdentityProofing).ToArray();
            // A passed LiveID or Face Check step-up, or a proofing asked as a step-up that passed at IAL2: all carry okos_laststepupat.
            var stepUps = rows.Where(row => StatusOf(row) == VerificationStatus.Verified && row.GetAttributeValue<DateTime?>(Schema.Verification.LastStepUpAt) is not null).ToArray();
            var verified = proofings.Where(row => StatusOf(row) == VerificationStatus.Verified)
                .OrderByDescending(row => row.GetAttributeValue<DateTime?>(Schema.Verification.VerifiedAt)).FirstOrDefault();
            var verifiedAt = DataverseTime.Utc(verified?.GetAttributeValue<DateTime?>(Schema.Verification.VerifiedAt));
            var current = verifiedAt is { } at && at >= now.AddDays(-validityDays);
            var pending = rows.FirstOrDefault(row => StatusOf(row) == VerificationStatus.Pending);
            var issued = rows.Where(row => JourneyOf(row) == Journey.VerifiedIdIssuance && StatusOf(row) == VerificationStatus.Verified).ToArray();
            var status = current ? VerificationStatus.Verified
                : proofings.Any(row => StatusOf(row) == VerificationStatus.Pending) ? VerificationStatus.Pending
                : proofings.Length == 0 ? VerificationStatus.NotStarted
                : proofings[0] == verified ? VerificationStatus.Expired
                : StatusOf(proofings[0]);
            var lastStepUp = stepUps.Select(row => DataverseTime.Utc(row.GetAttributeValue<DateTime?>(Schema.Verification.LastStepUpAt))).Max();
            var did = verified?.GetAttributeValue<string>(Schema.Verification.CredentialDid)
                ?? stepUps.OrderByDescending(row => row.GetAttributeValue<DateTime?>(Schema.Verification.LastStepUpAt)).Select(row => row.GetAttributeValue<string>(Schema.Verification.CredentialDid)).FirstOrDefault();
            return new IdentityStanding(
                status,
                current ? Choices.LevelOf(verified!.GetAttributeValue<OptionSetValue>(Schema.Verification.IalLevel)) : null,
                current ? verified!.GetAttributeValue<decimal?>(Schema.Verification.MatchConfidence) : null,
                verifiedAt,
                did,
                lastStepUp,
                pending is null ? null : JourneyOf(pending),
                issued.Length > 0,
                issued.Any(row => row.GetAttributeValue<bool>(Schema.Verification.PhotoIncluded)));
        }

        private Entity[] Rows(Guid contactId) => new VerificationRows(_system).OfContact(contactId, Columns);

        private static bool IsStale(Entity row, DateTimeOffset now) =>
            Choices.StatusOf(row.GetAttributeValue<OptionSetValue>(Schema.Verification.Status)) == VerificationStatus.Pending
            && SessionIds.IsSession(row.GetAttributeValue<string>(Schema.Verification.SessionId))
            && (DataverseTime.Utc(row.GetAttributeValue<DateTime?>(Schema.Verification.LastCheckedAt)) is not { } checkedAt || now - checkedAt >= RefreshAfter);
    }
}
