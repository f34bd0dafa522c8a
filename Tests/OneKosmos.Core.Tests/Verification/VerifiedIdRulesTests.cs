using System;
using OneKosmos.Core.Verification;

namespace OneKosmos.Core.Tests.Verification
{
    [TestClass]
    public sealed class VerifiedIdRulesTests
    {
        private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
        private static readonly PresentationExpectation Expected = new("did:web:us", "VerifiedPerson", new[] { "v-1", "v-2" }, 70);

        private static VerifiedIdObservation Presented(string issuer = "did:web:us", string type = "VerifiedPerson", string revocation = "VALID", string? issuedFor = "v-2", double? score = 87) =>
            new(VerifiedIdEvent.PresentationVerified, subjectDid: "did:ion:holder", issuer: issuer, credentialTypes: new[] { "VerifiableCredential", type },
                revocationStatus: revocation, issuedForVerification: issuedFor, matchConfidenceScore: score);

        private static readonly VerificationState Open = new(VerificationStatus.Pending, Now.AddMinutes(5), AssuranceLevel.IAL2);

        /// <summary>Issue #22, finding 6: a failed Face Check says the threshold it missed.</summary>
        [TestMethod]
        public void AFailedFaceCheck_SaysTheThresholdItWasHeldTo()
        {
            var error = VerificationStateMachine.ApplyVerifiedId(Open, new VerifiedIdObservation(VerifiedIdEvent.PresentationFailed, "claimValidationError", "Match confidence score failing to meet the threshold."), null, Now, faceCheckThreshold: 70);

            Assert.AreEqual("claimValidationError: Match confidence score failing to meet the threshold (Face Check threshold 70%).", error.After.FailureReason);
        }

        [TestMethod]
        public void AMatchingPresentation_Counts() => Assert.IsNull(VerifiedIdRules.RefusalOf(Presented(), Expected));

        [TestMethod]
        [DataRow("issuer", "WRONG_ISSUER")]
        [DataRow("type", "WRONG_CREDENTIAL_TYPE")]
        [DataRow("revoked", "CREDENTIAL_NOT_VALID")]
        [DataRow("contact", "NOT_THIS_CONTACT")]
        [DataRow("no claim", "NOT_THIS_CONTACT")]
        [DataRow("score", "FACE_CHECK_BELOW_THRESHOLD")]
        [DataRow("no score", "FACE_CHECK_BELOW_THRESHOLD")]
        public void APresentationThatDoesNotFit_IsRefusedWithItsReason(string what, string code)
        {
            var presented = what switch
            {
                "issuer" => Presented(issuer: "did:web:them"),
                "type" => Presented(type: "EmployeeBadge"),
                "revoked" => Presented(revocation: "REVOKED"),
                "contact" => Presented(issuedFor: "v-9"),
                "no claim" => Presented(issuedFor: null),
                "score" => Presented(score: 69.99),
                _ => Presented(score: null),
            };

            StringAssert.StartsWith(VerifiedIdRules.RefusalOf(presented, Expected), code + ":");
        }

        [TestMethod]
        public void Threshold_DefaultsTo70_AndRefusesValuesOutside50To100()
        {
            Assert.AreEqual(70, VerifiedIdRules.ThresholdOf(null));
            Assert.AreEqual(50, VerifiedIdRules.ThresholdOf(50));
            Assert.AreEqual(100, VerifiedIdRules.ThresholdOf(100));
            Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => VerifiedIdRules.ThresholdOf(49));
            Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => VerifiedIdRules.ThresholdOf(101));
        }

        [TestMethod]
        public void VerifiedPresentation_IsVerifiedWithTheScoreAsAFraction()
        {
            var transition = VerificationStateMachine.ApplyVerifiedId(Open, Presented(score: 86.31), null, Now);

            Assert.AreEqual(VerificationStatus.Verified, transition.After.Status);
            Assert.AreEqual(0.8631m, transition.After.MatchConfidence);
            Assert.AreEqual(Now, transition.After.VerifiedAt);
            Assert.AreEqual(AssuranceLevel.IAL2, transition.After.AssuranceLevel);
            Assert.IsTrue(transition.BecameFinal);
        }

        [TestMethod]
        public void RefusedPresentation_IsFailedWithTheRefusal()
        {
            var transition = VerificationStateMachine.ApplyVerifiedId(Open, Presented(), "NOT_THIS_CONTACT: issued to someone else.", Now);

            Assert.AreEqual(VerificationStatus.Failed, transition.After.Status);
            Assert.AreEqual("NOT_THIS_CONTACT: issued to someone else.", transition.After.FailureReason);
        }

        [TestMethod]
        public void Errors_FailWithEntrasCodeAndMessage_RetrievedChangesNothing()
        {
            var error = VerificationStateMachine.ApplyVerifiedId(Open, new VerifiedIdObservation(VerifiedIdEvent.PresentationFailed, "claimValidationError", "Match confidence score failing to meet the threshold."), null, Now);
            var retrieved = VerificationStateMachine.ApplyVerifiedId(Open, new VerifiedIdObservation(VerifiedIdEvent.Retrieved), null, Now);
            var issued = VerificationStateMachine.ApplyVerifiedId(Open, new VerifiedIdObservation(VerifiedIdEvent.IssuanceSucceeded), null, Now);

            Assert.AreEqual("claimValidationError: Match confidence score failing to meet the threshold.", error.After.FailureReason);
            Assert.IsFalse(retrieved.Changed);
            Assert.AreEqual(VerificationStatus.Verified, issued.After.Status);
        }

        [TestMethod]
        public void FinalStates_NeverMove()
        {
            foreach (var status in new[] { VerificationStatus.Verified, VerificationStatus.Failed })
            {
                var final = new VerificationState(status, Now);
                Assert.IsFalse(VerificationStateMachine.ApplyVerifiedId(final, Presented(), null, Now).Changed, status.ToString());
                Assert.IsFalse(VerificationStateMachine.ApplyVerifiedId(final, new VerifiedIdObservation(VerifiedIdEvent.PresentationFailed, "x", "y"), null, Now).Changed, status.ToString());
            }
        }

        [TestMethod]
        public void AnAnswerAfterOurLocalExpiry_StillDecides()
        {
            var expired = new VerificationState(VerificationStatus.Expired, Now);

            Assert.AreEqual(VerificationStatus.Verified, VerificationStateMachine.ApplyVerifiedId(expired, Presented(), null, Now).After.Status);
            Assert.AreEqual(VerificationStatus.Failed, VerificationStateMachine.ApplyVerifiedId(expired, new VerifiedIdObservation(VerifiedIdEvent.PresentationFailed, "x", "y"), null, Now).After.Status);
        }
    }
}
