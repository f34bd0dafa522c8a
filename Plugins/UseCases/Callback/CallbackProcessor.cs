using System;
using System.Linq;
using System.Text;
using Microsoft.Xrm.Sdk;
using OneKosmos.Core.BlockId;
using OneKosmos.Core.Callbacks;
using OneKosmos.Core.Verification;
using OneKosmos.Plugins.Dataverse;

namespace OneKosmos.Plugins.UseCases
{
    /// <summary>What became of one delivered notification.</summary>
    public sealed class CallbackResult
    {
        public CallbackResult(CallbackOutcome outcome, string reasonCode, Guid? verificationId, string explanation)
        {
            Outcome = outcome;
            ReasonCode = reasonCode;
            VerificationId = verificationId;
            Explanation = explanation;
        }

        public CallbackOutcome Outcome { get; }

        /// <value>Why it was ignored or rejected, as a stable code; empty when applied or a duplicate.</value>
        public string ReasonCode { get; }

        public Guid? VerificationId { get; }

        /// <value>One line for the trace: never the payload, a header or a secret.</value>
        public string Explanation { get; }
    }

    /// <summary>
    /// The one door from outside into verification data (docs/design.md, a callback is a notification): authenticate the message, record its id once,
    /// then ask 1Kosmos for the truth and apply it through the state machine. The notification's own data is never
    /// believed, so a forged or replayed message can at worst cause one extra read.
    /// </summary>
    public sealed class CallbackProcessor
    {
        private readonly IOrganizationService _system;
        private readonly Func<BlockIdConnection> _connection;
        private readonly BlockIdResultApplier _blockIdResults;
        private readonly Func<VerifiedIdResultApplier> _verifiedIdResults;
        private readonly IClock _clock;

        public CallbackProcessor(IOrganizationService systemService, Func<BlockIdConnection> connection, BlockIdResultApplier blockIdResults, Func<VerifiedIdResultApplier> verifiedIdResults, IClock clock)
        {
            _system = systemService;
            _connection = connection;
            _blockIdResults = blockIdResults;
            _verifiedIdResults = verifiedIdResults;
            _clock = clock;
        }

        /// <exception cref="InvalidPluginExecutionException">
        /// Only for trouble a retry can cure: 1Kosmos unreachable or throttling, or no signing secret configured yet.
        /// </exception>
        public CallbackResult Process(string? payload, string? messageId, string? timestamp, string? signature)
        {
            if (payload is not null && Encoding.UTF8.GetByteCount(payload) > Notification.MaxBodyBytes)
            {
                return Rejected("BODY_TOO_LARGE", $"the body is larger than {Notification.MaxBodyBytes / 1024} KB");
            }
            var secrets = _connection().CallbackSigningSecrets;
            if (secrets.Count == 0)
            {
                throw new InvalidPluginExecutionException("Callbacks cannot be checked: the active 1Kosmos connection has no Callback Signing Secret. A Verification Administrator sets it (the same whsec_ secret the relay signs with); the relay retries meanwhile.");
            }
            if (!secrets.All(WebhookSignature.IsUsableSecret))
            {
                throw new InvalidPluginExecutionException($"Callbacks cannot be checked: a Callback Signing Secret on the active 1Kosmos connection is not whsec_ followed by base64 of at least {WebhookSignature.MinimumSecretBytes} random bytes, so a signature made with it could be guessed. A Verification Administrator replaces it with a generated secret and sets the same one on the relay; the relay retries meanwhile.");
            }
            var now = _clock.UtcNow;
            var check = WebhookSignature.Verify(secrets, messageId, timestamp, signature, payload, now);
            if (check != SignatureCheck.Valid)
            {
                return Rejected(ReasonOf(check), $"the signature check answered {check}");
            }
            var notification = Notification.Parse(payload, messageId!, out var refusal);
            if (notification is null)
            {
                return Rejected(refusal!, "the notification does not follow the contract");
            }
            if (notification.Type is NotificationType.EntraIssuance or NotificationType.EntraPresentation)
            {
                return ProcessVerifiedId(notification, now);
            }
            if (notification.Id.StartsWith(EntraCallback.MessageIdPrefix, StringComparison.Ordinal))
            {
                return Rejected("RESERVED_ID", $"message ids starting {EntraCallback.MessageIdPrefix} are Microsoft Entra's; no other sender may take one first");
            }
            if (notification.Type != NotificationType.BlockIdIdv)
            {
                return new CallbackResult(CallbackOutcome.Ignored, "UNSUPPORTED_TYPE", null, $"a {notification.Type} notification is not processed by this API");
            }
            var receipts = new CallbackReceipts(_system);
            if (receipts.Exists(notification.Id))
            {
                return new CallbackResult(CallbackOutcome.Duplicate, "", null, "this message id was processed before; nothing changed");
            }
            var verificationId = new VerificationRows(_system).IdOfSession(notification.SubjectId!);
            if (verificationId is null)
            {
                return new CallbackResult(CallbackOutcome.Ignored, "UNKNOWN_SESSION", null, "no verification in this environment has that session");
            }
            var receipt = receipts.Record(notification.Id, "blockid", "blockid.idv", verificationId.Value, now);
            try
            {
                var transition = _blockIdResults.Apply(verificationId.Value);
                return new CallbackResult(CallbackOutcome.Applied, "", verificationId, $"applied 1Kosmos' answer: {transition.Reason}");
            }
            catch (BlockIdException exception) when (exception.IsRetryable)
            {
                throw new InvalidPluginExecutionException($"1Kosmos could not be asked about verification {verificationId} ({exception.Failure}); nothing was recorded, and the relay retries the notification.");
            }
            catch (BlockIdException exception)
            {
                var reason = "BLOCKID_" + exception.Failure.ToString().ToUpperInvariant();
                receipts.SetOutcome(receipt, CallbackOutcome.Rejected, reason);
                return new CallbackResult(CallbackOutcome.Rejected, reason, verificationId, $"1Kosmos {exception.Failure.ToString().ToLowerInvariant()} the result request; the verification is unchanged");
            }
        }

        /// <summary>
        /// Entra's callback is the result (the exception to docs/design.md's first rule): its data is applied, but only to a request we
        /// created that is still pending, and only once per request id and status.
        /// </summary>
        private CallbackResult ProcessVerifiedId(Notification notification, DateTimeOffset now)
        {
            if (notification.Data is null)
            {
                return Rejected("MISSING_DATA", "an Entra notification must carry Entra's callback as data");
            }
            var callback = EntraCallback.Parse(notification.Data, out var refusal);
            if (callback is null)
            {
                return Rejected(refusal!, "the Entra callback in the notification does not follow Entra's contract");
            }
            if (callback.Type != notification.Type || !string.Equals(callback.RequestId, notification.SubjectId, StringComparison.Ordinal))
            {
                return Rejected("SUBJECT_MISMATCH", "the notification's type or request id differs from the Entra callback it carries");
            }
            if (!string.Equals(notification.Id, callback.MessageId(), StringComparison.Ordinal))
            {
                return Rejected("ID_MISMATCH", "an Entra notification's id is derived from its request id and status; this one's is not");
            }
            var receipts = new CallbackReceipts(_system);
            if (receipts.Exists(notification.Id))
            {
                return new CallbackResult(CallbackOutcome.Duplicate, "", null, "this Entra callback was processed before; nothing changed");
            }
            var transition = _verifiedIdResults().Apply(callback, out var ignored);
            if (transition is null)
            {
                return new CallbackResult(CallbackOutcome.Ignored, ignored!, null, ignored == "NOT_PENDING"
                    ? "the request is no longer pending; Entra's callback changes nothing"
                    : "no pending Verified ID request in this environment has that request id and state");
            }
            var type = notification.Type == NotificationType.EntraIssuance ? "entra.issuance" : "entra.presentation";
            receipts.Record(notification.Id, "entra", type, callback.VerificationId, now);
            return new CallbackResult(CallbackOutcome.Applied, "", callback.VerificationId, $"applied Entra's {callback.RequestStatus}: {transition.Reason}");
        }

        private static CallbackResult Rejected(string reasonCode, string explanation) =>
            new(CallbackOutcome.Rejected, reasonCode, null, explanation);

        private static string ReasonOf(SignatureCheck check) => check switch
        {
            SignatureCheck.Stale => "STALE_TIMESTAMP",
            SignatureCheck.Future => "FUTURE_TIMESTAMP",
            SignatureCheck.Malformed => "MALFORMED_HEADERS",
            _ => "BAD_SIGNATURE",
        };
    }
}
