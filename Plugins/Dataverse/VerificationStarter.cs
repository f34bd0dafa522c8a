using System;
using Microsoft.Xrm.Sdk;
using OneKosmos.Plugins.BlockId;
using OneKosmos.Plugins.Verification;

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

        public StartOutcome StartProofing(ContactSnapshot contact, int sessionTtlMinutes, Guid correlationId, EntityReference? regarding)
        {
            var now = _clock.UtcNow;
            var attempt = _verifications.FindOpen(contact.Id, Journey.IdentityProofing);
            if (attempt is { HasSession: true })
            {
                return StartOutcome.Reused;
            }
            // The connection is read before anything is written: a missing one fails the start with nothing reserved.
            var client = _client();
            if (attempt is null)
            {
                attempt = _verifications.Reserve(contact, Journey.IdentityProofing, now.AddMinutes(sessionTtlMinutes), correlationId, regarding);
                Note(contact, regarding, "Identity verification started", "Journey: identity proofing (document and selfie). Status: Pending.");
            }
            try
            {
                var session = client.CreateDocumentSession(new DocumentSessionRequest(contact.Id.ToString(), contact.FirstName, contact.LastName, DocumentType));
                _verifications.AttachSession(attempt, session, now);
                return StartOutcome.Started;
            }
            catch (BlockIdException exception) when (exception.IsRetryable)
            {
                _verifications.RecordRetryableFailure(attempt, $"{exception.Failure.ToString().ToUpperInvariant()}: {exception.Message}", now);
                return StartOutcome.WillRetry;
            }
            catch (BlockIdException exception)
            {
                _verifications.RecordFinalFailure(attempt, $"{exception.Code ?? exception.Failure.ToString().ToUpperInvariant()}: {exception.Message}", now);
                Note(contact, regarding, "Identity verification could not start", $"1Kosmos {exception.Failure.ToString().ToLowerInvariant()} the request. See the verification row for the reason.");
                return StartOutcome.Failed;
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
