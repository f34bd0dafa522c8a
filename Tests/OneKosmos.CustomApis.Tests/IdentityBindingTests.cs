using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using OneKosmos.Sandbox.BlockId;

namespace OneKosmos.CustomApis.Tests
{
    /// <summary>
    /// Finding 2 of the trust review, as the attack: an agent starts a LiveID step-up for a proofed contact who never
    /// stepped up and approves it in their own BlockID app, to have their DID bound and pass every later gate.
    /// </summary>
    [TestClass]
    public sealed class IdentityBindingTests : ApiTestBase
    {
        private const string AgentsDid = "did:blockid:agent";
        private const string JanesDid = "did:blockid:jane";

        private Guid _agent;
        private Guid _administrator;

        [TestInitialize]
        public void ArrangeAProofedContact() => ProofTheContact();

        /// <remarks>Settings are read once per product: a test that needs the email queue arranges a new product with it.</remarks>
        private void ProofTheContact()
        {
            _agent = Dataverse.AddUser("Agent", new[] { "Verification Agent", "Salesperson" }, new[] { "Verification Agent" });
            _administrator = Dataverse.AddUser("Admin", new[] { "Verification Administrator", "Salesperson" }, new[] { "Verification Administrator" });
            Call("okos_StartVerification", ("Subject", ContactRef));
            Simulator.Complete(Simulator.Sessions.Single().Id, CaptureOutcome.PassWithSelfie);
            Reconcile();
        }

        private void Reconcile() => Call("okos_ReconcileVerifications", ("OlderThanMinutes", 0));

        private Entity StepUpRow() => Verifications.Single(row => row.GetAttributeValue<OptionSetValue>("okos_journey").Value == 715900001);

        private string? BoundDid() => Dataverse.Rows("contact").Single(row => row.Id == Contact).GetAttributeValue<string>("okos_boundblockiddid");

        private OrganizationResponse StartLiveIdAsAgent() => CallAs(_agent, "okos_StartVerification", ("Subject", ContactRef), ("Journey", "LiveIdStepUp"));

        private void SendFirstRequestsByEmail()
        {
            Arrange(product =>
            {
                product.Service.Create(new Entity("queue") { ["name"] = "Identity checks", ["emailaddress"] = "identity@contoso.example" });
                product.Set("okos_StepUpEmailQueue", "Identity checks");
            });
            ProofTheContact();
        }

        /// <summary>The session id an approval link names (…/session/{id}): what whoever holds the link approves.</summary>
        private static string SessionOf(string link) => link[(link.LastIndexOf('/') + 1)..];

        [TestMethod]
        public void AnAgentApprovingTheFirstLiveIdWithTheirOwnProofedApp_BindsNothing()
        {
            Simulator.RecordAppProof(AgentsDid, BlockIdSimulator.DocumentHashOf("Alex", "Agent"));
            var link = (string)StartLiveIdAsAgent()["CaptureUrl"];

            Simulator.ApproveLiveId(SessionOf(link), AgentsDid);
            Reconcile();

            Assert.IsNull(BoundDid());
            StringAssert.StartsWith(StepUpRow().GetAttributeValue<string>("okos_failurereason"), "NOT_THE_PROOFED_PERSON:");
            Assert.AreEqual(AgentsDid, StepUpRow()["okos_credentialdid"], "who approved stays on the row for review");
            Assert.AreEqual("", Call("okos_GetVerificationStatus", ("Subject", ContactRef))["BindingEvidence"]);
        }

        [TestMethod]
        public void AnAgentApprovingTheFirstLiveIdWithAnAppThatProofedNothing_BindsNothing()
        {
            var link = (string)StartLiveIdAsAgent()["CaptureUrl"];

            Simulator.ApproveLiveId(SessionOf(link), AgentsDid);
            Reconcile();

            Assert.IsNull(BoundDid());
            StringAssert.StartsWith(StepUpRow().GetAttributeValue<string>("okos_failurereason"), "NO_BINDING_EVIDENCE:");
        }

        [TestMethod]
        public void WithAnEmailQueue_TheAgentIsGivenNothingToApprove_AndTheContactsApprovalBindsOnTheirEmail()
        {
            SendFirstRequestsByEmail();

            var response = StartLiveIdAsAgent();
            var email = Dataverse.SentEmails.Single();
            Simulator.ApproveLiveId(Simulator.LiveIdSessions.Single(), JanesDid);
            Reconcile();

            Assert.AreEqual("", response["CaptureUrl"]);
            Assert.AreEqual("", response["SessionId"]);
            Assert.AreEqual("jane.doe@example.com", email.Address);
            StringAssert.Contains(email.Body, Simulator.LiveIdSessions.Single());
            Assert.IsFalse(AllTraces(Dataverse).Contains(Simulator.LiveIdSessions.Single()));
            Assert.IsFalse(Notes.Any(note => ((string?)note.GetAttributeValue<string>("notetext") ?? "").Contains(Simulator.LiveIdSessions.Single())));
            Assert.AreEqual(JanesDid, BoundDid());
            Assert.AreEqual("ContactEmail", Call("okos_GetVerificationStatus", ("Subject", ContactRef))["BindingEvidence"]);
        }

        [TestMethod]
        public void TheContactsOwnAppHoldingAProofOfTheirDocument_BindsOnThatEvidence()
        {
            Simulator.RecordAppProof(JanesDid, BlockIdSimulator.DocumentHashOf("Jane", "Doe"));

            Call("okos_StartVerification", ("Subject", ContactRef), ("Journey", "LiveIdStepUp"));
            Simulator.ApproveLiveId(Simulator.LiveIdSessions.Single(), JanesDid);
            Reconcile();

            Assert.AreEqual(JanesDid, BoundDid());
            Assert.AreEqual("DocumentMatch", Call("okos_GetVerificationStatus", ("Subject", ContactRef))["BindingEvidence"]);
        }

        [TestMethod]
        public void AnAgentCannotBindAnIdentity_TheBindApiIsAnAdministratorsAlone()
        {
            var fault = Refused(() => CallAs(_agent, "okos_BindBlockIdIdentity", ("Subject", ContactRef), ("Did", AgentsDid), ("Reason", "trust me")));

            StringAssert.Contains(fault.Detail.Message, "prvWriteokos_blockidconnection");
            Assert.IsNull(BoundDid());
        }

        [TestMethod]
        public void TheRelaysApplicationUser_CannotBindAnIdentityEither()
        {
            var relay = Dataverse.AddUser("Relay", new[] { "Verification Relay" });

            var fault = Refused(() => CallAs(relay, "okos_BindBlockIdIdentity", ("Subject", ContactRef), ("Did", AgentsDid), ("Reason", "leaked credential")));

            StringAssert.Contains(fault.Detail.Message, "prvWriteokos_blockidconnection");
            Assert.IsNull(BoundDid());
        }

        [TestMethod]
        public void AnAgentCannotPointTheFirstStepUpEmailAtAQueueOfTheirOwn()
        {
            var definition = Dataverse.Rows("environmentvariabledefinition").Single(row => (string)row["schemaname"] == "okos_StepUpEmailQueue");

            var fault = Refused(() => Dataverse.CreateOrganizationService(_agent).Create(new Entity("environmentvariablevalue")
            {
                ["schemaname"] = "okos_StepUpEmailQueue",
                ["value"] = "Agent's own queue",
                ["environmentvariabledefinitionid"] = definition.ToEntityReference(),
            }));

            StringAssert.Contains(fault.Detail.Message, "prvCreateEnvironmentVariableValue");
        }

        [TestMethod]
        public void AnAdministratorBindsWithAReasonOnTheTimeline_AndCanClearIt()
        {
            var bound = CallAs(_administrator, "okos_BindBlockIdIdentity", ("Subject", ContactRef), ("Did", JanesDid), ("Reason", "Checked her passport at the branch"));
            var status = Call("okos_GetVerificationStatus", ("Subject", ContactRef));
            CallAs(_administrator, "okos_BindBlockIdIdentity", ("Subject", ContactRef), ("Did", ""), ("Reason", "Lost her phone"));

            Assert.AreEqual(JanesDid, bound["BoundDid"]);
            Assert.AreEqual("AdministratorRebind", status["BindingEvidence"]);
            Assert.IsTrue(Notes.Any(note => (string)note["subject"] == "BlockID identity bound" && ((string)note["notetext"]).Contains("Checked her passport at the branch")));
            Assert.IsTrue(Notes.Any(note => (string)note["subject"] == "BlockID identity unbound" && ((string)note["notetext"]).Contains("Lost her phone")));
            Assert.IsNull(BoundDid());
        }

        [TestMethod]
        [DataRow("", "Reason is required")]
        [DataRow("   ", "Reason is required")]
        public void ABindWithoutAReason_IsRefused(string reason, string message)
        {
            var fault = Refused(() => CallAs(_administrator, "okos_BindBlockIdIdentity", ("Subject", ContactRef), ("Did", JanesDid), ("Reason", reason)));

            StringAssert.Contains(fault.Detail.Message, message);
            Assert.IsNull(BoundDid());
        }

        [TestMethod]
        public void ADidWithSpaces_IsRefused()
        {
            var fault = Refused(() => CallAs(_administrator, "okos_BindBlockIdIdentity", ("Subject", ContactRef), ("Did", "did:blockid:a b"), ("Reason", "x")));

            StringAssert.Contains(fault.Detail.Message, "one BlockID DID");
        }
    }
}
