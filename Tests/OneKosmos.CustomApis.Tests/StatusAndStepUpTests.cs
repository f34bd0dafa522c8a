using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using OneKosmos.Core.Verification;
using OneKosmos.Sandbox.BlockId;

namespace OneKosmos.CustomApis.Tests
{
    /// <summary>okos_GetVerificationStatus and okos_RequestStepUp, called as a flow, a form or Copilot would.</summary>
    [TestClass]
    public sealed class StatusAndStepUpTests : ApiTestBase
    {
        private OrganizationResponse Status() => Call("okos_GetVerificationStatus", ("Subject", ContactRef));

        private OrganizationResponse StatusByEmail(string email) => Call("okos_GetVerificationStatus", ("Email", email));

        private OrganizationResponse StepUp(string reason = "Refund above 10,000") =>
            Call("okos_RequestStepUp", ("Subject", ContactRef), ("Reason", reason));

        private void VerifyProofing()
        {
            Call("okos_StartVerification", ("Subject", ContactRef));
            Simulator.Complete(Simulator.Sessions.Last().Id, CaptureOutcome.PassWithSelfie);
            Call("okos_ReconcileVerifications", ("OlderThanMinutes", 0));
        }

        private void AgeLastChecks(int seconds)
        {
            foreach (var row in Verifications)
            {
                Dataverse.Overwrite(new Entity("okos_verification", row.Id) { ["okos_lastcheckedat"] = DateTime.UtcNow.AddSeconds(-seconds) });
            }
        }

        [TestMethod]
        public void NeverVerified_IsNotStarted()
        {
            var status = Status();

            Assert.AreEqual("NotStarted", status["Status"]);
            Assert.AreEqual("", status["IalLevel"]);
            Assert.AreEqual("", status["PendingJourney"]);
            Assert.IsFalse((bool)status["StepUpFresh"]);
            Assert.AreEqual("Jane Doe has never been verified; no biometric step-up yet.", status["Summary"]);
        }

        [TestMethod]
        public void Verified_ReportsLevelConfidenceAndDate()
        {
            VerifyProofing();

            var status = Status();

            Assert.AreEqual("Verified", status["Status"]);
            Assert.AreEqual("IAL2", status["IalLevel"]);
            Assert.IsTrue((decimal)status["MatchConfidence"] is > 0m and <= 1m);
            Assert.IsNotNull(status["VerifiedAt"]);
            Assert.AreEqual(Contact, status["ContactId"]);
            StringAssert.StartsWith((string)status["Summary"], "Jane Doe is verified at IAL2 (all 1Kosmos checks passed)");
        }

        [TestMethod]
        public void VerifiedLongerAgoThanTheValidity_ReadsExpired()
        {
            VerifyProofing();
            var row = Verifications.Single();
            Dataverse.Overwrite(new Entity("okos_verification", row.Id) { ["okos_verifiedat"] = DateTime.UtcNow.AddDays(-400) });

            var status = Status();

            Assert.AreEqual("Expired", status["Status"]);
            Assert.AreEqual("", status["IalLevel"]);
        }

        [TestMethod]
        public void APendingSessionCheckedAWhileAgo_IsRefreshedOnRead()
        {
            Call("okos_StartVerification", ("Subject", ContactRef));
            Simulator.Complete(Simulator.Sessions.Single().Id, CaptureOutcome.PassWithSelfie);
            AgeLastChecks(30);

            Assert.AreEqual("Verified", Status()["Status"]);
        }

        [TestMethod]
        public void APendingSessionJustChecked_IsNotAskedAgain()
        {
            Call("okos_StartVerification", ("Subject", ContactRef));
            Simulator.Complete(Simulator.Sessions.Single().Id, CaptureOutcome.PassWithSelfie);
            var calls = Simulator.Calls.Count;

            var status = Status();

            Assert.AreEqual("Pending", status["Status"]);
            Assert.AreEqual("IdentityProofing", status["PendingJourney"]);
            Assert.AreEqual(calls, Simulator.Calls.Count);
        }

        [TestMethod]
        public void ByEmail_FindsTheContactCaseInsensitively()
        {
            VerifyProofing();

            var status = StatusByEmail("  JANE.DOE@example.COM ");

            Assert.AreEqual(Contact, status["ContactId"]);
            Assert.AreEqual("Verified", status["Status"]);
        }

        [TestMethod]
        [DataRow("jane.doe@example.com' or '1'='1")]
        [DataRow("x' or emailaddress1 ne null or '")]
        [DataRow("%")]
        [DataRow("jane%")]
        [DataRow("_ane.doe@example.com")]
        [DataRow("*")]
        [DataRow("jane.doe@example.com\" or \"a\"=\"a")]
        public void FilterBreakingInput_MatchesNobody(string email)
        {
            VerifyProofing();

            var status = StatusByEmail(email);

            Assert.AreEqual(Guid.Empty, status["ContactId"]);
            Assert.AreEqual("NotStarted", status["Status"]);
            Assert.AreEqual("No contact has this email address.", status["Summary"]);
        }

        [TestMethod]
        public void SeveralContactsWithTheEmail_SaysHowManyAndNeverWho()
        {
            Service.Create(new Entity("contact") { ["lastname"] = "Twin", ["fullname"] = "Jill Twin", ["emailaddress1"] = "jane.doe@example.com" });

            var fault = Refused(() => StatusByEmail("jane.doe@example.com"));

            StringAssert.StartsWith(fault.Detail.Message, "2 contacts have this email address");
            Assert.IsFalse(fault.Detail.Message.Contains("Jill") || fault.Detail.Message.Contains("Jane"));
        }

        [TestMethod]
        public void BothOrNeitherOfSubjectAndEmail_IsRefused()
        {
            StringAssert.Contains(Refused(() => Call("okos_GetVerificationStatus")).Detail.Message, "Pass either Subject");
            StringAssert.Contains(Refused(() => Call("okos_GetVerificationStatus", ("Subject", ContactRef), ("Email", "a@b.c"))).Detail.Message, "Pass either Subject");
        }

        [TestMethod]
        public void StepUp_ForAContactNotEnrolled_IsIdentityProofingWithSelfie()
        {
            var response = StepUp();

            Assert.AreEqual("IdentityProofing", response["Journey"]);
            Assert.IsFalse((bool)response["AlreadyFresh"]);
            Assert.AreEqual(Simulator.Sessions.Single().Id, response["SessionId"]);
            StringAssert.Contains((string)Notes.Last()["notetext"], "Reason: Refund above 10,000.");
        }

        [TestMethod]
        public void StepUp_ForAContactNotEnrolled_CountsOnceTheProofingPassesWithASelfie()
        {
            VerifyProofing();
            Assert.IsFalse((bool)Status()["StepUpFresh"], "an onboarding proofing is no step-up");

            var response = StepUp();
            Assert.AreEqual("IdentityProofing", response["Journey"]);
            Assert.AreEqual("Refund above 10,000", Verifications.Single(row => row.Id == (Guid)response["VerificationId"])["okos_stepupreason"]);
            Simulator.Complete((string)response["SessionId"], CaptureOutcome.PassWithSelfie);
            AgeLastChecks(30);

            var status = Status();
            Assert.IsTrue((bool)status["StepUpFresh"]);
            Assert.IsNotNull(status["LastStepUpAt"]);
            Assert.IsTrue((bool)StepUp()["AlreadyFresh"]);
        }

        [TestMethod]
        public void StepUp_ForAContactNotEnrolled_WithADocumentOnly_IsNoStepUp()
        {
            var response = StepUp();
            Simulator.Complete((string)response["SessionId"], CaptureOutcome.DocumentOnly);
            AgeLastChecks(30);

            var status = Status();
            Assert.AreEqual("Verified", status["Status"]);
            Assert.IsFalse((bool)status["StepUpFresh"]);
            Assert.IsNull(status["LastStepUpAt"]);
        }

        [TestMethod]
        public void StepUp_WhileTheOnboardingProofingIsPending_ReusesIt_AndPassingItCounts()
        {
            Call("okos_StartVerification", ("Subject", ContactRef));

            var response = StepUp();
            Assert.AreEqual(1, Simulator.Sessions.Count);
            Simulator.Complete(Simulator.Sessions.Single().Id, CaptureOutcome.PassWithSelfie);
            AgeLastChecks(30);

            Assert.IsTrue((bool)Status()["StepUpFresh"]);
            Assert.AreEqual("Refund above 10,000", Verifications.Single()["okos_stepupreason"]);
        }

        [TestMethod]
        public void StepUp_ForAnEnrolledContact_IsLiveId_AndWhenApprovedItIsFresh()
        {
            VerifyProofing();
            Dataverse.Overwrite(new Entity("contact", Contact) { ["okos_boundblockiddid"] = "did:blockid:jane" });

            var response = StepUp();
            Assert.AreEqual("LiveIdStepUp", response["Journey"]);
            Simulator.ApproveLiveId((string)response["SessionId"], "did:blockid:jane");
            AgeLastChecks(30);

            var status = Status();
            Assert.IsTrue((bool)status["StepUpFresh"]);
            Assert.IsNotNull(status["LastStepUpAt"]);
            StringAssert.Contains((string)status["Summary"], "within the 15-minute policy");

            var again = StepUp();
            Assert.IsTrue((bool)again["AlreadyFresh"]);
            Assert.AreEqual("Verified", again["Status"]);
            Assert.AreEqual(1, Simulator.LiveIdSessions.Count);
        }

        private sealed class MovableClock : IClock
        {
            public DateTimeOffset UtcNow { get; set; } = DateTimeOffset.UtcNow;
        }

        [TestMethod]
        public void TheClockTheSandboxOffers_IsThePlugInsTime()
        {
            var clock = new MovableClock();
            Dataverse.AddPluginService(typeof(IClock), clock);
            VerifyProofing();
            Dataverse.Overwrite(new Entity("contact", Contact) { ["okos_boundblockiddid"] = "did:blockid:jane" });
            Simulator.ApproveLiveId((string)StepUp()["SessionId"], "did:blockid:jane");
            clock.UtcNow = clock.UtcNow.AddSeconds(30);
            Assert.IsTrue((bool)Status()["StepUpFresh"]);

            clock.UtcNow = clock.UtcNow.AddHours(3);

            Assert.IsFalse((bool)Status()["StepUpFresh"], "three hours later by the plug-ins' clock, the 15-minute step-up is stale");
        }

        [TestMethod]
        public void StepUpOlderThanThePolicy_IsNotFresh_AndANewOneStarts()
        {
            VerifyProofing();
            Dataverse.Overwrite(new Entity("contact", Contact) { ["okos_boundblockiddid"] = "did:blockid:jane" });
            var first = StepUp();
            Simulator.ApproveLiveId((string)first["SessionId"], "did:blockid:jane");
            AgeLastChecks(30);
            Status();
            var stepUp = Verifications.Single(row => row.Id == (Guid)first["VerificationId"]);
            Dataverse.Overwrite(new Entity("okos_verification", stepUp.Id) { ["okos_laststepupat"] = DateTime.UtcNow.AddHours(-3) });

            Assert.IsFalse((bool)Status()["StepUpFresh"]);
            var second = StepUp();
            Assert.IsFalse((bool)second["AlreadyFresh"]);
            Assert.AreEqual(2, Simulator.LiveIdSessions.Count);
        }

        [TestMethod]
        public void StepUpWithoutAReason_SaysWhatToWrite()
        {
            StringAssert.Contains(Refused(() => StepUp("  ")).Detail.Message, "Reason is required");
        }
    }
}
