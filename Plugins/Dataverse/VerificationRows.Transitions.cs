using System;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using OneKosmos.Core.Verification;

namespace OneKosmos.Plugins.Dataverse
{
    /// <summary>The state a row holds, and the one write that moves it to the state machine's answer.</summary>
    public sealed partial class VerificationRows
    {
        /// <value>What <see cref="StateOf"/> reads and <see cref="SaveTransition"/> needs: the state, the key parts and the row version.</value>
        public static readonly string[] StateColumns =
        {
            Schema.Verification.SessionId, Schema.Verification.ContactId, Schema.Verification.Journey, Schema.Verification.Status,
            Schema.Verification.ExpiresAt, Schema.Verification.IalLevel, Schema.Verification.MatchConfidence, Schema.Verification.VerifiedAt,
            Schema.Verification.DocumentType, Schema.Verification.DocumentCountry, Schema.Verification.DocumentExpiresOn,
            Schema.Verification.FailureReason, Schema.Verification.OpportunityId, Schema.Verification.LeadId, Schema.Verification.CaseId,
        };

        public static VerificationState StateOf(Entity row) =>
            new(
                Choices.StatusOf(row.GetAttributeValue<OptionSetValue>(Schema.Verification.Status)),
                DataverseTime.Utc(row.GetAttributeValue<DateTime?>(Schema.Verification.ExpiresAt)),
                Choices.LevelOf(row.GetAttributeValue<OptionSetValue>(Schema.Verification.IalLevel)),
                row.GetAttributeValue<decimal?>(Schema.Verification.MatchConfidence),
                DataverseTime.Utc(row.GetAttributeValue<DateTime?>(Schema.Verification.VerifiedAt)),
                row.GetAttributeValue<string>(Schema.Verification.DocumentType),
                row.GetAttributeValue<string>(Schema.Verification.DocumentCountry),
                row.GetAttributeValue<DateTime?>(Schema.Verification.DocumentExpiresOn),
                row.GetAttributeValue<string>(Schema.Verification.FailureReason));

        /// <summary>
        /// Writes <paramref name="transition"/> onto <paramref name="row"/> (read with <see cref="StateColumns"/>), with the
        /// journey's own <paramref name="extraColumns"/> and the check time. A final state frees the contact's slot, clears
        /// the person's link and raises the business event <see cref="Schema.Events.VerificationEnded"/>.
        /// </summary>
        /// <remarks>
        /// Two deliveries about one session may apply at once: the write carries the row version it read, so the second
        /// fails instead of overwriting the first, and its retry finds the final state.
        /// </remarks>
        public void SaveTransition(Entity row, Journey journey, Transition transition, Entity extraColumns, DateTimeOffset now)
        {
            var update = new Entity(Schema.Verification.EntityName, row.Id) { [Schema.Verification.LastCheckedAt] = now.UtcDateTime };
            foreach (var column in extraColumns.Attributes)
            {
                update[column.Key] = column.Value;
            }
            if (transition.Changed)
            {
                var state = transition.After;
                update[Schema.Verification.Status] = Choices.Of(state.Status);
                update[Schema.Verification.IalLevel] = state.AssuranceLevel is { } level ? Choices.Of(level) : null;
                update[Schema.Verification.MatchConfidence] = state.MatchConfidence;
                update[Schema.Verification.VerifiedAt] = state.VerifiedAt?.UtcDateTime;
                update[Schema.Verification.DocumentType] = state.DocumentType;
                update[Schema.Verification.DocumentCountry] = state.DocumentCountry;
                update[Schema.Verification.DocumentExpiresOn] = state.DocumentExpiresOn;
                update[Schema.Verification.FailureReason] = state.FailureReason;
                if (transition.BecameFinal)
                {
                    update[Schema.Verification.ReservationKey] = FinalKey(row.GetAttributeValue<EntityReference>(Schema.Verification.ContactId).Id, journey, row.Id);
                    update[Schema.Verification.CaptureUrl] = null;
                }
            }
            update.RowVersion = row.RowVersion;
            _system.Execute(new UpdateRequest { Target = update, ConcurrencyBehavior = ConcurrencyBehavior.IfRowVersionMatches });
            if (transition.BecameFinal)
            {
                VerificationEvents.Ended(_system, row.Id, row.GetAttributeValue<EntityReference>(Schema.Verification.ContactId).Id, transition.After.Status, journey);
            }
        }
    }
}
