using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using OneKosmos.Core.BlockId;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Plugins.UseCases;
using OneKosmos.Core.Verification;

namespace OneKosmos.Plugins.Tests.UseCases.ApplyResult
{
    /// <summary>LiveID step-ups: the first after a Verified proofing binds the person's DID; later ones must present it.</summary>
    [TestClass]
    public sealed class BlockIdResultApplierStepUpTests
    {
        private const string JaneDid = "did:blockid:jane";

        private ProductSandbox _product = null!;
        private Guid _contact;

        [TestInitialize]
        public void Arrange()
        {
            _product = new ProductSandbox();
            _contact = _product.Dataverse.Seed(new Entity("contact") { ["firstname"] = "Jane", ["lastname"] = "Doe" })[0];
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
            });

        /// <summary>Opens a step-up, lets the person approve as <paramref name="did"/>, refreshes it; returns the step-up row.</summary>
        private Entity StepUp(string did)
        {
            var outcome = _product.AsProduct(system => new VerificationStarter(new VerificationRows(system), system, Client, SystemClock.Instance).Start(Journey.LiveIdStepUp, new StartRequest(ContactSnapshot.Read(system, _contact), 15, Guid.NewGuid())).Outcome);
            Assert.AreEqual(StartOutcome.Started, outcome);
            var row = _product.Verifications.Single(verification => Equals(verification["okos_reservationkey"], $"{_contact}:LiveIdStepUp:open"));
            _product.Simulator.ApproveLiveId((string)row["okos_sessionid"], did);
            _product.AsProduct(system => new BlockIdResultApplier(system, Client, SystemClock.Instance).Apply(row.Id));
            return _product.Verifications.Single(verification => verification.Id == row.Id);
        }

        private string? BoundDid() => _product.Dataverse.Rows("contact").Single().GetAttributeValue<string>("okos_boundblockiddid");

        [TestMethod]
        public void FirstStepUpAfterProofing_IsVerifiedAndBindsTheDid()
        {
            VerifiedProofing();

            var row = StepUp(JaneDid);

            Assert.AreEqual(Choices.Of(VerificationStatus.Verified), row["okos_status"]);
            Assert.AreEqual(JaneDid, row["okos_credentialdid"]);
            Assert.AreEqual(true, row["okos_liveidenrolled"]);
            Assert.IsTrue(row.Contains("okos_laststepupat"));
            Assert.IsFalse(row.Contains("okos_captureurl"));
            Assert.AreEqual(JaneDid, BoundDid());
        }

        [TestMethod]
        public void LaterStepUpWithTheSameDid_IsVerified()
        {
            VerifiedProofing();
            StepUp(JaneDid);

            Assert.AreEqual(Choices.Of(VerificationStatus.Verified), StepUp(JaneDid)["okos_status"]);
        }

        [TestMethod]
        public void StepUpPresentingAnotherPersonsDid_Fails()
        {
            VerifiedProofing();
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
    }
}
