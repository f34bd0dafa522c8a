using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using OneKosmos.Core.Verification;

namespace OneKosmos.Core.Tests.Verification
{
    [TestClass]
    public sealed class VerificationStateMachineTests
    {
        private static readonly DateTimeOffset Start = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);
        private static readonly VerificationState Pending = new(VerificationStatus.Pending, Start.AddMinutes(60));

        private static readonly Dictionary<string, bool> AllPassed = ProofingRules.IdentityChecks.ToDictionary(check => check, _ => true);

        private static ProofingObservation Success(IReadOnlyDictionary<string, bool>? checks = null) =>
            new(SessionState.Succeeded, "SUCCESS", checks ?? AllPassed, "PASSPORT", "FR", new DateTime(2031, 5, 1));

        private static ProofingObservation Failure(string code = "IDV0006", string text = "Unsupported document was presented") =>
            new(SessionState.Failed, "FAILED", reasonCode: code, reasonText: text);

        private static readonly ProofingObservation InProgress = new(SessionState.InProgress, "INPROGRESS");

        /// <summary>Issue #22, finding 8: the activity log and traces carry the failure's code.</summary>
        [TestMethod]
        public void Apply_Failure_SaysItsReasonCode()
        {
            var transition = VerificationStateMachine.Apply(Pending, Failure("IDV0012", "Selfie liveness check failed"), Start.AddMinutes(5));

            Assert.AreEqual("1Kosmos could not verify the person (IDV0012: Selfie liveness check failed)", transition.Reason);
        }

        [TestMethod]
        public void Apply_SuccessWithSelfie_IsVerifiedIal2WithFullConfidenceAndTheDocument()
        {
            var transition = VerificationStateMachine.Apply(Pending, Success(), Start.AddMinutes(5));

            Assert.AreEqual(VerificationStatus.Verified, transition.After.Status);
            Assert.AreEqual(AssuranceLevel.IAL2, transition.After.AssuranceLevel);
            Assert.AreEqual(1.0m, transition.After.MatchConfidence);
            Assert.AreEqual(Start.AddMinutes(5), transition.After.VerifiedAt);
            Assert.AreEqual("PASSPORT", transition.After.DocumentType);
            Assert.AreEqual("FR", transition.After.DocumentCountry);
            Assert.IsTrue(transition.BecameFinal);
        }

        [TestMethod]
        public void Apply_FailureWithReason_IsFailedWithCodeAndText()
        {
            var transition = VerificationStateMachine.Apply(Pending, Failure(), Start);

            Assert.AreEqual(VerificationStatus.Failed, transition.After.Status);
            Assert.AreEqual("IDV0006: Unsupported document was presented", transition.After.FailureReason);
            Assert.IsNull(transition.After.AssuranceLevel);
        }

        [TestMethod]
        public void Apply_InProgressBeforeExpiry_ChangesNothing()
        {
            var transition = VerificationStateMachine.Apply(Pending, InProgress, Start.AddMinutes(59));

            Assert.IsFalse(transition.Changed);
        }

        [TestMethod]
        public void Apply_InProgressAtExpiry_IsExpiredLocally()
        {
            var transition = VerificationStateMachine.Apply(Pending, InProgress, Start.AddMinutes(60));

            Assert.AreEqual(VerificationStatus.Expired, transition.After.Status);
            StringAssert.StartsWith(transition.After.FailureReason, "EXPIRED:");
            Assert.IsTrue(transition.BecameFinal);
        }

        [TestMethod]
        public void Apply_FinalAnswerAfterLocalExpiry_ReplacesExpired()
        {
            var expired = VerificationStateMachine.Apply(Pending, InProgress, Start.AddHours(2)).After;

            var transition = VerificationStateMachine.Apply(expired, Success(), Start.AddHours(3));

            Assert.AreEqual(VerificationStatus.Verified, transition.After.Status);
            Assert.IsFalse(transition.BecameFinal, "the reservation slot was already freed when it expired");
        }

        [TestMethod]
        public void Apply_UnknownStateFromOneKosmos_StaysPendingAndSaysWhichValue()
        {
            var transition = VerificationStateMachine.Apply(Pending, new ProofingObservation(SessionState.Unknown, "DECLINED"), Start);

            Assert.IsFalse(transition.Changed);
            StringAssert.Contains(transition.Reason, "DECLINED");
        }

        [TestMethod]
        public void Apply_LateInProgressAfterVerified_NeverRegresses()
        {
            var verified = VerificationStateMachine.Apply(Pending, Success(), Start).After;

            var transition = VerificationStateMachine.Apply(verified, InProgress, Start.AddDays(1));

            Assert.AreSame(verified, transition.After);
        }

        [TestMethod]
        public void Apply_AnySequence_FinalStatesStayAndRepeatsChangeNothing()
        {
            ProofingObservation[] choices = { Success(), Success(new Dictionary<string, bool> { ["document_liveness_front"] = true }), Failure(), InProgress, new(SessionState.Unknown, "?") };
            var steps = Gen.Select(Gen.Int[0, choices.Length - 1], Gen.Int[0, 180], (index, minutes) => (Observation: choices[index], Minutes: minutes)).Array[1, 12];

            steps.Sample(sequence =>
            {
                var state = Pending;
                var now = Start;
                foreach (var (observation, minutes) in sequence)
                {
                    now = now.AddMinutes(minutes);
                    var transition = VerificationStateMachine.Apply(state, observation, now);
                    if (state.Status is VerificationStatus.Verified or VerificationStatus.Failed)
                    {
                        Assert.AreSame(state, transition.After, "a final state changed");
                    }
                    Assert.IsFalse(VerificationStateMachine.Apply(transition.After, observation, now).Changed && transition.After.Status != VerificationStatus.Pending,
                        "the same observation applied twice changed a settled state");
                    state = transition.After;
                }
            });
        }
    
        [TestMethod]
        public void GivingUp_ExpiresAPendingAttemptOnlyPastItsExpiry_AndALateResultStillWins()
        {
            var early = VerificationStateMachine.GiveUp(Pending, "10 checks failed", Start.AddMinutes(30));
            var late = VerificationStateMachine.GiveUp(Pending, "10 checks failed", Start.AddMinutes(61));
            var answered = VerificationStateMachine.Apply(late.After, Success(), Start.AddMinutes(90));

            Assert.IsFalse(early.Changed);
            Assert.AreEqual(VerificationStatus.Expired, late.After.Status);
            StringAssert.StartsWith(late.After.FailureReason, "RESULT_UNAVAILABLE: 1Kosmos could not give this attempt's result (10 checks failed)");
            Assert.AreEqual(VerificationStatus.Verified, answered.After.Status);
        }
    }
}
