using System;
using Microsoft.Xrm.Sdk;
using OneKosmos.Core.BlockId;
using OneKosmos.Core.Verification;
using OneKosmos.Plugins.Dataverse;

namespace OneKosmos.Plugins.UseCases
{
    /// <summary>
    /// Starts an identity proofing or a LiveID step-up the way docs/design.md says (starting is reserved first): reserve (or
    /// find) the row, then create the 1Kosmos session, then fill it in. A repeated execution finds the open attempt and
    /// starts nothing new; a failure is recorded on the row, never lost.
    /// </summary>
    public sealed class VerificationStarter
    {
        /// <value>The document type sessions ask for. Default dl_object (driver licence); 1Kosmos also accepts ppt_object and idcard_object.</value>
        public const string DocumentType = "dl_object";

        private readonly VerificationRows _verifications;
        private readonly IOrganizationService _system;
        private readonly Func<BlockIdClient> _client;
        private readonly IClock _clock;
        private readonly string? _stepUpEmailQueue;

        /// <remarks>
        /// <c>stepUpEmailQueue</c> is okos_StepUpEmailQueue: with it, a contact's first LiveID request (no identity bound yet)
        /// goes only to the contact's email, so the binding may rest on it when 1Kosmos holds no proofs of the approver.
        /// </remarks>
        public VerificationStarter(VerificationRows verifications, IOrganizationService systemService, Func<BlockIdClient> client, IClock clock, string? stepUpEmailQueue = null)
        {
            _verifications = verifications;
            _system = systemService;
            _client = client;
            _clock = clock;
            _stepUpEmailQueue = stepUpEmailQueue;
        }

        /// <summary>Starts <paramref name="journey"/>: identity proofing (document and selfie) or a LiveID step-up (approved with biometrics in the BlockID app).</summary>
        public StartResult Start(Journey journey, StartRequest request) => journey switch
        {
            Journey.IdentityProofing => Start(request, Journey.IdentityProofing, "identity proofing (document and selfie)", client =>
            {
                var contact = request.Contact;
                var session = client.CreateDocumentSession(new DocumentSessionRequest(contact.Id.ToString(), contact.FirstName, contact.LastName, DocumentType));
                return new OpenedSession(session.SessionId, session.CaptureUrl);
            }),
            Journey.LiveIdStepUp => Start(request, Journey.LiveIdStepUp, "biometric step-up (LiveID)", client =>
            {
                var session = client.CreateLiveIdSession();
                return new OpenedSession(session.SessionId, session.ApprovalUrl);
            }),
            _ => throw new InvalidPluginExecutionException($"The {journey} journey is not started here: use IdentityProofing or LiveIdStepUp."),
        };

        /// <remarks><c>open</c> opens the 1Kosmos session and returns its id and the person's link.</remarks>
        private StartResult Start(StartRequest request, Journey journey, string description, Func<BlockIdClient, OpenedSession> open)
        {
            var now = _clock.UtcNow;
            var contact = request.Contact;
            var found = _verifications.FindOpen(contact.Id, journey, request.UnlessVerifiedSince);
            var attempt = found.Open;
            if (found.Verified)
            {
                return new StartResult(StartOutcome.AlreadyVerified, Guid.Empty, "", VerificationStatus.Verified, null);
            }
            if (attempt is not null && request.Why is { } reason)
            {
                // The open attempt now answers a step-up too: passing it must count as one.
                _verifications.RecordStepUpReason(attempt, reason);
            }
            if (attempt is { HasSession: true })
            {
                return new StartResult(StartOutcome.Reused, attempt.Id, attempt.SessionId, VerificationStatus.Pending, attempt.ExpiresAt);
            }
            // What can fail is checked before anything is written: a missing connection or mailbox leaves nothing reserved.
            var requiredAddress = request.LinkToContactOnly ? RequiredAddressOf(contact.Id) : null;
            var client = _client();
            if (attempt is null)
            {
                attempt = _verifications.Reserve(contact, journey, now.AddMinutes(request.SessionTtlMinutes), request.CorrelationId, request.Regarding, request.Why);
                Note(request, "Identity verification started", request.Why is null
                    ? $"Journey: {description}. Status: Pending."
                    : $"Journey: {description}. Reason: {request.Why}. Status: Pending.");
            }
            var privateAddress = requiredAddress ?? (journey == Journey.LiveIdStepUp ? PrivateAddressFor(contact.Id) : null);
            try
            {
                var session = open(client);
                if (privateAddress is null)
                {
                    _verifications.AttachSession(attempt, session.SessionId, session.Link, now);
                }
                else
                {
                    _verifications.AttachPrivateSession(attempt, session.SessionId, now);
                    ApprovalEmail.Send(_system, contact.Reference, _stepUpEmailQueue!, session.Link, attempt.ExpiresAt, journey);
                    Note(request, journey == Journey.LiveIdStepUp ? "LiveID request emailed to the contact" : "Verification link emailed to the contact",
                        $"The link went only to the contact's email address ({privateAddress}); it is not shown in Dataverse.");
                }
                return new StartResult(StartOutcome.Started, attempt.Id, session.SessionId, VerificationStatus.Pending, attempt.ExpiresAt);
            }
            catch (BlockIdException exception) when (exception.IsRetryable)
            {
                _verifications.RecordRetryableFailure(attempt, $"{exception.Failure.ToString().ToUpperInvariant()}: {exception.Message}", now);
                return new StartResult(StartOutcome.WillRetry, attempt.Id, attempt.SessionId, VerificationStatus.Pending, attempt.ExpiresAt)
                {
                    ThrottledFor = exception.Failure == BlockIdFailure.Throttled ? exception.RetryAfter ?? TimeSpan.Zero : null,
                };
            }
            catch (BlockIdException exception)
            {
                _verifications.RecordFinalFailure(attempt, $"{exception.Code ?? exception.Failure.ToString().ToUpperInvariant()}: {exception.Message}", now);
                Note(request, "Identity verification could not start", $"1Kosmos {exception.Failure.ToString().ToLowerInvariant()} the request. See the verification row for the reason.");
                return new StartResult(StartOutcome.Failed, attempt.Id, attempt.SessionId, VerificationStatus.Failed, attempt.ExpiresAt);
            }
        }

        /// <summary>
        /// Where a LiveID request goes only to the contact: their email address when no identity is bound to them yet and
        /// okos_StepUpEmailQueue names a sending queue; null when the link is handed to the caller as usual.
        /// </summary>
        private string? PrivateAddressFor(Guid contactId) =>
            _stepUpEmailQueue is null ? null : ApprovalEmail.PrivateAddressOf(_system, contactId);

        /// <exception cref="InvalidPluginExecutionException">No queue sends links to contacts, or the contact has no email address.</exception>
        private string RequiredAddressOf(Guid contactId)
        {
            if (_stepUpEmailQueue is null)
            {
                throw new InvalidPluginExecutionException("The link can go only to the contact's email when okos_StepUpEmailQueue names a queue with an approved mailbox, and none is set. A Verification Administrator sets it; until then, start the verification from the identity panel.");
            }
            return ApprovalEmail.AddressOf(_system, contactId)
                ?? throw new InvalidPluginExecutionException("The contact has no email address to send the link to. Add their email address, or start the verification from the identity panel.");
        }

        private void Note(StartRequest request, string subject, string text) =>
            TimelineNotes.AddAboutContact(_system, request.Contact.Reference, request.Regarding, subject, text);

        /// <summary>A session 1Kosmos opened: its id, and the bearer link the person opens (capture page or LiveID approval).</summary>
        private sealed class OpenedSession
        {
            public OpenedSession(string sessionId, string link)
            {
                SessionId = sessionId;
                Link = link;
            }

            public string SessionId { get; }

            public string Link { get; }
        }
    }
}
