using System;
using Microsoft.Xrm.Sdk;
using OneKosmos.Core.Callbacks;
using OneKosmos.Core.Verification;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Plugins.Entra;

namespace OneKosmos.Plugins.UseCases
{
    /// <summary>
    /// A Face Check step-up: the person presents their Verified ID credential in Microsoft Authenticator and Entra compares
    /// their face with the credential's verified photo.
    /// </summary>
    public sealed class FaceCheckStarter
    {
        private readonly IOrganizationService _system;
        private readonly VerificationRows _verifications;
        private readonly Func<VerifiedIdConnection> _connection;
        private readonly Func<VerifiedIdConnection, RequestServiceClient> _client;
        private readonly IClock _clock;

        public FaceCheckStarter(IOrganizationService systemService, VerificationRows verifications, Func<VerifiedIdConnection> connection,
            Func<VerifiedIdConnection, RequestServiceClient> client, IClock clock)
        {
            _system = systemService;
            _verifications = verifications;
            _connection = connection;
            _client = client;
            _clock = clock;
        }

        /// <summary>Asks the contact to present their credential with Face Check; an open request that has not expired is reused.</summary>
        /// <exception cref="InvalidPluginExecutionException">No issued credential with a photo, or Verified ID not set up.</exception>
        /// <exception cref="VerifiedIdException">Microsoft Entra refused or failed; nothing was written.</exception>
        public StartResult Start(ContactSnapshot contact, Guid correlationId, EntityReference? regarding, string reason)
        {
            var now = _clock.UtcNow;
            if (OpenRequests.Reusable(_verifications, contact.Id, Journey.VerifiedIdFaceCheck, now) is { } reused)
            {
                return reused;
            }
            var connection = _connection();
            var issued = _verifications.IssuedWithPhoto(contact.Id);
            if (issued.Count == 0)
            {
                throw new InvalidPluginExecutionException($"{contact.Who} has no Verified ID credential with a face photo in Microsoft Authenticator, so Face Check is unavailable: issue the credential first (with Face Check Photo allowed on the 1Kosmos connection), or use a LiveID step-up.");
            }
            var id = _verifications.NewId();
            var request = _client(connection).CreatePresentation(EntraCallback.StateOf(Journey.VerifiedIdFaceCheck, id), reason, issued);
            var attempt = _verifications.CreateOpened(contact, Journey.VerifiedIdFaceCheck, id, request.RequestId, request.DeepLink, request.ExpiresAt, correlationId, regarding, reason, now,
                new Entity(Schema.Verification.EntityName));
            var text = $"Journey: Face Check with Microsoft Entra Verified ID. Reason: {reason}. Status: Pending.";
            TimelineNotes.AddAboutContact(_system, contact.Reference, regarding, "Identity verification started", text);
            return new StartResult(StartOutcome.Started, attempt.Id, request.RequestId, VerificationStatus.Pending, request.ExpiresAt);
        }
    }
}
