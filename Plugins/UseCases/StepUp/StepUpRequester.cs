using System;
using Microsoft.Xrm.Sdk;
using OneKosmos.Core.Verification;
using OneKosmos.Plugins.Dataverse;

namespace OneKosmos.Plugins.UseCases
{
    /// <summary>What a step-up request did: nothing (a fresh step-up exists), or which journey it started or reused.</summary>
    public sealed class StepUpResult(bool alreadyFresh, Journey journey, StartResult attempt)
    {
        public bool AlreadyFresh { get; } = alreadyFresh;

        public Journey Journey { get; } = journey;

        /// <value>The started or reused attempt; when <see cref="AlreadyFresh"/>, the step-up that still counts.</value>
        public StartResult Attempt { get; } = attempt;
    }

    /// <summary>
    /// Asks a contact to prove it is them again before a sensitive action. Nothing starts while a step-up within
    /// okos_StepUpMaxAgeMinutes exists. LiveID (the default) falls back to identity proofing for a contact not enrolled
    /// in LiveID; Face Check asks for the Verified ID credential in Microsoft Authenticator.
    /// </summary>
    public sealed class StepUpRequester
    {
        private readonly IOrganizationService _system;
        private readonly VerificationRows _rows;
        private readonly Func<VerificationStarter> _starter;
        private readonly Func<FaceCheckStarter> _faceCheck;
        private readonly IClock _clock;

        public StepUpRequester(IOrganizationService systemService, Func<VerificationStarter> starter, Func<FaceCheckStarter> faceCheck, IClock clock)
        {
            _system = systemService;
            _rows = new VerificationRows(systemService);
            _starter = starter;
            _faceCheck = faceCheck;
            _clock = clock;
        }

        /// <summary>Starts (or reuses) the step-up <paramref name="request"/> asks for; its <see cref="StartRequest.Why"/> is the reason, which a step-up requires.</summary>
        public StepUpResult Request(StartRequest request, bool faceCheck, int stepUpMaxAgeMinutes)
        {
            var contact = request.Contact;
            var latest = _rows.LatestStepUp(contact.Id);
            if (latest is not null && StepUpFreshness.IsFresh(DataverseTime.Utc(latest.GetAttributeValue<DateTime?>(Schema.Verification.LastStepUpAt)), stepUpMaxAgeMinutes, _clock.UtcNow))
            {
                var fresh = new StartResult(StartOutcome.Reused, latest.Id, latest.GetAttributeValue<string>(Schema.Verification.SessionId) ?? "",
                    VerificationStatus.Verified, DataverseTime.Utc(latest.GetAttributeValue<DateTime?>(Schema.Verification.ExpiresAt)));
                return new StepUpResult(true, faceCheck ? Journey.VerifiedIdFaceCheck : Journey.LiveIdStepUp, fresh);
            }
            if (faceCheck)
            {
                return new StepUpResult(false, Journey.VerifiedIdFaceCheck, _faceCheck().Start(contact, request.CorrelationId, request.Regarding, request.Why!));
            }
            var journey = IsLiveIdEnrolled(contact.Id) ? Journey.LiveIdStepUp : Journey.IdentityProofing;
            return new StepUpResult(false, journey, _starter().Start(journey, request));
        }

        /// <summary>Whether the contact can approve a LiveID step-up: a DID is bound to them, or a step-up of theirs ever passed.</summary>
        private bool IsLiveIdEnrolled(Guid contactId) =>
            !string.IsNullOrEmpty(ContactSnapshot.BoundDid(_system, contactId)) || _rows.HasLiveIdEnrollment(contactId);
    }
}
