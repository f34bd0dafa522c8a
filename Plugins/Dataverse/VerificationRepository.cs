using System;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Plugins.Verification;

namespace OneKosmos.Plugins.Dataverse
{
    /// <summary>An attempt that is not final yet: the one a contact may have per journey.</summary>
    public sealed class OpenAttempt
    {
        public OpenAttempt(Guid id, Guid contactId, Journey journey, string sessionId)
        {
            Id = id;
            ContactId = contactId;
            Journey = journey;
            SessionId = sessionId;
        }

        public Guid Id { get; }

        public Guid ContactId { get; }

        public Journey Journey { get; }

        public string SessionId { get; }

        /// <value>1Kosmos has a session for it; false while only the reservation exists (reserved:{row id}).</value>
        public bool HasSession => SessionIds.IsSession(SessionId);
    }

    /// <summary>
    /// okos_verification rows, written with the system service (DESIGN.md §1b): a start reserves its row before
    /// calling 1Kosmos, with a reservation key that lets one open attempt exist per contact and journey.
    /// </summary>
    public sealed class VerificationRepository
    {
        private readonly IOrganizationService _system;
        private readonly Func<Guid> _newId;

        public VerificationRepository(IOrganizationService systemService, Func<Guid> newId)
        {
            _system = systemService;
            _newId = newId;
        }

        public static string OpenKey(Guid contactId, Journey journey) => $"{contactId}:{journey}:open";

        public static string FinalKey(Guid contactId, Journey journey, Guid rowId) => $"{contactId}:{journey}:{rowId}";

        public OpenAttempt? FindOpen(Guid contactId, Journey journey)
        {
            var query = new QueryExpression(Schema.Verification.EntityName) { ColumnSet = new ColumnSet(Schema.Verification.SessionId), TopCount = 1 };
            query.Criteria.AddCondition(Schema.Verification.ReservationKey, ConditionOperator.Equal, OpenKey(contactId, journey));
            var rows = _system.RetrieveMultiple(query).Entities;
            return rows.Count == 0 ? null : new OpenAttempt(rows[0].Id, contactId, journey, rows[0].GetAttributeValue<string>(Schema.Verification.SessionId));
        }

        /// <summary>
        /// Writes the Pending row first, owned like its contact; its alternate key refuses a second open attempt. A step-up's
        /// reason is kept on the row: a proofing with one counts as the step-up once it passes at IAL2.
        /// </summary>
        public OpenAttempt Reserve(ContactSnapshot contact, Journey journey, DateTimeOffset expiresAt, Guid correlationId, EntityReference? regarding, string? stepUpReason = null)
        {
            var id = _newId();
            var row = new Entity(Schema.Verification.EntityName, id)
            {
                [Schema.Verification.Name] = $"{contact.FullName ?? contact.Id.ToString()} · {journey}",
                [Schema.Verification.ContactId] = new EntityReference(Schema.Contact.EntityName, contact.Id),
                [Schema.Verification.Journey] = Choices.Of(journey),
                [Schema.Verification.Status] = Choices.Of(VerificationStatus.Pending),
                [Schema.Verification.SessionId] = SessionIds.Reserved(id),
                [Schema.Verification.ReservationKey] = OpenKey(contact.Id, journey),
                [Schema.Verification.ExpiresAt] = expiresAt.UtcDateTime,
                [Schema.Verification.CorrelationId] = correlationId.ToString(),
            };
            if (!string.IsNullOrEmpty(stepUpReason))
            {
                row[Schema.Verification.StepUpReason] = stepUpReason;
            }
            if (contact.Owner is not null)
            {
                row[Schema.Verification.OwnerId] = contact.Owner;
            }
            if (regarding is not null)
            {
                row[RegardingColumn(regarding)] = regarding;
            }
            _system.Create(row);
            return new OpenAttempt(id, contact.Id, journey, SessionIds.Reserved(id));
        }

        /// <remarks>The link is the bearer link the person opens: a capture page, or the LiveID approval.</remarks>
        public void AttachSession(OpenAttempt attempt, string sessionId, string link, DateTimeOffset now) =>
            _system.Update(new Entity(Schema.Verification.EntityName, attempt.Id)
            {
                [Schema.Verification.SessionId] = sessionId,
                [Schema.Verification.CaptureUrl] = link,
                [Schema.Verification.FailureReason] = null,
                [Schema.Verification.LastCheckedAt] = now.UtcDateTime,
            });

        /// <summary>An open attempt is asked for again as a step-up: it keeps the reason, so passing it counts as the step-up.</summary>
        public void RecordStepUpReason(OpenAttempt attempt, string reason) =>
            _system.Update(new Entity(Schema.Verification.EntityName, attempt.Id) { [Schema.Verification.StepUpReason] = reason });

        /// <summary>The start failed for now: the row stays Pending with the reason, for reconciliation to retry.</summary>
        public void RecordRetryableFailure(OpenAttempt attempt, string reason, DateTimeOffset now) =>
            _system.Update(new Entity(Schema.Verification.EntityName, attempt.Id)
            {
                [Schema.Verification.FailureReason] = reason,
                [Schema.Verification.LastCheckedAt] = now.UtcDateTime,
            });

        /// <summary>The start failed for good: the row is Failed and frees the contact's slot for a later attempt.</summary>
        public void RecordFinalFailure(OpenAttempt attempt, string reason, DateTimeOffset now) =>
            _system.Update(new Entity(Schema.Verification.EntityName, attempt.Id)
            {
                [Schema.Verification.Status] = Choices.Of(VerificationStatus.Failed),
                [Schema.Verification.FailureReason] = reason,
                [Schema.Verification.ReservationKey] = FinalKey(attempt.ContactId, attempt.Journey, attempt.Id),
                [Schema.Verification.LastCheckedAt] = now.UtcDateTime,
            });

        private static string RegardingColumn(EntityReference regarding) => regarding.LogicalName switch
        {
            Schema.Opportunity.EntityName => Schema.Verification.OpportunityId,
            Schema.Lead.EntityName => Schema.Verification.LeadId,
            Schema.Case.EntityName => Schema.Verification.CaseId,
            _ => throw new InvalidPluginExecutionException($"A verification cannot be regarding a {regarding.LogicalName}: use an opportunity, a lead or a case."),
        };
    }
}
