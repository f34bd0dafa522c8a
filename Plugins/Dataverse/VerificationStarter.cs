using System;
using Microsoft.Xrm.Sdk;
using OneKosmos.Core.BlockId;
using OneKosmos.Core.Verification;

namespace OneKosmos.Plugins.Dataverse
{
    /// <summary>How a start ended.</summary>
    public enum StartOutcome
    {
        /// <summary>A new 1Kosmos session exists for the attempt.</summary>
        Started,
        /// <summary>An open attempt with a session already existed: nothing new was started.</summary>
        Reused,
        /// <summary>1Kosmos was unreachable or throttling: the attempt stays Pending with the reason, for reconciliation.</summary>
        WillRetry,
        /// <summary>1Kosmos refused or answered nonsense: the attempt is Failed with the reason.</summary>
        Failed,
        /// <summary>The contact was already Verified recently enough: nothing was reserved or started.</summary>
        AlreadyVerified,
    }

    /// <summary>How a start ended, and which verification row it concerns.</summary>
    public sealed class StartResult
    {
        public StartResult(StartOutcome outcome, Guid verificationId, string sessionId, VerificationStatus status, DateTimeOffset? expiresAt)
        {
            Outcome = outcome;
            VerificationId = verificationId;
            SessionId = sessionId;
            Status = status;
            ExpiresAt = expiresAt;
        }

        public StartOutcome Outcome { get; }

        public Guid VerificationId { get; }

        /// <value>
        /// What the row holds in okos_sessionid — the 1Kosmos session id, or the reservation (reserved:{row id}) while there
        /// is none — so the caller is told without reading the row again.
        /// </value>
        public string SessionId { get; }

        public VerificationStatus Status { get; }

        public DateTimeOffset? ExpiresAt { get; }

        public override string ToString() => Outcome.ToString();
    }

    /// <summary>
    /// Starts an identity proofing the DESIGN.md §1b way: reserve (or find) the row, then create the 1Kosmos session,
    /// then fill it in. A repeated execution finds the open attempt and starts nothing new; a failure is recorded on
    /// the row, never lost.
    /// </summary>
    public sealed class VerificationStarter
    {
        /// <value>The document type sessions ask for. Default dl_object (driver licence); 1Kosmos also accepts ppt_object and idcard_object.</value>
        public const string DocumentType = "dl_object";

        private readonly VerificationRepository _verifications;
        private readonly IOrganizationService _system;
        private readonly Func<BlockIdClient> _client;
        private readonly IClock _clock;

        public VerificationStarter(VerificationRepository verifications, IOrganizationService systemService, Func<BlockIdClient> client, IClock clock)
        {
            _verifications = verifications;
            _system = systemService;
            _client = client;
            _clock = clock;
        }

        /// <summary>Opens a document-and-selfie proofing; given <c>unlessVerifiedSince</c>, a contact Verified since then gets nothing new (AlreadyVerified).</summary>
        public StartResult StartProofing(ContactSnapshot contact, int sessionTtlMinutes, Guid correlationId, EntityReference? regarding, string? why = null, DateTimeOffset? unlessVerifiedSince = null) =>
            Start(contact, Journey.IdentityProofing, sessionTtlMinutes, correlationId, regarding, "identity proofing (document and selfie)", why, unlessVerifiedSince, client =>
            {
                var session = client.CreateDocumentSession(new DocumentSessionRequest(contact.Id.ToString(), contact.FirstName, contact.LastName, DocumentType));
                return new[] { session.SessionId, session.CaptureUrl };
            });

        /// <summary>Opens a LiveID step-up for the contact: approved with biometrics in the BlockID app.</summary>
        public StartResult StartStepUp(ContactSnapshot contact, int sessionTtlMinutes, Guid correlationId, EntityReference? regarding, string? why = null) =>
            Start(contact, Journey.LiveIdStepUp, sessionTtlMinutes, correlationId, regarding, "biometric step-up (LiveID)", why, null, client =>
            {
                var session = client.CreateLiveIdSession();
                return new[] { session.SessionId, session.ApprovalUrl };
            });

        /// <summary>Starts <paramref name="journey"/> (identity proofing or LiveID step-up).</summary>
        public StartResult Start(Journey journey, ContactSnapshot contact, int sessionTtlMinutes, Guid correlationId, EntityReference? regarding, string? why = null) => journey switch
        {
            Journey.IdentityProofing => StartProofing(contact, sessionTtlMinutes, correlationId, regarding, why),
            Journey.LiveIdStepUp => StartStepUp(contact, sessionTtlMinutes, correlationId, regarding, why),
            _ => throw new InvalidPluginExecutionException($"The {journey} journey is not started here: use IdentityProofing or LiveIdStepUp."),
        };

        /// <remarks>
        /// <c>open</c> opens the 1Kosmos session and returns its id and the person's link. <c>why</c> is the caller's reason,
        /// written to the timeline note.
        /// </remarks>
        private StartResult Start(ContactSnapshot contact, Journey journey, int sessionTtlMinutes, Guid correlationId, EntityReference? regarding, string description, string? why, DateTimeOffset? unlessVerifiedSince, Func<BlockIdClient, string[]> open)
        {
            var now = _clock.UtcNow;
            var found = _verifications.FindOpen(contact.Id, journey, unlessVerifiedSince);
            var attempt = found.Open;
            if (found.Verified)
            {
                return new StartResult(StartOutcome.AlreadyVerified, Guid.Empty, "", VerificationStatus.Verified, null);
            }
            if (attempt is not null && !string.IsNullOrWhiteSpace(why))
            {
                // The open attempt now answers a step-up too: passing it must count as one.
                _verifications.RecordStepUpReason(attempt, why!.Trim());
            }
            if (attempt is { HasSession: true })
            {
                return new StartResult(StartOutcome.Reused, attempt.Id, attempt.SessionId, VerificationStatus.Pending, attempt.ExpiresAt);
            }
            // The connection is read before anything is written: a missing one fails the start with nothing reserved.
            var client = _client();
            if (attempt is null)
            {
                attempt = _verifications.Reserve(contact, journey, now.AddMinutes(sessionTtlMinutes), correlationId, regarding, why?.Trim());
                Note(contact, regarding, "Identity verification started", string.IsNullOrWhiteSpace(why)
                    ? $"Journey: {description}. Status: Pending."
                    : $"Journey: {description}. Reason: {why!.Trim()}. Status: Pending.");
            }
            try
            {
                var session = open(client);
                _verifications.AttachSession(attempt, session[0], session[1], now);
                return new StartResult(StartOutcome.Started, attempt.Id, session[0], VerificationStatus.Pending, attempt.ExpiresAt);
            }
            catch (BlockIdException exception) when (exception.IsRetryable)
            {
                _verifications.RecordRetryableFailure(attempt, $"{exception.Failure.ToString().ToUpperInvariant()}: {exception.Message}", now);
                return new StartResult(StartOutcome.WillRetry, attempt.Id, attempt.SessionId, VerificationStatus.Pending, attempt.ExpiresAt);
            }
            catch (BlockIdException exception)
            {
                _verifications.RecordFinalFailure(attempt, $"{exception.Code ?? exception.Failure.ToString().ToUpperInvariant()}: {exception.Message}", now);
                Note(contact, regarding, "Identity verification could not start", $"1Kosmos {exception.Failure.ToString().ToLowerInvariant()} the request. See the verification row for the reason.");
                return new StartResult(StartOutcome.Failed, attempt.Id, attempt.SessionId, VerificationStatus.Failed, attempt.ExpiresAt);
            }
        }

        private void Note(ContactSnapshot contact, EntityReference? regarding, string subject, string text)
        {
            TimelineNotes.Add(_system, new EntityReference(Schema.Contact.EntityName, contact.Id), subject, text);
            if (regarding is not null)
            {
                TimelineNotes.Add(_system, regarding, subject, text);
            }
        }
    }
}
