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
        public void FirstStepUpAfterAVerifiedProofing_PassesAndBindsTheDid()
        {
            var verdict = StepUpRules.Judge(Approved(), boundDid: null, hasVerifiedProofing: true);

            Assert.IsTrue(verdict.Passed);
            Assert.IsTrue(verdict.BindsDid);
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
