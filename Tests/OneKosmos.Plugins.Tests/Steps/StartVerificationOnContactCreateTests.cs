using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using OneKosmos.Plugins.Steps;
using OneKosmos.Sandbox.BlockId;
using OneKosmos.Sandbox.Dataverse;
using OneKosmos.Sandbox.Dataverse.Pipeline;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Core.Verification;

namespace OneKosmos.Plugins.Tests.Steps
{
    /// <summary>Contact Create → identity proofing, through the solution's own step registration, against the BlockID simulator.</summary>
    [TestClass]
    public sealed class StartVerificationOnContactCreateTests
    {
        private static readonly int Pending = Choices.Of(VerificationStatus.Pending).Value;
        private static readonly int Failed = Choices.Of(VerificationStatus.Failed).Value;

        private ProductSandbox _product = null!;
        private BlockIdSimulator _simulator = null!;
        private InMemoryDataverse _dataverse = null!;
        private IOrganizationService _service = null!;
        private Guid _owner;

        [TestInitialize]
        public void Arrange()
        {
            _product = new ProductSandbox();
            _simulator = _product.Simulator;
            _dataverse = _product.Dataverse;
            _service = _product.Service;
            _owner = _dataverse.Seed(new Entity("systemuser") { ["fullname"] = "Owner" })[0];
        }

        private void Connect(string? licenseKey = null) => _product.Connect(licenseKey);

        private void Set(string variable, string value) => _product.Set(variable, value);

        private Guid CreateContact(string? email = "jane.doe@example.com") =>
            _service.Create(new Entity("contact")
            {
                ["firstname"] = "Jane",
                ["lastname"] = "Doe",
                ["emailaddress1"] = email,
                ["ownerid"] = new EntityReference("systemuser", _owner),
            });

        private Entity[] Verifications() => _product.Verifications;

        /// <summary>The start step's run (the identity state guard runs on a contact's Create too).</summary>
        private PluginRun StartRun() => _dataverse.PluginRuns.Single(run => run.Step.PluginTypeName == typeof(StartVerificationOnContactCreate).FullName);

        [TestMethod]
        public void ContactCreate_StartsOneSessionAndOnePendingRowOwnedLikeTheContact()
        {
            Connect();
            Set("okos_VerifyOnContactCreate", "yes");

            var contact = CreateContact();

            var session = _simulator.Sessions.Single();
            var row = Verifications().Single();
            Assert.AreEqual(Pending, row.GetAttributeValue<OptionSetValue>("okos_status").Value);
            Assert.AreEqual(session.Id, row["okos_sessionid"]);
            Assert.AreEqual(contact.ToString(), session.Uid);
            Assert.AreEqual(new EntityReference("systemuser", _owner), row["ownerid"]);
            Assert.AreEqual($"{contact}:IdentityProofing:open", row["okos_reservationkey"]);
            Assert.IsTrue(row.Contains("okos_expiresat"));
            var run = StartRun();
            Assert.IsTrue(run.Succeeded, run.Error);
            Assert.AreEqual(run.Context.CorrelationId.ToString(), row["okos_correlationid"]);
            var note = _dataverse.Rows("annotation").Single();
            Assert.AreEqual(new EntityReference("contact", contact), note["objectid"]);
        }

        [TestMethod]
        public void SameAsyncStepExecutedAgain_StartsNothingNew()
        {
            Connect();
            Set("okos_VerifyOnContactCreate", "yes");
            CreateContact();
            var run = StartRun();

            _dataverse.ExecutePlugin(new StartVerificationOnContactCreate(), run.Context);

            Assert.AreEqual(1, _simulator.Sessions.Count);
            Assert.AreEqual(1, Verifications().Length);
            Assert.AreEqual(1, _dataverse.Rows("annotation").Count);
        }

        [TestMethod]
        public void SettingOff_StartsNothingAndSaysWhy()
        {
            Connect();

            CreateContact();

            Assert.AreEqual(0, _simulator.Sessions.Count);
            Assert.AreEqual(0, Verifications().Length);
            StringAssert.Contains(string.Join("\n", StartRun().TraceLines), "okos_VerifyOnContactCreate is no");
        }

        [TestMethod]
        public void ContactWithNoWayToReachThem_StartsNothingAndSaysWhy()
        {
            Connect();
            Set("okos_VerifyOnContactCreate", "yes");

            CreateContact(email: null);

            Assert.AreEqual(0, Verifications().Length);
            StringAssert.Contains(string.Join("\n", StartRun().TraceLines), "no usable email address and no mobile phone");
        }

        [TestMethod]
        public void ContactWhoseEmailIsNoAddress_StartsNothingAndSaysWhy()
        {
            Connect();
            Set("okos_VerifyOnContactCreate", "yes");

            CreateContact(email: "not-an-email");

            Assert.AreEqual(0, Verifications().Length);
            StringAssert.Contains(string.Join("\n", StartRun().TraceLines), "no usable email address");
        }

        [TestMethod]
        public void Throttled_KeepsThePendingRowWithTheReason_AndTheNextRunFinishesTheStart()
        {
            Connect();
            Set("okos_VerifyOnContactCreate", "yes");
            _simulator.InjectFault("/document_share_session/create", SimulatedFault.Throttle);

            CreateContact();
            var row = Verifications().Single();
            Assert.AreEqual(Pending, row.GetAttributeValue<OptionSetValue>("okos_status").Value);
            StringAssert.StartsWith(row.GetAttributeValue<string>("okos_failurereason"), "THROTTLED:");
            StringAssert.StartsWith(row.GetAttributeValue<string>("okos_sessionid"), "reserved:");

            _dataverse.ExecutePlugin(new StartVerificationOnContactCreate(), StartRun().Context);

            row = Verifications().Single();
            Assert.AreEqual(_simulator.Sessions.Single().Id, row["okos_sessionid"]);
            Assert.IsFalse(row.Contains("okos_failurereason"));
        }

        [TestMethod]
        public void TimeoutAfterTheSessionWasMade_RetryLeavesExactlyOneSessionOnTheRow()
        {
            Connect();
            Set("okos_VerifyOnContactCreate", "yes");
            _simulator.InjectFault("/document_share_session/create", SimulatedFault.TimeoutAfterWork);

            CreateContact();
            StringAssert.StartsWith(Verifications().Single().GetAttributeValue<string>("okos_failurereason"), "TRANSIENT:");
            _dataverse.ExecutePlugin(new StartVerificationOnContactCreate(), StartRun().Context);

            var row = Verifications().Single();
            Assert.AreEqual(2, _simulator.Sessions.Count, "the first session was made, but nobody ever got its link");
            Assert.AreEqual(_simulator.Sessions.Last().Id, row["okos_sessionid"]);
        }

        [TestMethod]
        public void Rejected_FailsTheRowWithTheReasonAndFreesTheSlot()
        {
            Connect(licenseKey: "not-the-license");
            Set("okos_VerifyOnContactCreate", "yes");

            var contact = CreateContact();

            var row = Verifications().Single();
            Assert.AreEqual(Failed, row.GetAttributeValue<OptionSetValue>("okos_status").Value);
            StringAssert.Contains(row.GetAttributeValue<string>("okos_failurereason"), "Check the license key");
            Assert.AreEqual($"{contact}:IdentityProofing:{row.Id}", row["okos_reservationkey"]);
            Assert.AreEqual(2, _dataverse.Rows("annotation").Count);
        }

        [TestMethod]
        public void ConnectionRow_IsReadOnceAndReusedByTheNextStart()
        {
            Connect();
            Set("okos_VerifyOnContactCreate", "yes");
            CreateContact();
            var connection = _dataverse.Rows("okos_blockidconnection").Single();
            _service.Update(new Entity("okos_blockidconnection", connection.Id) { ["okos_licensekey"] = "changed-since" });

            CreateContact();

            Assert.AreEqual(2, _simulator.Sessions.Count, "the second start used the connection read by the first");
        }

        [TestMethod]
        public void MalformedAnswer_FailsTheRowForGoodWithTheReason()
        {
            Connect();
            Set("okos_VerifyOnContactCreate", "yes");
            _simulator.InjectFault("/document_share_session/create", SimulatedFault.MalformedBody);

            CreateContact();

            var row = Verifications().Single();
            Assert.AreEqual(Failed, row.GetAttributeValue<OptionSetValue>("okos_status").Value);
            StringAssert.StartsWith(row.GetAttributeValue<string>("okos_failurereason"), "MALFORMED:");
            StringAssert.EndsWith(row.GetAttributeValue<string>("okos_reservationkey"), row.Id.ToString());
        }

        [TestMethod]
        public void NoConnection_FailsTheJobWithAClearMessageAndReservesNothing()
        {
            Set("okos_VerifyOnContactCreate", "yes");

            CreateContact();

            var run = StartRun();
            Assert.IsFalse(run.Succeeded);
            StringAssert.Contains(run.Error, "No active 1Kosmos connection");
            Assert.AreEqual(0, Verifications().Length);
        }

        [TestMethod]
        public void NoSecretOrCaptureLink_ReachesTracesNotesOrReasons()
        {
            Connect();
            Set("okos_VerifyOnContactCreate", "yes");
            _simulator.InjectFault("/document_share_session/create", SimulatedFault.ServerError);
            CreateContact();
            _dataverse.ExecutePlugin(new StartVerificationOnContactCreate(), StartRun().Context);
            var captureUrl = Verifications().Single().GetAttributeValue<string>("okos_captureurl");

            var written = string.Join("\n",
                _dataverse.PluginRuns.SelectMany(run => run.TraceLines.Append(run.Error ?? "")),
                string.Join("\n", _dataverse.Rows("annotation").Select(note => $"{note["subject"]} {note["notetext"]}")),
                string.Join("\n", Verifications().Select(row => row.GetAttributeValue<string>("okos_failurereason"))));
            foreach (var secret in new[] { _simulator.Options.LicenseKey, _simulator.Options.DvcId, captureUrl })
            {
                Assert.IsFalse(written.Contains(secret, StringComparison.Ordinal), $"leaked: {secret}");
            }
        }
    }
}
