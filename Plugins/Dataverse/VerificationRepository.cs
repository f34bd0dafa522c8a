using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Core.Verification;

namespace OneKosmos.Plugins.Dataverse
{
    /// <summary>An attempt that is not final yet: the one a contact may have per journey.</summary>
    public sealed class OpenAttempt
    {
        public OpenAttempt(Guid id, Guid contactId, Journey journey, string sessionId, DateTimeOffset? expiresAt)
        {
            Id = id;
            ContactId = contactId;
            Journey = journey;
            SessionId = sessionId;
            ExpiresAt = expiresAt;
        }

        public Guid Id { get; }

        public Guid ContactId { get; }

        public Journey Journey { get; }

        public string SessionId { get; }

        public DateTimeOffset? ExpiresAt { get; }

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

        public OpenAttempt? FindOpen(Guid contactId, Journey journey) => FindOpen(contactId, journey, verifiedSince: null).Open;

        /// <summary>What <see cref="FindOpen(Guid, Journey, DateTimeOffset?)"/> found.</summary>
        public sealed class OpenLookup
        {
            internal OpenLookup(OpenAttempt? open, bool verified)
            {
                Open = open;
                Verified = verified;
            }

            public OpenAttempt? Open { get; }

            /// <value>A Verified attempt of the journey exists since the time asked about.</value>
            public bool Verified { get; }
        }

        /// <summary>
        /// The contact's open attempt of the journey and, when <paramref name="verifiedSince"/> is given, whether one of that
        /// journey was Verified since then: one query for a start that is skipped when the contact is already verified.
        /// </summary>
        public OpenLookup FindOpen(Guid contactId, Journey journey, DateTimeOffset? verifiedSince)
        {
            var openKey = OpenKey(contactId, journey);
            var query = new QueryExpression(Schema.Verification.EntityName)
            {
                ColumnSet = new ColumnSet(Schema.Verification.SessionId, Schema.Verification.ExpiresAt, Schema.Verification.ReservationKey),
            };
            if (verifiedSince is { } since)
            {
                query.Criteria.AddCondition(Schema.Verification.ContactId, ConditionOperator.Equal, contactId);
                var either = query.Criteria.AddFilter(LogicalOperator.Or);
                either.AddCondition(Schema.Verification.ReservationKey, ConditionOperator.Equal, openKey);
                var verified = either.AddFilter(LogicalOperator.And);
                verified.AddCondition(Schema.Verification.Journey, ConditionOperator.Equal, Choices.Of(journey).Value);
                verified.AddCondition(Schema.Verification.Status, ConditionOperator.Equal, Choices.Of(VerificationStatus.Verified).Value);
                verified.AddCondition(Schema.Verification.VerifiedAt, ConditionOperator.GreaterEqual, since.UtcDateTime);
            }
            else
            {
                query.TopCount = 1;
                query.Criteria.AddCondition(Schema.Verification.ReservationKey, ConditionOperator.Equal, openKey);
            }
            var rows = _system.RetrieveMultiple(query).Entities;
            var open = rows.FirstOrDefault(row => row.GetAttributeValue<string>(Schema.Verification.ReservationKey) == openKey);
            return new OpenLookup(
                open is null ? null : new OpenAttempt(open.Id, contactId, journey, open.GetAttributeValue<string>(Schema.Verification.SessionId), DataverseTime.Utc(open.GetAttributeValue<DateTime?>(Schema.Verification.ExpiresAt))),
                rows.Any(row => row.GetAttributeValue<string>(Schema.Verification.ReservationKey) != openKey));
        }

        /// <summary>
        /// Writes the Pending row first, owned like its contact; its alternate key refuses a second open attempt. A step-up's
        /// reason is kept on the row: a proofing with one counts as the step-up once it passes at IAL2.
        /// </summary>
        public OpenAttempt Reserve(ContactSnapshot contact, Journey journey, DateTimeOffset expiresAt, Guid correlationId, EntityReference? regarding, string? stepUpReason = null)
        {
            var id = _newId();
            _system.Create(NewAttempt(contact, journey, id, SessionIds.Reserved(id), expiresAt, correlationId, regarding, stepUpReason));
            return new OpenAttempt(id, contact.Id, journey, SessionIds.Reserved(id), expiresAt);
        }

        /// <value>A new row id, for a request made before its row is written (Entra's: its state names the row).</value>
        public Guid NewId() => _newId();

        /// <summary>
        /// Writes an open attempt whose request already exists (a Microsoft Entra Verified ID request: nothing is lost if
        /// the write fails, since an unused request expires within minutes). <paramref name="more"/> are extra columns.
        /// </summary>
        public OpenAttempt CreateOpened(ContactSnapshot contact, Journey journey, Guid id, string requestId, string link, DateTimeOffset expiresAt, Guid correlationId, EntityReference? regarding, string? stepUpReason, DateTimeOffset now, Entity more)
        {
            var row = NewAttempt(contact, journey, id, requestId, expiresAt, correlationId, regarding, stepUpReason);
            row[Schema.Verification.CaptureUrl] = link;
            row[Schema.Verification.LastCheckedAt] = now.UtcDateTime;
            foreach (var column in more.Attributes)
            {
                row[column.Key] = column.Value;
            }
            _system.Create(row);
            return new OpenAttempt(id, contact.Id, journey, requestId, expiresAt);
        }

        /// <summary>The open attempt's time ran out: Expired, its link cleared, its contact's slot freed.</summary>
        public void Expire(OpenAttempt attempt, DateTimeOffset now) =>
            _system.Update(new Entity(Schema.Verification.EntityName, attempt.Id)
            {
                [Schema.Verification.Status] = Choices.Of(VerificationStatus.Expired),
                [Schema.Verification.FailureReason] = "EXPIRED: The person did not finish in time; a new request was made.",
                [Schema.Verification.CaptureUrl] = null,
                [Schema.Verification.ReservationKey] = FinalKey(attempt.ContactId, attempt.Journey, attempt.Id),
                [Schema.Verification.LastCheckedAt] = now.UtcDateTime,
            });

        private static Entity NewAttempt(ContactSnapshot contact, Journey journey, Guid id, string sessionId, DateTimeOffset expiresAt, Guid correlationId, EntityReference? regarding, string? stepUpReason)
        {
            var row = new Entity(Schema.Verification.EntityName, id)
            {
                [Schema.Verification.Name] = $"{contact.FullName ?? contact.Id.ToString()} · {journey}",
                [Schema.Verification.ContactId] = new EntityReference(Schema.Contact.EntityName, contact.Id),
                [Schema.Verification.Journey] = Choices.Of(journey),
                [Schema.Verification.Status] = Choices.Of(VerificationStatus.Pending),
                [Schema.Verification.SessionId] = sessionId,
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
            return row;
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
