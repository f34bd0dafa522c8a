using System;
using System.Linq;
using Microsoft.Xrm.Sdk;

namespace OneKosmos.CustomApis.Tests
{
    /// <summary>
    /// #23: what Copilot and flows call. SendLinkToContact sends the link to the contact's own email and never back to the
    /// caller, even one whose field security would show it; okos_ExplainGate says what the gate would say, for records the
    /// caller may read, and changes nothing.
    /// </summary>
    [TestClass]
    public sealed class LinkToContactAndExplainGateTests : ApiTestBase
    {
        private const string Queue = "Identity checks";

        private Guid _agent;

        private void WithTheContactEmailQueue(string? gatePolicy = null) =>
            Arrange(product =>
            {
                product.Service.Create(new Entity("queue") { ["name"] = Queue, ["emailaddress"] = "identity@contoso.example" });
                product.Set("okos_StepUpEmailQueue", Queue);
                if (gatePolicy is not null)
                {
                    product.Set("okos_GatePolicy", gatePolicy);
                }
            });

        private Guid Agent() => _agent = Dataverse.AddUser("Agent with the capture link's field access", new[] { "Verification Agent", "Salesperson" }, new[] { "Verification Agent" });

        [TestMethod]
        public void SendLinkToContact_EmailsTheLinkToTheContactOnly_AndReturnsItToNobody()
        {
            WithTheContactEmailQueue();
            Agent();

            var response = CallAs(_agent, "okos_StartVerification", ("Subject", ContactRef), ("SendLinkToContact", true));

            Assert.AreEqual("", response["CaptureUrl"] as string ?? "", "the caller holds the field access, and still gets no link");
            var email = Dataverse.SentEmails.Single();
            Assert.AreEqual(Contact, email.Recipient.Id);
            Assert.AreEqual("Verify your identity", email.Subject);
            StringAssert.Contains(email.Body, Simulator.Sessions.Single().Id);
            Assert.IsNull(Verifications.Single().GetAttributeValue<string>("okos_captureurl"), "the link is not kept in Dataverse");
            Assert.IsTrue(Verifications.Single().GetAttributeValue<bool>("okos_sentonlytocontact"));
        }

        [TestMethod]
        public void SendLinkToContact_WithoutAQueue_IsRefusedBeforeAnythingStarts()
        {
            var fault = Refused(() => Call("okos_StartVerification", ("Subject", ContactRef), ("SendLinkToContact", true)));

            StringAssert.Contains(fault.Detail.Message, "okos_StepUpEmailQueue");
            Assert.AreEqual(0, Verifications.Length);
            Assert.AreEqual(0, Simulator.Sessions.Count);
        }

        [TestMethod]
        public void SendLinkToContact_ForAContactWithoutEmail_SaysWhatToAdd()
        {
            WithTheContactEmailQueue();
            var noEmail = Service.Create(new Entity("contact") { ["lastname"] = "Nomail" });

            var fault = Refused(() => Call("okos_StartVerification", ("Subject", new EntityReference("contact", noEmail)), ("SendLinkToContact", true)));

            StringAssert.Contains(fault.Detail.Message, "has no email address");
            Assert.AreEqual(0, Verifications.Length);
        }

        [TestMethod]
        public void SendLinkToContact_WithFaceCheck_IsRefusedNamingTheMethodsThatWork()
        {
            WithTheContactEmailQueue();

            var fault = Refused(() => Call("okos_RequestStepUp", ("Subject", ContactRef), ("Reason", "Refund"), ("Method", "VerifiedIdFaceCheck"), ("SendLinkToContact", true)));

            StringAssert.Contains(fault.Detail.Message, "Use Method LiveId");
        }

        [TestMethod]
        public void ExplainGate_SaysWhatTheGateWouldRefuseAndWhatUnblocksIt_ChangingNothing()
        {
            WithTheContactEmailQueue("""[{"table":"opportunity","message":"Win","threshold":"estimatedvalue >= 100000"}]""");
            Agent();
            var large = Service.Create(new Entity("opportunity") { ["name"] = "Mortgage", ["parentcontactid"] = ContactRef, ["estimatedvalue"] = new Money(250_000m), ["ownerid"] = new EntityReference("systemuser", _agent) });
            var small = Service.Create(new Entity("opportunity") { ["name"] = "Card", ["parentcontactid"] = ContactRef, ["estimatedvalue"] = new Money(500m), ["ownerid"] = new EntityReference("systemuser", _agent) });

            var blocked = CallAs(_agent, "okos_ExplainGate", ("Record", new EntityReference("opportunity", large)));
            var allowed = CallAs(_agent, "okos_ExplainGate", ("Record", new EntityReference("opportunity", small)));

            Assert.IsTrue((bool)blocked["WouldBlock"]);
            Assert.AreEqual("Win", blocked["Message"]);
            Assert.AreEqual("Contact Jane Doe is not verified; this needs IAL2 verification and a biometric step-up (no biometric step-up yet, policy requires one within 15 min). In the identity panel, select Start verification; once the contact is Verified, select Request step-up; then try again.", blocked["Explanation"]);
            Assert.IsFalse((bool)allowed["WouldBlock"]);
            StringAssert.Contains((string)allowed["Explanation"], "below every gate threshold");
            Assert.AreEqual(0, Verifications.Length, "explaining starts nothing");
            Assert.AreEqual(0, Notes.Length);
        }

        [TestMethod]
        public void ExplainGate_OnARecordTheCallerMayNotRead_IsRefused()
        {
            WithTheContactEmailQueue("""[{"table":"opportunity","message":"Win"}]""");
            Agent();
            var branch = Dataverse.AddBusinessUnit("Private banking");
            var banker = Dataverse.AddUser("Private banker", new[] { "Salesperson" }, businessUnit: branch);
            var hidden = Service.Create(new Entity("opportunity") { ["name"] = "Private", ["parentcontactid"] = ContactRef, ["ownerid"] = new EntityReference("systemuser", banker) });

            var fault = Refused(() => CallAs(_agent, "okos_ExplainGate", ("Record", new EntityReference("opportunity", hidden))));

            Assert.IsFalse(fault.Detail.Message.Contains("Jane Doe", StringComparison.Ordinal), "nothing of the record's contact is told");
        }

        [TestMethod]
        public void ExplainGate_WithoutARecord_IsThePlatformsParameterError()
        {
            var fault = Refused(() => Call("okos_ExplainGate"));

            StringAssert.Contains(fault.Detail.Message, "needs the parameter Record");
        }
    }
}
