using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Core.Verification;

namespace OneKosmos.Plugins.Tests.Steps
{
    /// <summary>Opportunity stage changes → identity proofing of its contact, through the solution's registrations.</summary>
    [TestClass]
    public sealed class StartVerificationOnStageChangeTests
    {
        private ProductSandbox _product = null!;
        private Guid _contact;

        [TestInitialize]
        public void Arrange()
        {
            _product = new ProductSandbox();
            _product.Connect();
            _product.Set("okos_VerificationStages", "[\"Propose\", \"Close\"]");
            _contact = _product.Service.Create(new Entity("contact") { ["firstname"] = "Jane", ["lastname"] = "Doe", ["emailaddress1"] = "jane@example.com" });
        }

        private Guid Opportunity(EntityReference? parentContact = null, EntityReference? customer = null)
        {
            var opportunity = new Entity("opportunity") { ["name"] = "Mortgage", ["stepname"] = "1-Qualify", ["salesstage"] = new OptionSetValue(0) };
            if (parentContact is not null)
            {
                opportunity["parentcontactid"] = parentContact;
            }
            if (customer is not null)
            {
                opportunity["customerid"] = customer;
            }
            return _product.Service.Create(opportunity);
        }

        private void MoveTo(Guid opportunity, string stepName, int salesStage) =>
            _product.Service.Update(new Entity("opportunity", opportunity) { ["stepname"] = stepName, ["salesstage"] = new OptionSetValue(salesStage) });

        [TestMethod]
        public void MoveIntoAListedStage_StartsOneProofingOfTheContactRegardingTheOpportunity()
        {
            var opportunity = Opportunity(parentContact: new EntityReference("contact", _contact));

            MoveTo(opportunity, "3-Propose", 2);

            var row = _product.Verifications.Single();
            Assert.AreEqual(new EntityReference("contact", _contact), row["okos_contactid"]);
            Assert.AreEqual(new EntityReference("opportunity", opportunity), row["okos_opportunityid"]);
            Assert.AreEqual(_contact.ToString(), _product.Simulator.Sessions.Single().Uid);
            Assert.IsTrue(_product.Dataverse.Rows("annotation").Any(note => Equals(note["objectid"], new EntityReference("opportunity", opportunity))));
        }

        [TestMethod]
        public void MoveIntoAnUnlistedStage_StartsNothing()
        {
            var opportunity = Opportunity(parentContact: new EntityReference("contact", _contact));

            MoveTo(opportunity, "2-Develop", 1);

            Assert.AreEqual(0, _product.Verifications.Length);
        }

        [TestMethod]
        public void UpdateTouchingNoStageColumn_RunsNoStep()
        {
            var opportunity = Opportunity(parentContact: new EntityReference("contact", _contact));
            var runs = _product.Dataverse.PluginRuns.Count;

            _product.Service.Update(new Entity("opportunity", opportunity) { ["name"] = "Bigger mortgage" });

            Assert.AreEqual(runs, _product.Dataverse.PluginRuns.Count);
        }

        [TestMethod]
        public void ContactAlreadyVerified_StartsNothing()
        {
            _product.Dataverse.Seed(new Entity("okos_verification")
            {
                ["okos_name"] = "earlier",
                ["okos_contactid"] = new EntityReference("contact", _contact),
                ["okos_journey"] = Choices.Of(Journey.IdentityProofing),
                ["okos_status"] = Choices.Of(VerificationStatus.Verified),
                ["okos_verifiedat"] = DateTime.UtcNow.AddDays(-3),
                ["okos_sessionid"] = "earlier-session",
                ["okos_reservationkey"] = $"{_contact}:IdentityProofing:earlier",
            });
            var opportunity = Opportunity(parentContact: new EntityReference("contact", _contact));

            MoveTo(opportunity, "3-Propose", 2);

            Assert.AreEqual(1, _product.Verifications.Length);
            StringAssert.Contains(string.Join("\n", _product.Dataverse.PluginRuns.Last().TraceLines), "already has a Verified proofing");
        }

        [TestMethod]
        public void AccountCustomer_UsesTheAccountsPrimaryContact()
        {
            var account = _product.Service.Create(new Entity("account") { ["name"] = "Contoso", ["primarycontactid"] = new EntityReference("contact", _contact) });
            var opportunity = Opportunity(customer: new EntityReference("account", account));

            MoveTo(opportunity, "Close", 3);

            Assert.AreEqual(new EntityReference("contact", _contact), _product.Verifications.Single()["okos_contactid"]);
        }

        [TestMethod]
        public void ProcessFlowMovingIntoAListedStage_StartsOne()
        {
            var opportunity = Opportunity(parentContact: new EntityReference("contact", _contact));
            var qualify = _product.Dataverse.Seed(new Entity("processstage") { ["stagename"] = "Qualify" })[0];
            var propose = _product.Dataverse.Seed(new Entity("processstage") { ["stagename"] = "Propose" })[0];
            var flow = _product.Dataverse.Seed(new Entity("opportunitysalesprocess")
            {
                ["opportunityid"] = new EntityReference("opportunity", opportunity),
                ["activestageid"] = new EntityReference("processstage", qualify),
            })[0];

            _product.Service.Update(new Entity("opportunitysalesprocess", flow) { ["activestageid"] = new EntityReference("processstage", propose) });

            Assert.AreEqual(1, _product.Verifications.Length);
            Assert.AreEqual(1, _product.Simulator.Sessions.Count);
        }
    }
}
