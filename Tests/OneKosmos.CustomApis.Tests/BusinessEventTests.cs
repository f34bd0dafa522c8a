using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Xrm.Sdk;
using OneKosmos.Core.Callbacks;
using OneKosmos.Sandbox.BlockId;
using OneKosmos.Solution.Model;

namespace OneKosmos.CustomApis.Tests
{
    /// <summary>
    /// #23: a verification that ends raises the business event okos_VerificationEnded, and a refusal of the identity gate
    /// okos_GateRefused, which flows ("When an action is
    /// performed") and Azure subscribers follow with asynchronous steps instead of polling rows. Its payload is ids and the
    /// outcome, and nobody but the product raises it: an agent or a relay credential cannot forge an ending.
    /// </summary>
    [TestClass]
    public sealed class BusinessEventTests : ApiTestBase
    {
        private readonly List<(ParameterCollection Inputs, bool InTransaction)> _raised = new();

        [TestInitialize]
        public void SubscribeToTheEvent()
        {
            // What a flow's trigger or a service endpoint registers: an asynchronous step on the event's message.
            Dataverse.RegisterStep(
                new StepRegistration { Name = "Subscriber of okos_VerificationEnded", PluginTypeName = "Test.Subscriber", MessageName = "okos_VerificationEnded", Stage = PipelineStage.PostOperation, Mode = ExecutionMode.Asynchronous },
                new Subscriber(context => _raised.Add((context.InputParameters, context.IsInTransaction))));
        }

        private (Guid Verification, string Session) Start()
        {
            var response = Call("okos_StartVerification", ("Subject", ContactRef));
            return ((Guid)response["VerificationId"], (string)response["SessionId"]);
        }

        private void Deliver(string session, string id)
        {
            var body = $"{{\"type\":\"blockid.idv\",\"id\":\"{id}\",\"sessionId\":\"{session}\",\"occurredAt\":\"2026-11-27T08:00:00Z\",\"data\":{{}}}}";
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            Call("okos_ProcessVerificationCallback", ("Payload", body), ("MessageId", id), ("Timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("Signature", WebhookSignature.Sign(OneKosmos.Tests.Shared.ProductSandbox.SigningSecret, id, timestamp, body)));
        }

        [TestMethod]
        public void AVerificationThatEnds_RaisesTheEventOnce_AfterTheCommit_WithIdsAndTheOutcomeOnly()
        {
            var (verification, session) = Start();
            Simulator.Complete(session, CaptureOutcome.PassWithSelfie);

            Deliver(session, "msg_1");
            Deliver(session, "msg_2");

            var (inputs, inTransaction) = _raised.Single();
            Assert.IsFalse(inTransaction, "subscribers run once the ending is committed");
            CollectionAssert.AreEquivalent(new[] { "VerificationId", "Subject", "Outcome", "Journey" }, inputs.Keys.ToArray());
            Assert.AreEqual(verification, inputs["VerificationId"]);
            Assert.AreEqual(("Verified", "IdentityProofing"), ((string)inputs["Outcome"], (string)inputs["Journey"]));
            var subject = (EntityReference)inputs["Subject"];
            Assert.AreEqual((ContactRef.LogicalName, ContactRef.Id, (string?)null), (subject.LogicalName, subject.Id, subject.Name), "an id, never the person's name");
        }

        [TestMethod]
        public void AStartedVerification_RaisesNothing_AndAnExpiredOne_SaysExpired()
        {
            var (verification, _) = Start();
            Assert.AreEqual(0, _raised.Count);

            Dataverse.Overwrite(new Entity("okos_verification", verification) { ["okos_expiresat"] = DateTime.UtcNow.AddMinutes(-1) });
            Call("okos_ReconcileVerifications", ("OlderThanMinutes", 0));

            Assert.AreEqual("Expired", (string)_raised.Single().Inputs["Outcome"]);
        }

        /// <summary>Attack: the roles we ship cannot raise the event, so no agent or relay credential can announce an ending that did not happen.</summary>
        [TestMethod]
        public void TheAgentAndTheRelay_CannotRaiseTheEvent()
        {
            var agent = Dataverse.AddUser("Agent", new[] { "Verification Agent", "Salesperson" });
            var relay = Dataverse.AddUser("Relay", new[] { "Verification Relay" });
            var forged = new (string, object?)[] { ("VerificationId", Guid.NewGuid()), ("Subject", ContactRef), ("Outcome", "Verified"), ("Journey", "IdentityProofing") };

            foreach (var caller in new[] { agent, relay })
            {
                var refusal = Assert.ThrowsExactly<System.ServiceModel.FaultException<OrganizationServiceFault>>(() => CallAs(caller, "okos_VerificationEnded", forged));
                StringAssert.Contains(refusal.Detail.Message, "prvWriteokos_callbackreceipt");
            }
            Assert.AreEqual(0, _raised.Count);
        }

        /// <summary>The gate refuses by throwing, which rolls its request back; registered in pre-validation, its event outlives that.</summary>
        [TestMethod]
        public void ARefusedWin_PublishesGateRefused_ThoughTheWinIsRolledBack_WithIdsAndWhatWasMissingOnly()
        {
            var refused = new List<ParameterCollection>();
            Arrange(product => product.Set("okos_GatePolicy", """[{"table":"opportunity","message":"Win"}]"""));
            Dataverse.RegisterStep(
                new StepRegistration { Name = "Subscriber of okos_GateRefused", PluginTypeName = "Test.Subscriber", MessageName = "okos_GateRefused", Stage = PipelineStage.PostOperation, Mode = ExecutionMode.Asynchronous },
                new Subscriber(context => refused.Add(context.InputParameters)));
            var opportunity = Service.Create(new Entity("opportunity") { ["name"] = "Mortgage", ["parentcontactid"] = ContactRef });

            Assert.ThrowsExactly<System.ServiceModel.FaultException<OrganizationServiceFault>>(() => Service.Execute(new OrganizationRequest("Win")
            {
                ["OpportunityClose"] = new Entity("opportunityclose") { ["opportunityid"] = new EntityReference("opportunity", opportunity), ["subject"] = "Won" },
                ["Status"] = new OptionSetValue(3),
            }));

            var inputs = refused.Single();
            Assert.AreEqual(0, Dataverse.Rows("opportunity").Single(row => row.Id == opportunity).GetAttributeValue<OptionSetValue>("statecode")?.Value ?? 0, "the Win itself is rolled back");
            CollectionAssert.AreEquivalent(new[] { "RecordTable", "RecordId", "Action", "Shortfall", "Subject" }, inputs.Keys.ToArray());
            Assert.AreEqual(("opportunity", opportunity, "Win", "NotVerified"), ((string)inputs["RecordTable"], (Guid)inputs["RecordId"], (string)inputs["Action"], (string)inputs["Shortfall"]));
            Assert.IsNull(((EntityReference)inputs["Subject"]).Name, "an id, never the person's name");
        }

        [TestMethod]
        public void TheAgentAndTheRelay_CannotRaiseAGateRefusal()
        {
            var agent = Dataverse.AddUser("Agent", new[] { "Verification Agent", "Salesperson" });
            var relay = Dataverse.AddUser("Relay", new[] { "Verification Relay" });
            var forged = new (string, object?)[] { ("RecordTable", "opportunity"), ("RecordId", Guid.NewGuid()), ("Action", "Win"), ("Shortfall", "NotVerified") };

            foreach (var caller in new[] { agent, relay })
            {
                var refusal = Assert.ThrowsExactly<System.ServiceModel.FaultException<OrganizationServiceFault>>(() => CallAs(caller, "okos_GateRefused", forged));
                StringAssert.Contains(refusal.Detail.Message, "prvWriteokos_callbackreceipt");
            }
        }

        private sealed class Subscriber(Action<IPluginExecutionContext> record) : IPlugin
        {
            public void Execute(IServiceProvider serviceProvider) => record((IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!);
        }
    }
}
