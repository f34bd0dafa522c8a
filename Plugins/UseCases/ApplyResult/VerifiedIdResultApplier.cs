using System;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Core.Callbacks;
using OneKosmos.Core.Verification;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Plugins.Entra;

namespace OneKosmos.Plugins.UseCases
{
    /// <summary>
    /// Applies Microsoft Entra Verified ID's callback, which is the result (Entra has no status endpoint): only for a
    /// request we created (row, request id and journey all match) that is still pending.
    /// </summary>
    public sealed class VerifiedIdResultApplier
    {
        private static readonly ColumnSet Columns = new(VerificationRows.StateColumns);

        private readonly VerificationRows _rows;
        private readonly ResultWriter _writer;
        private readonly Func<VerifiedIdConnection> _connection;
        private readonly IClock _clock;

        public VerifiedIdResultApplier(IOrganizationService systemService, Func<VerifiedIdConnection> connection, IClock clock)
        {
            _rows = new VerificationRows(systemService);
            _writer = new ResultWriter(systemService, _rows);
            _connection = connection;
            _clock = clock;
        }

        /// <summary>Applies one callback; returns null when it does not concern such a request, with the reason code in <paramref name="ignored"/>.</summary>
        public Transition? Apply(EntraCallback callback, out string? ignored)
        {
            ignored = null;
            var row = _rows.Find(callback.VerificationId, Columns);
            var journey = callback.Type == NotificationType.EntraIssuance ? Journey.VerifiedIdIssuance : Journey.VerifiedIdFaceCheck;
            if (row is null
                || !string.Equals(row.GetAttributeValue<string>(Schema.Verification.SessionId), callback.RequestId, StringComparison.Ordinal)
                || Choices.JourneyOf(row.GetAttributeValue<OptionSetValue>(Schema.Verification.Journey)) != journey)
            {
                ignored = "UNKNOWN_REQUEST";
                return null;
            }
            var current = VerificationRows.StateOf(row);
            // Expired is our own timer: an answer from Entra after it still decides (docs/design.md, the authoritative answer wins).
            if (current.Status is VerificationStatus.Verified or VerificationStatus.Failed)
            {
                ignored = "NOT_PENDING";
                return null;
            }
            var contact = row.GetAttributeValue<EntityReference>(Schema.Verification.ContactId);
            var now = _clock.UtcNow;
            string? refusal = null;
            int? threshold = null;
            if (callback.Observation.Event == VerifiedIdEvent.PresentationVerified)
            {
                var connection = _connection();
                refusal = VerifiedIdRules.RefusalOf(callback.Observation,
                    new PresentationExpectation(connection.Authority, connection.CredentialType, _rows.IssuedWithPhoto(contact.Id), connection.FaceCheckThreshold));
            }
            else if (callback.Observation.Event == VerifiedIdEvent.PresentationFailed && journey == Journey.VerifiedIdFaceCheck && !current.IsFinal)
            {
                threshold = _connection().FaceCheckThreshold;
            }
            var transition = VerificationStateMachine.ApplyVerifiedId(current, callback.Observation, refusal, now, threshold);
            var extra = new Entity(Schema.Verification.EntityName);
            if (transition.Changed && journey == Journey.VerifiedIdFaceCheck && transition.After.Status == VerificationStatus.Verified)
            {
                extra[Schema.Verification.LastStepUpAt] = now.UtcDateTime;
                extra[Schema.Verification.CredentialDid] = callback.Observation.SubjectDid;
            }
            _writer.Write(row, journey, transition, extra, now);
            return transition;
        }
    }
}
