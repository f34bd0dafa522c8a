using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using OneKosmos.Core.BlockId;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Plugins.UseCases;
using OneKosmos.Core.Verification;
using OneKosmos.Sandbox.BlockId;
using OneKosmos.Sandbox.Dataverse;

namespace OneKosmos.Plugins.Tests.UseCases.ApplyResult
{
    /// <summary>A started proofing, the person's capture in the simulator, then the result applied to the row.</summary>
    [TestClass]
    public sealed class BlockIdResultApplierTests
    {
        private sealed class FixedClock : IClock
        {
            public DateTimeOffset UtcNow { get; set; }
        }

        private ProductSandbox _product = null!;
        private BlockIdSimulator _simulator = null!;
        private InMemoryDataverse _dataverse = null!;
        private IOrganizationService _service = null!;
        private Guid _contact;
        private Guid _row;

        [TestInitialize]
        public void StartAProofing()
        {
            _product = new ProductSandbox();
            _simulator = _product.Simulator;
            _dataverse = _product.Dataverse;
            _service = _product.Service;
            _contact = _dataverse.Seed(new Entity("contact") { ["firstname"] = "Jane", ["lastname"] = "Doe", ["emailaddress1"] = "jane@example.com" })[0];
            var contact = ContactSnapshot.Read(_service, _contact);
            var outcome = _product.AsProduct(system => new VerificationStarter(new VerificationRows(system), system, Client, SystemClock.Instance).Start(Journey.IdentityProofing, new StartRequest(contact, 60, Guid.NewGuid())).Outcome);
            Assert.AreEqual(StartOutcome.Started, outcome);
            _row = _dataverse.Rows("okos_verification").Single().Id;
        }

        private BlockIdClient Client() => _product.Client();

        private Transition Refresh(DateTimeOffset? at = null, bool issueCredential = false) =>
            _product.AsProduct(system => new BlockIdResultApplier(system, Client, new FixedClock { UtcNow = at ?? DateTimeOffset.UtcNow }, issueCredential).Apply(_row));

        private Entity Row() => _dataverse.Rows("okos_verification").Single();

        private void Capture(CaptureOutcome outcome) => _simulator.Complete(_simulator.Sessions.Single().Id, outcome);

        [TestMethod]
        public void PassWithSelfie_IsVerifiedIal2WithTheDocumentAndTheLinkCleared()
        {
            Capture(CaptureOutcome.PassWithSelfie);

            Assert.IsTrue(Refresh().BecameFinal);

            var row = Row();
            Assert.AreEqual(Choices.Of(VerificationStatus.Verified), row["okos_status"]);
            Assert.AreEqual(Choices.Of(AssuranceLevel.IAL2), row["okos_iallevel"]);
            Assert.AreEqual(1.0m, row["okos_matchconfidence"]);
            Assert.AreEqual("PASSPORT", row["okos_documenttype"]);
            Assert.AreEqual("FR", row["okos_documentcountry"]);
            Assert.AreEqual(new DateTime(2031, 5, 1), row["okos_documentexpireson"]);
            Assert.IsTrue(row.Contains("okos_verifiedat"));
            Assert.IsFalse(row.Contains("okos_captureurl"));
            Assert.AreEqual($"{_contact}:IdentityProofing:{_row}", row["okos_reservationkey"]);
            Assert.IsTrue(_dataverse.Rows("annotation").Any(note => (string)note["subject"] == "Identity verified (IAL2)"));
        }

        [TestMethod]
        public void IssueCredentialOn_VerifiedProofingGetsABlockIdCredential()
        {
            Capture(CaptureOutcome.PassWithSelfie);

            Refresh(issueCredential: true);

            Assert.AreEqual(_simulator.IssuedCredentials.Single(), Row()["okos_credentialdid"]);
        }

        [TestMethod]
        public void CredentialThatCannotBeIssued_LeavesTheRowVerifiedAndSaysWhy()
        {
            Capture(CaptureOutcome.PassWithSelfie);
            _simulator.InjectFault("/vc/from/document/ppt", SimulatedFault.ServerError);

            Refresh(issueCredential: true);

            Assert.AreEqual(Choices.Of(VerificationStatus.Verified), Row()["okos_status"]);
            Assert.IsFalse(Row().Contains("okos_credentialdid"));
            Assert.IsTrue(_dataverse.Rows("annotation").Any(note => (string)note["subject"] == "BlockID credential not issued"));
        }

        [TestMethod]
        public void IssueCredentialOff_IssuesNone()
        {
            Capture(CaptureOutcome.PassWithSelfie);

            Refresh();

            Assert.AreEqual(0, _simulator.IssuedCredentials.Count);
        }

        [TestMethod]
        public void DocumentOnly_IsVerifiedIal1()
        {
            Capture(CaptureOutcome.DocumentOnly);

            Refresh();

            Assert.AreEqual(Choices.Of(AssuranceLevel.IAL1), Row()["okos_iallevel"]);
        }

        [TestMethod]
        public void LivenessFail_IsFailedWithTheReasonCode()
        {
            Capture(CaptureOutcome.LivenessFail);

            Refresh();

            Assert.AreEqual(Choices.Of(VerificationStatus.Failed), Row()["okos_status"]);
            StringAssert.StartsWith(Row().GetAttributeValue<string>("okos_failurereason"), "IDV0012:");
        }

        [TestMethod]
        public void AbandonedPastItsExpiry_IsExpiredWithTheLinkCleared()
        {
            Capture(CaptureOutcome.Abandon);

            Refresh(DateTimeOffset.UtcNow.AddHours(2));

            var row = Row();
            Assert.AreEqual(Choices.Of(VerificationStatus.Expired), row["okos_status"]);
            Assert.IsFalse(row.Contains("okos_captureurl"));
            StringAssert.StartsWith(row.GetAttributeValue<string>("okos_failurereason"), "EXPIRED:");
        }

        [TestMethod]
        public void StillInProgress_ChangesOnlyTheLastCheck()
        {
            var before = Row();

            Assert.IsFalse(Refresh().Changed);

            var after = Row();
            Assert.AreEqual(before["okos_status"], after["okos_status"]);
            Assert.IsTrue(after.Contains("okos_captureurl"));
        }

        [TestMethod]
        public void RefreshingAVerifiedRow_AsksNothingAndChangesNothing()
        {
            Capture(CaptureOutcome.PassWithSelfie);
            Refresh();
            var calls = _simulator.Calls.Count;

            Assert.IsFalse(Refresh().Changed);
            Assert.AreEqual(calls, _simulator.Calls.Count);
        }

        [TestMethod]
        public void NoPersonalDataFromTheResult_ReachesTheRowOrTheNotes()
        {
            Capture(CaptureOutcome.PassWithSelfie);

            Refresh();

            var written = string.Join("|", Row().Attributes.Values.Select(value => Convert.ToString(value)))
                + string.Join("|", _dataverse.Rows("annotation").SelectMany(note => note.Attributes.Values.Select(value => Convert.ToString(value))));
            foreach (var personal in new[] { "SIM4821097", "19880214", "iVBORw0KGgo" })
            {
                Assert.IsFalse(written.Contains(personal, StringComparison.Ordinal), $"{personal} was stored");
            }
        }
    }
}
