using System;
using OneKosmos.Core.Verification;

namespace OneKosmos.Core.Tests.Verification
{
    [TestClass]
    public sealed class StepUpRulesTests
    {
        private const string Did = "did:blockid:9f2c";

        private static LiveIdObservation Approved(string did = Did) => new(SessionState.Succeeded, did, AssuranceLevel.IAL2);

        [TestMethod]
        public void FirstStepUp_WhoseApproverHoldsAProofOfTheProofedDocument_BindsOnThatEvidence()
        {
            var verdict = StepUpRules.Judge(Approved(), boundDid: null, hasVerifiedProofing: true, ApproverProofs.Match);

            Assert.IsTrue(verdict.Passed);
            Assert.AreEqual(BindingEvidence.DocumentMatch, verdict.Binding);
        }

        [TestMethod]
        public void FirstStepUp_WhoseApproverProofedAnotherDocument_FailsEvenIfSentOnlyToTheContact()
        {
            var verdict = StepUpRules.Judge(Approved(), boundDid: null, hasVerifiedProofing: true, ApproverProofs.Mismatch, sentOnlyToContact: true);

            Assert.IsFalse(verdict.Passed);
            Assert.IsFalse(verdict.BindsDid);
            StringAssert.StartsWith(verdict.FailureReason, "NOT_THE_PROOFED_PERSON:");
        }

        [TestMethod]
        public void FirstStepUp_WithoutProofsOfTheApprover_BindsOnlyWhenTheRequestWentToTheContactAlone()
        {
            var handedToTheAgent = StepUpRules.Judge(Approved(), boundDid: null, hasVerifiedProofing: true, ApproverProofs.Unavailable, sentOnlyToContact: false);
            var emailedToTheContact = StepUpRules.Judge(Approved(), boundDid: null, hasVerifiedProofing: true, ApproverProofs.Unavailable, sentOnlyToContact: true);

            StringAssert.StartsWith(handedToTheAgent.FailureReason, "NO_BINDING_EVIDENCE:");
            Assert.IsFalse(handedToTheAgent.BindsDid);
            Assert.AreEqual(BindingEvidence.ContactEmail, emailedToTheContact.Binding);
        }

        [TestMethod]
        [DataRow(null, new[] { "abc" }, ApproverProofs.Unavailable)]
        [DataRow("abc", null, ApproverProofs.Unavailable)]
        [DataRow("abc", new string[0], ApproverProofs.Unavailable)]
        [DataRow("abc", new[] { "def", "ABC" }, ApproverProofs.Match)]
        [DataRow("abc", new[] { "def" }, ApproverProofs.Mismatch)]
        public void Compare_ReadsTheApproversProofsAgainstTheProofedDocument(string? proofed, string[]? approver, ApproverProofs expected)
        {
            Assert.AreEqual(expected, StepUpRules.Compare(proofed, approver));
        }

        [TestMethod]
        public void LaterStepUpWithTheBoundDid_PassesWithoutRebinding()
        {
            var verdict = StepUpRules.Judge(Approved(), Did, hasVerifiedProofing: true);

            Assert.IsTrue(verdict.Passed);
            Assert.IsFalse(verdict.BindsDid);
        }

        [TestMethod]
        public void StepUpWithAnotherPersonsDid_Fails()
        {
            var verdict = StepUpRules.Judge(Approved("did:blockid:someone-else"), Did, hasVerifiedProofing: true);

            Assert.IsFalse(verdict.Passed);
            StringAssert.StartsWith(verdict.FailureReason, "DID_MISMATCH:");
        }

        [TestMethod]
        public void StepUpWithoutAnyProofing_FailsAndSaysToVerifyFirst()
        {
            var verdict = StepUpRules.Judge(Approved(), boundDid: null, hasVerifiedProofing: false);

            Assert.IsFalse(verdict.Passed);
            StringAssert.StartsWith(verdict.FailureReason, "NOT_PROOFED:");
        }

        [TestMethod]
        public void UnfinishedApproval_CannotBeJudged()
        {
            Assert.ThrowsExactly<ArgumentException>(() => StepUpRules.Judge(new LiveIdObservation(SessionState.InProgress), Did, true));
        }
    }
}
