using System;
using System.Linq;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using OneKosmos.Core.Verification;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Plugins.Steps;
using OneKosmos.Sandbox.Dataverse.Plugins;
using OneKosmos.Solution.Model;

namespace OneKosmos.Plugins.Tests.Steps
{
    /// <summary>
    /// The attacks of a security review, each made by a principal holding exactly the roles the solution ships: a
    /// Verification Agent (who may create verification rows through the APIs) and the relay's application user.
    /// </summary>
    [TestClass]
    public sealed class IdentityStateGuardStepTests
    {
        private ProductSandbox _product = null!;
        private Guid _contact;
        private Guid _agent;
        private Guid _relay;

        [TestInitialize]
        public void Arrange()
        {
            _product = new ProductSandbox();
            _product.Connect();
            _product.Set("okos_GatePolicy", """[{"table":"opportunity","message":"Win","threshold":"estimatedvalue >= 100000"}]""");
            _contact = _product.Service.Create(new Entity("contact") { ["firstname"] = "Jane", ["lastname"] = "Doe", ["fullname"] = "Jane Doe" });
            _agent = _product.Dataverse.AddUser("Agent", new[] { "Verification Agent", "Salesperson" });
            _relay = _product.Dataverse.AddUser("Relay", new[] { "Verification Relay" });
        }

        private IOrganizationService As(Guid user) => _product.Dataverse.CreateOrganizationService(user);

        private Entity ForgedVerifiedRow(string key) => new("okos_verification")
        {
            ["okos_name"] = "forged",
            ["okos_contactid"] = new EntityReference("contact", _contact),
            ["okos_journey"] = Choices.Of(Journey.IdentityProofing),
            ["okos_status"] = Choices.Of(VerificationStatus.Verified),
            ["okos_iallevel"] = Choices.Of(AssuranceLevel.IAL2),
            ["okos_verifiedat"] = DateTime.UtcNow,
            ["okos_laststepupat"] = DateTime.UtcNow,
            ["okos_sessionid"] = "forged-session",
            ["okos_reservationkey"] = key,
        };

        private static string Refusal(Action attack) => Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(attack).Detail.Message;

        [TestMethod]
        public void AnAgentForgingAVerifiedFreshRow_IsRefused_AndTheGatedWinStaysBlocked()
        {
            var message = Refusal(() => As(_agent).Create(ForgedVerifiedRow("forged")));
            StringAssert.Contains(message, "okos_StartVerification");

            var opportunity = _product.Service.Create(new Entity("opportunity") { ["name"] = "Mortgage", ["parentcontactid"] = new EntityReference("contact", _contact), ["estimatedvalue"] = new Money(250_000m) });
            var blocked = Refusal(() => _product.Service.Execute(new OrganizationRequest("Win")
            {
                ["OpportunityClose"] = new Entity("opportunityclose") { ["opportunityid"] = new EntityReference("opportunity", opportunity), ["subject"] = "Won" },
                ["Status"] = new OptionSetValue(3),
            }));

            StringAssert.Contains(blocked, "needs IAL2 verification");
            Assert.AreEqual(0, _product.Verifications.Length);
        }

        [TestMethod]
        public void AnAgentForgingARowThroughAnUpsert_IsRefused()
        {
            var forged = ForgedVerifiedRow("forged");
            forged.Id = Guid.NewGuid();

            Refusal(() => As(_agent).Execute(new Microsoft.Xrm.Sdk.Messages.UpsertRequest { Target = forged }));

            Assert.AreEqual(0, _product.Verifications.Length);
        }

        [TestMethod]
        public void AnAgentPlantingTheOpenReservation_IsRefused_SoARealStartIsNotBlocked()
        {
            Refusal(() => As(_agent).Create(ForgedVerifiedRow($"{_contact}:IdentityProofing:open")));

            var started = _product.Call("okos_StartVerification", _agent, ("Subject", new EntityReference("contact", _contact)));

            Assert.IsFalse((bool)started["Reused"]);
            Assert.AreEqual(1, _product.Simulator.Sessions.Count);
        }

        [TestMethod]
        public void AnAgentChangingARowTheProductWrote_IsRefused_AndTheRowKeepsItsState()
        {
            var started = _product.Call("okos_StartVerification", _agent, ("Subject", new EntityReference("contact", _contact)));
            var id = (Guid)started["VerificationId"];

            Refusal(() => As(_agent).Update(new Entity("okos_verification", id) { ["okos_status"] = Choices.Of(VerificationStatus.Verified) }));
            Refusal(() => _product.Service.Delete("okos_verification", id));

            Assert.AreEqual(Choices.Of(VerificationStatus.Pending).Value, _product.Verifications.Single().GetAttributeValue<OptionSetValue>("okos_status").Value);
        }

        [TestMethod]
        public void TheRelaysCredential_CannotEditARowOrPlantAReceipt()
        {
            var started = _product.Call("okos_StartVerification", null, ("Subject", new EntityReference("contact", _contact)));

            Refusal(() => As(_relay).Update(new Entity("okos_verification", (Guid)started["VerificationId"]) { ["okos_status"] = Choices.Of(VerificationStatus.Verified) }));
            var receipt = Refusal(() => As(_relay).Create(new Entity("okos_callbackreceipt") { ["okos_name"] = "planted", ["okos_messageid"] = "entra_planted" }));

            StringAssert.Contains(receipt, "okos_ProcessVerificationCallback");
            Assert.AreEqual(0, _product.Dataverse.Rows("okos_callbackreceipt").Count);
        }

        [TestMethod]
        [DataRow("okos_boundblockiddid", "did:blockid:attacker")]
        [DataRow("okos_bindingevidence", null)]
        [DataRow("okos_boundat", "2026-12-07")]
        public void WritingAContactsBoundIdentityDirectly_IsRefused_EvenForAnAdministrator(string column, string? value)
        {
            object written = column == "okos_boundat" ? DateTime.Parse(value!, System.Globalization.CultureInfo.InvariantCulture) : (object?)value ?? Choices.Of(BindingEvidence.DocumentMatch);
            var message = Refusal(() => _product.Service.Update(new Entity("contact", _contact) { [column] = written }));

            StringAssert.Contains(message, "bound BlockID identity is set only by OneKosmos");
            StringAssert.Contains(message, "okos_BindBlockIdIdentity");
            Assert.IsFalse(_product.Dataverse.Rows("contact").Single().Contains(column));
        }

        [TestMethod]
        public void OtherChangesToAContact_AreNotTheGuardsBusiness()
        {
            _product.Service.Update(new Entity("contact", _contact) { ["firstname"] = "Janet" });

            Assert.AreEqual("Janet", _product.Dataverse.Rows("contact").Single().GetAttributeValue<string>("firstname"));
        }
    }
}
