using System;
using Microsoft.Xrm.Sdk;
using OneKosmos.Core.Verification;

namespace OneKosmos.Plugins.Dataverse
{
    /// <summary>
    /// How attempts are written before any result exists: a start reserves its row before calling 1Kosmos, with a
    /// reservation key that lets one open attempt exist per contact and journey (docs/design.md, starting is reserved first).
    /// </summary>
    public sealed partial class VerificationRows
    {
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

        /// <summary>The open attempt's time ran out: Expired, its link cleared, its contact's slot freed, the ending announced.</summary>
        public void Expire(OpenAttempt attempt, DateTimeOffset now)
        {
            _system.Update(new Entity(Schema.Verification.EntityName, attempt.Id)
            {
                [Schema.Verification.Status] = Choices.Of(VerificationStatus.Expired),
                [Schema.Verification.FailureReason] = "EXPIRED: The person did not finish in time; a new request was made.",
                [Schema.Verification.CaptureUrl] = null,
                [Schema.Verification.ReservationKey] = FinalKey(attempt.ContactId, attempt.Journey, attempt.Id),
                [Schema.Verification.LastCheckedAt] = now.UtcDateTime,
            });
            VerificationEvents.Ended(_system, attempt.Id, attempt.ContactId, VerificationStatus.Expired, attempt.Journey);
        }

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

        /// <summary>A LiveID session whose link went only to the contact's email: the link is not stored, the row says so.</summary>
        public void AttachPrivateSession(OpenAttempt attempt, string sessionId, DateTimeOffset now) =>
            _system.Update(new Entity(Schema.Verification.EntityName, attempt.Id)
            {
                [Schema.Verification.SessionId] = sessionId,
                [Schema.Verification.CaptureUrl] = null,
                [Schema.Verification.SentOnlyToContact] = true,
                [Schema.Verification.FailureReason] = null,
                [Schema.Verification.LastCheckedAt] = now.UtcDateTime,
            });

        /// <summary>
        /// Records how a reconciliation check of a pending row went: <paramref name="consecutiveFailures"/> 0 when 1Kosmos
        /// answered, else how many checks in a row it could not; the check time moves the row behind the others.
        /// </summary>
        public void RecordCheck(Guid verificationId, int consecutiveFailures, DateTimeOffset now) =>
            _system.Update(new Entity(Schema.Verification.EntityName, verificationId)
            {
                [Schema.Verification.LastCheckedAt] = now.UtcDateTime,
                [Schema.Verification.CheckFailures] = consecutiveFailures,
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
