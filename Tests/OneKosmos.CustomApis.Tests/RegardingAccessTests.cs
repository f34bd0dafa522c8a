using System;
using System.Linq;
using Microsoft.Xrm.Sdk;

namespace OneKosmos.CustomApis.Tests
{
    /// <summary>
    /// Finding 4 of the trust review, as the attack: a caller names a business record as Regarding to have SYSTEM write
    /// notes, with their own Reason text, on a record they could not touch themselves.
    /// </summary>
    [TestClass]
    public sealed class RegardingAccessTests : ApiTestBase
    {
        private Guid _agent;
        private Guid _elsewhere;

        [TestInitialize]
        public void ArrangeUsers()
        {
            _agent = Dataverse.AddUser("Agent", new[] { "Verification Agent", "Salesperson" }, new[] { "Verification Agent" });
            var branch = Dataverse.AddBusinessUnit("Branch");
            var stranger = Dataverse.AddUser("Seller elsewhere", new[] { "Salesperson" }, businessUnit: branch);
            _elsewhere = Service.Create(new Entity("opportunity") { ["name"] = "Another unit's deal", ["ownerid"] = new EntityReference("systemuser", stranger) });
        }

        private Entity[] NotesOn(Guid record) =>
            Notes.Where(note => note.GetAttributeValue<EntityReference>("objectid")?.Id == record).ToArray();

        [TestMethod]
        public void AnAgentNamingAnOpportunityTheyMayNotRead_IsRefused_AndNothingIsWrittenOrStarted()
        {
            var fault = Refused(() => CallAs(_agent, "okos_StartVerification", ("Subject", ContactRef), ("Regarding", new EntityReference("opportunity", _elsewhere))));

            StringAssert.Contains(fault.Detail.Message, $"Regarding (opportunity {_elsewhere})");
            StringAssert.Contains(fault.Detail.Message, "you may not read it");
            Assert.AreEqual(0, NotesOn(_elsewhere).Length);
            Assert.AreEqual(0, Verifications.Length);
            Assert.AreEqual(0, Simulator.Sessions.Count);
        }

        [TestMethod]
        public void AStepUpReasonAimedAtAnotherUnitsRecord_NeverReachesItsTimeline()
        {
            Refused(() => CallAs(_agent, "okos_RequestStepUp", ("Subject", ContactRef), ("Reason", "Deal cancelled, call me"), ("Regarding", new EntityReference("opportunity", _elsewhere))));

            Assert.IsFalse(Notes.Any(note => (note.GetAttributeValue<string>("notetext") ?? "").Contains("call me", StringComparison.Ordinal)));
        }

        [TestMethod]
        public void ACallerWhoMayReadButNotAppendTo_IsRefusedWithTheMissingRight()
        {
            var administrator = Dataverse.AddUser("Verification admin", new[] { "Verification Administrator" }, new[] { "Verification Administrator" });
            var otherContact = Service.Create(new Entity("contact") { ["lastname"] = "Roe" });

            var fault = Refused(() => CallAs(administrator, "okos_StartVerification", ("Subject", ContactRef), ("Regarding", new EntityReference("contact", otherContact))));

            StringAssert.Contains(fault.Detail.Message, "not add notes");
            Assert.AreEqual(0, NotesOn(otherContact).Length);
        }

        [TestMethod]
        public void ARecordOfTheAgentsOwnUnit_IsLinkedAndNoted()
        {
            var own = Service.Create(new Entity("opportunity") { ["name"] = "Own deal", ["ownerid"] = new EntityReference("systemuser", _agent) });

            CallAs(_agent, "okos_StartVerification", ("Subject", ContactRef), ("Regarding", new EntityReference("opportunity", own)));

            Assert.AreEqual(own, Verifications.Single().GetAttributeValue<EntityReference>("okos_opportunityid").Id);
            Assert.AreEqual(1, NotesOn(own).Length);
        }
    
        [TestMethod]
        public void RegardingALeadWithoutSubject_VerifiesTheLeadsContact()
        {
            var lead = Service.Create(new Entity("lead") { ["subject"] = "Mortgage enquiry", ["parentcontactid"] = ContactRef, ["ownerid"] = new EntityReference("systemuser", _agent) });

            CallAs(_agent, "okos_StartVerification", ("Regarding", new EntityReference("lead", lead)));

            Assert.AreEqual(Contact, Verifications.Single().GetAttributeValue<EntityReference>("okos_contactid").Id);
            Assert.AreEqual(1, NotesOn(lead).Length);
        }

        [TestMethod]
        public void RegardingACaseOfAnAccount_StepsUpTheAccountsPrimaryContact()
        {
            var account = Service.Create(new Entity("account") { ["name"] = "Contoso", ["primarycontactid"] = ContactRef });
            var incident = Service.Create(new Entity("incident") { ["title"] = "Refund", ["customerid"] = new EntityReference("account", account), ["ownerid"] = new EntityReference("systemuser", _agent) });

            CallAs(_agent, "okos_RequestStepUp", ("Regarding", new EntityReference("incident", incident)), ("Reason", "Refund on a case"));

            Assert.AreEqual(Contact, Verifications.Single().GetAttributeValue<EntityReference>("okos_contactid").Id);
        }

        [TestMethod]
        public void RegardingALeadWithoutAContact_IsRefusedSayingHowToFixIt()
        {
            var lead = Service.Create(new Entity("lead") { ["subject"] = "Walk-in", ["ownerid"] = new EntityReference("systemuser", _agent) });

            var fault = Refused(() => CallAs(_agent, "okos_StartVerification", ("Regarding", new EntityReference("lead", lead))));

            StringAssert.Contains(fault.Detail.Message, "This lead has no contact");
            Assert.AreEqual(0, Verifications.Length);
        }

        [TestMethod]
        public void ARecordOfTheAgentsOwnPointingAtAContactTheyMayNotRead_StartsNothing()
        {
            var branch = Dataverse.AddBusinessUnit("Private banking");
            var banker = Dataverse.AddUser("Private banker", new[] { "Salesperson" }, businessUnit: branch);
            var hidden = Service.Create(new Entity("contact") { ["lastname"] = "Vip", ["ownerid"] = new EntityReference("systemuser", banker) });
            var lead = Service.Create(new Entity("lead") { ["subject"] = "Probe", ["parentcontactid"] = new EntityReference("contact", hidden), ["ownerid"] = new EntityReference("systemuser", _agent) });

            Refused(() => CallAs(_agent, "okos_StartVerification", ("Regarding", new EntityReference("lead", lead))));

            Assert.AreEqual(0, Verifications.Length);
            Assert.AreEqual(0, Simulator.Sessions.Count);
        }
    }
}
