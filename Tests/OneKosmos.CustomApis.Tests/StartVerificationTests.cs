using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using OneKosmos.Sandbox.BlockId;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Core.Verification;

namespace OneKosmos.CustomApis.Tests
{
    [TestClass]
    public sealed class StartVerificationTests : ApiTestBase
    {
        [TestMethod]
        public void Start_OpensOneSessionAndReturnsItsAttempt()
        {
            var response = Call("okos_StartVerification", ("Subject", ContactRef));

            var session = Simulator.Sessions.Single();
            var row = Verifications.Single();
            Assert.AreEqual(row.Id, response["VerificationId"]);
            Assert.AreEqual(session.Id, response["SessionId"]);
            Assert.AreEqual("Pending", response["Status"]);
            Assert.AreEqual(row["okos_captureurl"], response["CaptureUrl"]);
            StringAssert.StartsWith((string)response["CaptureUrl"], "https://");
            Assert.AreEqual(row["okos_expiresat"], response["ExpiresAt"]);
            Assert.IsFalse((bool)response["Reused"]);
        }

        [TestMethod]
        public void SecondCall_ReusesTheOpenAttemptAndStartsNothing()
        {
            var first = Call("okos_StartVerification", ("Subject", ContactRef), ("Journey", "IdentityProofing"));
            var second = Call("okos_StartVerification", ("Subject", ContactRef), ("Journey", "IdentityProofing"));

            Assert.AreEqual(1, Simulator.Sessions.Count);
            Assert.AreEqual(first["VerificationId"], second["VerificationId"]);
            Assert.AreEqual(first["SessionId"], second["SessionId"]);
            Assert.IsTrue((bool)second["Reused"]);
        }

        [TestMethod]
        public void LiveIdJourney_OpensALiveIdSession()
        {
            var response = Call("okos_StartVerification", ("Subject", ContactRef), ("Journey", "LiveIdStepUp"));

            Assert.AreEqual(Simulator.LiveIdSessions.Single(), response["SessionId"]);
            Assert.AreEqual(Choices.Of(Journey.LiveIdStepUp).Value, Verifications.Single().GetAttributeValue<OptionSetValue>("okos_journey").Value);
        }

        [TestMethod]
        public void Regarding_LinksTheOpportunity()
        {
            var opportunity = Service.Create(new Entity("opportunity") { ["name"] = "Mortgage" });

            Call("okos_StartVerification", ("Subject", ContactRef), ("Regarding", new EntityReference("opportunity", opportunity)));

            Assert.AreEqual(opportunity, Verifications.Single().GetAttributeValue<EntityReference>("okos_opportunityid").Id);
        }

        [TestMethod]
        public void UnknownJourney_IsRefusedWithTheValidNames()
        {
            var fault = Refused(() => Call("okos_StartVerification", ("Subject", ContactRef), ("Journey", "Selfie")));

            StringAssert.Contains(fault.Detail.Message, "Journey 'Selfie' is not one this API starts: use IdentityProofing or LiveIdStepUp.");
            Assert.AreEqual(0, Verifications.Length);
        }

        [TestMethod]
        public void NeitherSubjectNorRegarding_IsRefusedSayingWhatToPass()
        {
            var fault = Refused(() => Call("okos_StartVerification"));

            StringAssert.Contains(fault.Detail.Message, "Subject is required: pass the contact to verify");
            Assert.AreEqual(0, Verifications.Length);
        }

        [TestMethod]
        public void SubjectOfAnotherTable_IsRefusedBeforeAnythingRuns()
        {
            var fault = Refused(() => Call("okos_StartVerification", ("Subject", new EntityReference("account", Guid.NewGuid()))));

            StringAssert.Contains(fault.Detail.Message, "refers to a account row, not a contact");
        }

        [TestMethod]
        public void Throttled1Kosmos_KeepsThePendingReservationForReconcile()
        {
            Simulator.InjectFault("/document_share_session/create", SimulatedFault.Throttle);

            var response = Call("okos_StartVerification", ("Subject", ContactRef));

            Assert.AreEqual("Pending", response["Status"]);
            Assert.AreEqual("", response["SessionId"]);
            Assert.AreEqual("", response["CaptureUrl"]);
            StringAssert.StartsWith(Verifications.Single().GetAttributeValue<string>("okos_failurereason"), "THROTTLED");
        }

        [TestMethod]
        public void Agent_GetsTheLink_UserWithoutTheProfile_DoesNot()
        {
            var agent = Dataverse.AddUser("Agent", new[] { "Verification Agent", "Salesperson" }, new[] { "Verification Agent" });
            var clerk = Dataverse.AddUser("Clerk", new[] { "Verification Agent", "Salesperson" });

            var withProfile = CallAs(agent, "okos_StartVerification", ("Subject", ContactRef));
            var without = CallAs(clerk, "okos_StartVerification", ("Subject", ContactRef));

            StringAssert.StartsWith((string)withProfile["CaptureUrl"], "https://");
            Assert.AreEqual("", without["CaptureUrl"]);
            Assert.IsTrue((bool)without["Reused"]);
        }

        [TestMethod]
        public void TheSessionId_ReachesOnlyAVerificationAdministrator_SoNoAgentRebuildsAnApprovalLinkFromIt()
        {
            var agent = Dataverse.AddUser("Agent", new[] { "Verification Agent", "Salesperson" }, new[] { "Verification Agent" });
            var administrator = Dataverse.AddUser("Admin", new[] { "Verification Administrator", "Salesperson" }, new[] { "Verification Administrator" });

            var asAgent = CallAs(agent, "okos_StartVerification", ("Subject", ContactRef), ("Journey", "LiveIdStepUp"));
            var asAdministrator = CallAs(administrator, "okos_StartVerification", ("Subject", ContactRef), ("Journey", "LiveIdStepUp"));
            var read = Dataverse.CreateOrganizationService(agent).Retrieve("okos_verification", (Guid)asAgent["VerificationId"], new Microsoft.Xrm.Sdk.Query.ColumnSet("okos_sessionid"));

            Assert.AreEqual("", asAgent["SessionId"]);
            Assert.IsFalse(read.Contains("okos_sessionid"));
            Assert.AreEqual(Simulator.LiveIdSessions.Single(), asAdministrator["SessionId"]);
        }

        [TestMethod]
        public void CallerWithoutCreatePrivilege_GetsThePrivilegeError()
        {
            var relay = Dataverse.AddUser("Relay", new[] { "Verification Relay" });

            var fault = Refused(() => CallAs(relay, "okos_StartVerification", ("Subject", ContactRef)));

            StringAssert.Contains(fault.Detail.Message, "prvCreateokos_verification");
            Assert.AreEqual(0, Simulator.Sessions.Count);
        }

        [TestMethod]
        public void TheCaptureLinkIsNeverTraced()
        {
            var response = Call("okos_StartVerification", ("Subject", ContactRef));

            Assert.IsFalse(AllTraces(Dataverse).Contains((string)response["CaptureUrl"]));
        }
    }
}
