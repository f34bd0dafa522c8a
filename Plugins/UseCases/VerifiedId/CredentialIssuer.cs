using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.Xrm.Sdk;
using OneKosmos.Core.BlockId;
using OneKosmos.Core.Callbacks;
using OneKosmos.Core.Verification;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Plugins.Entra;

namespace OneKosmos.Plugins.UseCases
{
    /// <summary>An issuance request: the attempt, and the PIN the person types (only when just created and the connection asks for one).</summary>
    public sealed class IssuanceResult
    {
        public IssuanceResult(StartResult attempt, string? pin)
        {
            Attempt = attempt;
            Pin = pin;
        }

        public StartResult Attempt { get; }

        /// <value>Never stored: the caller shows it to the person once.</value>
        public string? Pin { get; }
    }

    /// <summary>
    /// Issues the contact's verified identity into Microsoft Authenticator as a Microsoft Entra Verified ID credential. The
    /// request is a row like any other: the request id in okos_sessionid, the deep link in okos_captureurl, one open
    /// request per contact.
    /// </summary>
    public sealed class CredentialIssuer
    {
        private readonly IOrganizationService _system;
        private readonly VerificationRows _verifications;
        private readonly Func<VerifiedIdConnection> _connection;
        private readonly Func<VerifiedIdConnection, RequestServiceClient> _client;
        private readonly Func<BlockIdClient> _blockId;
        private readonly Func<int, string> _newPin;
        private readonly IClock _clock;
        private readonly Action<string> _trace;

        public CredentialIssuer(IOrganizationService systemService, VerificationRows verifications, Func<VerifiedIdConnection> connection,
            Func<VerifiedIdConnection, RequestServiceClient> client, Func<BlockIdClient> blockId, Func<int, string> newPin, IClock clock, Action<string> trace)
        {
            _system = systemService;
            _verifications = verifications;
            _connection = connection;
            _client = client;
            _blockId = blockId;
            _newPin = newPin;
            _clock = clock;
            _trace = trace;
        }

        /// <summary>
        /// Offers the contact's Verified IAL2 identity as a credential; an open request that has not expired is reused. When
        /// the connection allows photos, the proofing's face crop (<c>faceInMemory</c> when the caller holds the result, else
        /// read from 1Kosmos) is handed to Entra in this call only.
        /// </summary>
        /// <param name="contact">Who the credential is for.</param>
        /// <param name="correlationId">The request's correlation id, carried on the attempt.</param>
        /// <param name="faceInMemory">The proofing's face photo when the caller holds it already (right after proofing).</param>
        /// <param name="withoutPin">
        /// The offer goes to the holder's own signed-in page (the Power Pages site): no PIN, whatever the connection says. The
        /// site could show one only by storing it beside the deep link, readable by the same people, so it would guard nothing.
        /// </param>
        /// <exception cref="InvalidPluginExecutionException">No Verified IAL2 proofing, or Verified ID not set up.</exception>
        /// <exception cref="VerifiedIdException">Microsoft Entra refused or failed; nothing was written.</exception>
        public IssuanceResult Issue(ContactSnapshot contact, Guid correlationId, FacePhoto? faceInMemory = null, bool withoutPin = false)
        {
            var proofing = _verifications.LatestIal2Proofing(contact.Id)
                ?? throw new InvalidPluginExecutionException($"{contact.Who} has no Verified IAL2 identity proofing, so there is nothing to issue: verify them first (document and selfie), then issue the credential.");
            var now = _clock.UtcNow;
            if (OpenRequests.Reusable(_verifications, contact.Id, Journey.VerifiedIdIssuance, now) is { } reused)
            {
                return new IssuanceResult(reused, null);
            }
            var connection = _connection();
            var photo = connection.FaceCheckPhoto ? faceInMemory ?? FaceOf(proofing) : null;
            var id = _verifications.NewId();
            var pin = connection.PinLength > 0 && !withoutPin ? _newPin(connection.PinLength) : null;
            var verifiedAt = DataverseTime.Utc(proofing.GetAttributeValue<DateTime?>(Schema.Verification.VerifiedAt)) ?? now;
            var claims = new Dictionary<string, string>
            {
                [VerifiedIdClaims.GivenName] = contact.FirstName ?? "",
                [VerifiedIdClaims.FamilyName] = contact.LastName ?? contact.FullName ?? "",
                [VerifiedIdClaims.AssuranceLevel] = AssuranceLevel.IAL2.ToString(),
                [VerifiedIdClaims.VerifiedAt] = verifiedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                [EntraCallback.VerificationIdClaim] = id.ToString(),
            };
            if (photo is not null)
            {
                claims[VerifiedIdClaims.Photo] = photo.ToBase64Url();
            }
            var request = _client(connection).CreateIssuance(EntraCallback.StateOf(Journey.VerifiedIdIssuance, id), claims, pin);
            var attempt = _verifications.CreateOpened(contact, Journey.VerifiedIdIssuance, id, request.RequestId, request.DeepLink, request.ExpiresAt, correlationId, null, null, now,
                new Entity(Schema.Verification.EntityName)
                {
                    [Schema.Verification.IalLevel] = Choices.Of(AssuranceLevel.IAL2),
                    [Schema.Verification.PhotoIncluded] = photo is not null,
                });
            TimelineNotes.Add(_system, contact.Reference, "Verified ID credential offered", photo is null
                ? "A Microsoft Entra Verified ID credential (IAL2) was offered for Microsoft Authenticator, without a photo: Face Check will not be available with it."
                : "A Microsoft Entra Verified ID credential (IAL2, with the verified face photo for Face Check) was offered for Microsoft Authenticator.");
            _trace($"Verified ID issuance {attempt.Id} requested for contact {contact.Id} (photo: {(photo is null ? "no" : "yes")}).");
            return new IssuanceResult(new StartResult(StartOutcome.Started, attempt.Id, request.RequestId, VerificationStatus.Pending, request.ExpiresAt), pin);
        }

        /// <summary>Issues after a proofing became Verified at IAL2 (okos_IssueVerifiedIdAfterProofing); a failure is noted and never undoes the proofing.</summary>
        public void IssueAfterProofing(Guid contactId, Guid correlationId, FacePhoto? face)
        {
            var contact = ContactSnapshot.Read(_system, contactId);
            try
            {
                var result = Issue(contact, correlationId, face);
                _trace($"Verified ID after proofing: {result.Attempt.Outcome}.");
            }
            catch (Exception exception) when (exception is VerifiedIdException or InvalidPluginExecutionException)
            {
                TimelineNotes.Add(_system, contact.Reference, "Verified ID credential not issued",
                    $"The identity is verified, but the Microsoft Entra Verified ID credential could not be offered: {exception.Message}");
            }
        }

        private FacePhoto? FaceOf(Entity proofing)
        {
            try
            {
                var photo = _blockId().FetchFacePhoto(proofing.GetAttributeValue<string>(Schema.Verification.SessionId));
                if (photo is null)
                {
                    _trace("1Kosmos' result holds no usable face crop: the credential is issued without a photo.");
                }
                return photo;
            }
            catch (BlockIdException exception)
            {
                _trace($"The face crop could not be read from 1Kosmos ({exception.Failure}): the credential is issued without a photo.");
                return null;
            }
        }
    }
}
