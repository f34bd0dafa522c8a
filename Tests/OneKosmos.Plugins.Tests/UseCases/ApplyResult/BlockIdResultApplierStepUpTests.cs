using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using OneKosmos.Core.BlockId;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Plugins.UseCases;
using OneKosmos.Core.Verification;

namespace OneKosmos.Plugins.Tests.UseCases.ApplyResult
{
    /// <summary>
    /// LiveID step-ups: the first after a Verified proofing binds the approver's DID only on evidence (1Kosmos' proof of the
    /// same document, or a request that went only to the contact's email); later ones must present the bound DID.
    /// </summary>
    [TestClass]
    public sealed class BlockIdResultApplierStepUpTests
    {
        private const string JaneDid = "did:blockid:jane";
        private const string EmailQueue = "Identity checks";

        private static readonly string JanesDocument = OneKosmos.Sandbox.BlockId.BlockIdSimulator.DocumentHashOf("Jane", "Doe");

        private ProductSandbox _product = null!;
        private Guid _contact;

        [TestInitialize]
        public void Arrange()
        {
            _product = new ProductSandbox();
            _contact = _product.Dataverse.Seed(new Entity("contact") { ["firstname"] = "Jane", ["lastname"] = "Doe", ["emailaddress1"] = "jane@example.com" })[0];
            _product.Dataverse.Seed(new Entity("queue") { ["name"] = EmailQueue, ["emailaddress"] = "identity@contoso.example" });
        }

        private BlockIdClient Client() => _product.Client();

        private void VerifiedProofing() =>
            _product.Dataverse.Seed(new Entity("okos_verification")
            {
                ["okos_name"] = "proofing",
                ["okos_contactid"] = new EntityReference("contact", _contact),
                ["okos_journey"] = Choices.Of(Journey.IdentityProofing),
                ["okos_status"] = Choices.Of(VerificationStatus.Verified),
                ["okos_sessionid"] = "proofing-session",
                ["okos_reservationkey"] = $"{_contact}:IdentityProofing:done",
                ["okos_documenthash"] = JanesDocument,
            });

        /// <summary>
        /// Opens a step-up (emailed to the contact alone when <paramref name="emailQueue"/> is set), lets someone approve as
        /// <paramref name="did"/>, refreshes it; returns the step-up row.
        /// </summary>
        private Entity StepUp(string did, string? emailQueue = null)
        {
            var outcome = _product.AsProduct(system => new VerificationStarter(new VerificationRows(system), system, Client, SystemClock.Instance, emailQueue).Start(Journey.LiveIdStepUp, new StartRequest(ContactSnapshot.Read(system, _contact), 15, Guid.NewGuid())).Outcome);
            Assert.AreEqual(StartOutcome.Started, outcome);
            var row = _product.Verifications.Single(verification => Equals(verification["okos_reservationkey"], $"{_contact}:LiveIdStepUp:open"));
            _product.Simulator.ApproveLiveId((string)row["okos_sessionid"], did);
            _product.AsProduct(system => new BlockIdResultApplier(system, Client, SystemClock.Instance).Apply(row.Id));
            return _product.Verifications.Single(verification => verification.Id == row.Id);
        }

        private Entity Contact() => _product.Dataverse.Rows("contact").Single();

        private string? BoundDid() => Contact().GetAttributeValue<string>("okos_boundblockiddid");

        /// <summary>Jane proofed her own document in her BlockID app, so 1Kosmos' record of her holds its proof.</summary>
        private void JaneProofedHerDocumentInTheApp() => _product.Simulator.RecordAppProof(JaneDid, JanesDocument);

        [TestMethod]
        public void FirstStepUp_WhoseApproverHoldsAProofOfTheContactsDocument_IsVerifiedAndBindsOnThatEvidence()
        {
            VerifiedProofing();
            JaneProofedHerDocumentInTheApp();

            var row = StepUp(JaneDid);

            Assert.AreEqual(Choices.Of(VerificationStatus.Verified), row["okos_status"]);
            Assert.AreEqual(JaneDid, row["okos_credentialdid"]);
            Assert.AreEqual(true, row["okos_liveidenrolled"]);
            Assert.IsTrue(row.Contains("okos_laststepupat"));
            Assert.AreEqual(JaneDid, BoundDid());
            Assert.AreEqual(Choices.Of(BindingEvidence.DocumentMatch), Contact()["okos_bindingevidence"]);
            Assert.IsTrue(Contact().Contains("okos_boundat"));
            Assert.IsTrue(_product.Dataverse.Rows("annotation").Any(note => (string)note["subject"] == "BlockID identity bound"));
        }

        [TestMethod]
        public void FirstStepUp_ApprovedBySomeoneWhoseProofsAreOfAnotherDocument_FailsAndBindsNothing()
        {
            VerifiedProofing();
            _product.Simulator.RecordAppProof("did:blockid:agent", OneKosmos.Sandbox.BlockId.BlockIdSimulator.DocumentHashOf("Alex", "Agent"));

            var row = StepUp("did:blockid:agent", EmailQueue);

            Assert.AreEqual(Choices.Of(VerificationStatus.Failed), row["okos_status"]);
            StringAssert.StartsWith(row.GetAttributeValue<string>("okos_failurereason"), "NOT_THE_PROOFED_PERSON:");
            Assert.IsNull(BoundDid());
        }

        [TestMethod]
        public void FirstStepUp_WithoutEvidence_AndHandedToTheCaller_FailsAndBindsNothing()
        {
            VerifiedProofing();

            var row = StepUp(JaneDid);

            StringAssert.StartsWith(row.GetAttributeValue<string>("okos_failurereason"), "NO_BINDING_EVIDENCE:");
            Assert.IsNull(BoundDid());
        }

        [TestMethod]
        public void FirstStepUp_EmailedOnlyToTheContact_KeepsTheLinkOutOfDataverse_AndBindsOnTheContactsEmail()
        {
            VerifiedProofing();

            var row = StepUp(JaneDid, EmailQueue);

            var sent = _product.Dataverse.SentEmails.Single();
            Assert.AreEqual("jane@example.com", sent.Address);
            StringAssert.Contains(sent.Body, (string)row["okos_sessionid"]);
            Assert.IsFalse(row.Contains("okos_captureurl"));
            Assert.AreEqual(true, row["okos_sentonlytocontact"]);
            Assert.AreEqual(Choices.Of(VerificationStatus.Verified), row["okos_status"]);
            Assert.AreEqual(Choices.Of(BindingEvidence.ContactEmail), Contact()["okos_bindingevidence"]);
        }

        [TestMethod]
        public void OnceBound_LaterRequestsAreHandedToTheCallerAsUsual()
        {
            VerifiedProofing();
            StepUp(JaneDid, EmailQueue);

            var later = StepUp(JaneDid, EmailQueue);

            Assert.AreEqual(1, _product.Dataverse.SentEmails.Count);
            Assert.AreNotEqual(true, later.GetAttributeValue<bool?>("okos_sentonlytocontact"));
            Assert.AreEqual(Choices.Of(VerificationStatus.Verified), later["okos_status"]);
        }

        [TestMethod]
        public void LaterStepUpWithTheSameDid_IsVerified()
        {
            VerifiedProofing();
            JaneProofedHerDocumentInTheApp();
            StepUp(JaneDid);

            Assert.AreEqual(Choices.Of(VerificationStatus.Verified), StepUp(JaneDid)["okos_status"]);
        }

        [TestMethod]
        public void StepUpPresentingAnotherPersonsDid_Fails()
        {
            VerifiedProofing();
            JaneProofedHerDocumentInTheApp();
            StepUp(JaneDid);

            var row = StepUp("did:blockid:mallory");

            Assert.AreEqual(Choices.Of(VerificationStatus.Failed), row["okos_status"]);
            StringAssert.StartsWith(row.GetAttributeValue<string>("okos_failurereason"), "DID_MISMATCH:");
            Assert.AreEqual(JaneDid, BoundDid());
            Assert.IsTrue(_product.Dataverse.Rows("annotation").Any(note => (string)note["subject"] == "Biometric step-up failed"));
        }

        [TestMethod]
        public void StepUpBeforeAnyProofing_FailsAndBindsNothing()
        {
            var row = StepUp(JaneDid);

            StringAssert.StartsWith(row.GetAttributeValue<string>("okos_failurereason"), "NOT_PROOFED:");
            Assert.IsNull(BoundDid());
        }
    
        [TestMethod]
        public void AnApprovalAfterOurLocalExpiry_StillCounts_TheAppsAnswerWins()
        {
            VerifiedProofing();
            JaneProofedHerDocumentInTheApp();
            _product.AsProduct(system => new VerificationStarter(new VerificationRows(system), system, Client, SystemClock.Instance).Start(Journey.LiveIdStepUp, new StartRequest(ContactSnapshot.Read(system, _contact), 15, Guid.NewGuid())));
            var row = _product.Verifications.Single(verification => Equals(verification["okos_reservationkey"], $"{_contact}:LiveIdStepUp:open"));
            _product.Dataverse.Overwrite(new Entity("okos_verification", row.Id) { ["okos_expiresat"] = DateTime.UtcNow.AddMinutes(-1) });
            _product.AsProduct(system => new BlockIdResultApplier(system, Client, SystemClock.Instance).Apply(row.Id));
            Assert.AreEqual(Choices.Of(VerificationStatus.Expired), _product.Verifications.Single(verification => verification.Id == row.Id)["okos_status"], "our timer ran out first");

            _product.Simulator.ApproveLiveId((string)row["okos_sessionid"], JaneDid);
            _product.AsProduct(system => new BlockIdResultApplier(system, Client, SystemClock.Instance).Apply(row.Id));

            Assert.AreEqual(Choices.Of(VerificationStatus.Verified), _product.Verifications.Single(verification => verification.Id == row.Id)["okos_status"]);
            Assert.AreEqual(JaneDid, BoundDid());
        }
    }
}
