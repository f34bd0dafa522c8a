using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using OneKosmos.Core.Verification;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Sandbox.BlockId;

namespace OneKosmos.CustomApis.Tests
{
    /// <summary>
    /// Issue #24: the Power Pages site's row (okos_selfservice), saved as the site's application user holding exactly the
    /// shipped role and field security profile Self-service Site. The site's table permissions keep a site user to their own
    /// contact's row (Sandbox.Host.Tests' site attack tests); here, what the row itself allows whoever saves it.
    /// </summary>
    [TestClass]
    public sealed class SelfServiceTests : ApiTestBase
    {
        private static readonly int Refresh = Choices.Of(SelfServiceRequest.Refresh).Value;
        private static readonly int StartProofing = Choices.Of(SelfServiceRequest.StartProofing).Value;
        private static readonly int AddToAuthenticator = Choices.Of(SelfServiceRequest.AddToAuthenticator).Value;

        private Guid _site;

        private IOrganizationService Site => Dataverse.CreateOrganizationService(_site);

        [TestInitialize]
        public void ArrangeSite() => _site = Dataverse.AddUser("Power Pages site", new[] { "Self-service Site" }, new[] { "Self-service Site" });

        private Guid Ask(int request, Guid? contact = null, Entity? more = null)
        {
            var row = new Entity(Schema.SelfService.EntityName) { [Schema.SelfService.ContactId] = new EntityReference("contact", contact ?? Contact), [Schema.SelfService.Request] = new OptionSetValue(request) };
            foreach (var pair in more?.Attributes ?? new AttributeCollection())
            {
                row[pair.Key] = pair.Value;
            }
            return Site.Create(row);
        }

        private void AskAgain(Guid row, int request) =>
            Site.Update(new Entity(Schema.SelfService.EntityName, row) { [Schema.SelfService.Request] = new OptionSetValue(request) });

        private Entity Read(Guid row) => Site.Retrieve(Schema.SelfService.EntityName, row, new Microsoft.Xrm.Sdk.Query.ColumnSet(true));

        [TestMethod]
        public void StartingFromTheSite_OpensTheContactsProofing_AndHandsTheSiteItsOwnCaptureLink()
        {
            var row = Read(Ask(StartProofing));

            var verification = Verifications.Single();
            Assert.AreEqual(Contact, verification.GetAttributeValue<EntityReference>("okos_contactid").Id);
            Assert.AreEqual(Pending, row.GetAttributeValue<OptionSetValue>(Schema.SelfService.Status).Value);
            Assert.AreEqual(Choices.Of(Journey.IdentityProofing).Value, row.GetAttributeValue<OptionSetValue>(Schema.SelfService.PendingJourney).Value);
            Assert.AreEqual(verification.GetAttributeValue<string>("okos_captureurl"), row.GetAttributeValue<string>(Schema.SelfService.CaptureUrl));
            Assert.IsNotNull(row.GetAttributeValue<DateTime?>(Schema.SelfService.LinkExpiresAt));
            Assert.AreEqual(Refresh, row.GetAttributeValue<OptionSetValue>(Schema.SelfService.Request).Value, "a request is done once: the next save refreshes");
            Assert.AreEqual("Jane Doe", row.GetAttributeValue<string>(Schema.SelfService.Name));
        }

        [TestMethod]
        public void ARefreshAfterThePersonPassed_ShowsVerifiedAtIal2_AndNoLinkAnyMore()
        {
            var id = Ask(StartProofing);
            AskAgain(id, StartProofing);
            Assert.AreEqual(1, Verifications.Length, "asking again reuses the open attempt");
            Simulator.Complete(Simulator.Sessions.Single().Id, CaptureOutcome.PassWithSelfie);
            Call("okos_ReconcileVerifications", ("OlderThanMinutes", 0));

            AskAgain(id, Refresh);

            var row = Read(id);
            Assert.AreEqual(Verified, row.GetAttributeValue<OptionSetValue>(Schema.SelfService.Status).Value);
            Assert.AreEqual(Choices.Of(AssuranceLevel.IAL2).Value, row.GetAttributeValue<OptionSetValue>(Schema.SelfService.IalLevel).Value);
            Assert.IsNotNull(row.GetAttributeValue<DateTime?>(Schema.SelfService.VerifiedAt));
            Assert.IsNull(row.GetAttributeValue<string>(Schema.SelfService.CaptureUrl));
            Assert.IsNull(row.GetAttributeValue<OptionSetValue>(Schema.SelfService.PendingJourney));
        }

        [TestMethod]
        public void APersonVerifiedAtIal2_CannotOpenSessionAfterSession_FromTheSite()
        {
            var id = Ask(StartProofing);
            Simulator.Complete(Simulator.Sessions.Single().Id, CaptureOutcome.PassWithSelfie);
            Call("okos_ReconcileVerifications", ("OlderThanMinutes", 0));

            var refusal = Refused(() => AskAgain(id, StartProofing));

            StringAssert.Contains(refusal.Detail.Message, "already verified");
            Assert.AreEqual(1, Simulator.Sessions.Count(), "no second 1Kosmos session");
        }

        [TestMethod]
        public void APersonWhoseCaptureFailed_StartsAgainFromTheSite()
        {
            var id = Ask(StartProofing);
            Simulator.Complete(Simulator.Sessions.Single().Id, CaptureOutcome.LivenessFail);
            Call("okos_ReconcileVerifications", ("OlderThanMinutes", 0));

            AskAgain(id, StartProofing);

            Assert.AreEqual(2, Simulator.Sessions.Count());
            Assert.AreEqual(Pending, Read(id).GetAttributeValue<OptionSetValue>(Schema.SelfService.Status).Value);
        }

        [TestMethod]
        public void Throttled1Kosmos_SavesThePendingRowWithoutALink_AndALaterRefreshHandsItOver()
        {
            Simulator.InjectFault("/document_share_session/create", SimulatedFault.Throttle);

            var id = Ask(StartProofing);

            var waiting = Read(id);
            Assert.AreEqual(Pending, waiting.GetAttributeValue<OptionSetValue>(Schema.SelfService.Status).Value);
            Assert.IsNull(waiting.GetAttributeValue<string>(Schema.SelfService.CaptureUrl), "no session yet, so no link: the page says it is pending and keeps asking");
            Call("okos_ReconcileVerifications", ("OlderThanMinutes", 0));

            AskAgain(id, Refresh);

            StringAssert.StartsWith(Read(id).GetAttributeValue<string>(Schema.SelfService.CaptureUrl), Simulator.BaseUrl);
        }

        [TestMethod]
        public void ARowWithoutItsContact_IsRefused_SayingWhatToSet()
        {
            var refusal = Refused(() => Site.Create(new Entity(Schema.SelfService.EntityName) { [Schema.SelfService.Request] = new OptionSetValue(StartProofing) }));

            StringAssert.Contains(refusal.Detail.Message, "okos_contactid");
            Assert.AreEqual(0, Verifications.Length);
        }

        [TestMethod]
        public void Attack_MovingARowToAnotherContact_IsRefused_AndStartsNothingForThem()
        {
            var other = Service.Create(new Entity("contact") { ["fullname"] = "Morgan Lee", ["emailaddress1"] = "morgan@example.com" });
            var id = Ask(Refresh);

            var moved = Refused(() => Site.Update(new Entity(Schema.SelfService.EntityName, id) { [Schema.SelfService.ContactId] = new EntityReference("contact", other), [Schema.SelfService.Request] = new OptionSetValue(StartProofing) }));
            var cleared = Refused(() => Site.Update(new Entity(Schema.SelfService.EntityName, id) { [Schema.SelfService.ContactId] = null }));
            Site.Update(new Entity(Schema.SelfService.EntityName, id) { [Schema.SelfService.ContactId] = new EntityReference("contact", Contact) });

            StringAssert.Contains(moved.Detail.Message, "belongs to one contact");
            StringAssert.Contains(cleared.Detail.Message, "belongs to one contact");
            Assert.AreEqual(0, Verifications.Length, "nothing was started for either contact");
            Assert.AreEqual(Contact, Read(id).GetAttributeValue<EntityReference>(Schema.SelfService.ContactId).Id);
        }

        [TestMethod]
        public void Attack_ForgedStandingOnTheRow_IsOverwritten_AndNeverReachesTheVerificationOrTheGate()
        {
            var forged = new Entity(Schema.SelfService.EntityName)
            {
                [Schema.SelfService.Status] = new OptionSetValue(Verified),
                [Schema.SelfService.IalLevel] = Choices.Of(AssuranceLevel.IAL2),
                [Schema.SelfService.VerifiedAt] = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
                [Schema.SelfService.CaptureUrl] = "https://attacker.example/phish",
                [Schema.SelfService.WalletLink] = "openid-vc://attacker",
                [Schema.SelfService.VerifiedIdIssued] = true,
            };
            var id = Ask(Refresh, more: forged);
            Site.Update(new Entity(Schema.SelfService.EntityName, id) { [Schema.SelfService.Status] = new OptionSetValue(Verified), [Schema.SelfService.CaptureUrl] = "https://attacker.example/phish" });

            var row = Read(id);
            Assert.IsNull(row.GetAttributeValue<OptionSetValue>(Schema.SelfService.Status), "not started, as OneKosmos computes it");
            Assert.IsNull(row.GetAttributeValue<OptionSetValue>(Schema.SelfService.IalLevel));
            Assert.IsNull(row.GetAttributeValue<DateTime?>(Schema.SelfService.VerifiedAt));
            Assert.IsNull(row.GetAttributeValue<string>(Schema.SelfService.CaptureUrl));
            Assert.IsNull(row.GetAttributeValue<string>(Schema.SelfService.WalletLink));
            Assert.IsFalse(row.GetAttributeValue<bool>(Schema.SelfService.VerifiedIdIssued));
            Assert.AreEqual(0, Verifications.Length);
            Assert.AreEqual("NotStarted", Call("okos_GetVerificationStatus", ("Subject", ContactRef)).Results["Status"]);
        }

        [TestMethod]
        public void Attack_TheSitesApplicationUser_CannotWriteIdentityState_NorCallTheProductsApis()
        {
            var forge = Refused(() => Site.Create(new Entity("okos_verification") { ["okos_contactid"] = ContactRef, ["okos_status"] = new OptionSetValue(Verified) }));
            var start = Refused(() => CallAs(_site, "okos_StartVerification", ("Subject", ContactRef)));
            var status = Refused(() => CallAs(_site, "okos_GetVerificationStatus", ("Subject", ContactRef)));

            Assert.AreEqual(0, Verifications.Length);
            foreach (var refusal in new[] { forge, start, status })
            {
                Assert.IsFalse(string.IsNullOrWhiteSpace(refusal.Detail.Message));
            }
        }

        [TestMethod]
        public void Attack_AnAgent_CannotUseTheSitesDoor()
        {
            var agent = Dataverse.AddUser("Agent", new[] { "Verification Agent", "Salesperson" }, new[] { "Verification Agent" });
            var id = Ask(Refresh);
            var asAgent = Dataverse.CreateOrganizationService(agent);

            var create = Refused(() => asAgent.Create(new Entity(Schema.SelfService.EntityName) { [Schema.SelfService.ContactId] = new EntityReference("contact", Service.Create(new Entity("contact") { ["fullname"] = "Other" })), [Schema.SelfService.Request] = new OptionSetValue(StartProofing) }));
            Refused(() => asAgent.Retrieve(Schema.SelfService.EntityName, id, new Microsoft.Xrm.Sdk.Query.ColumnSet(true)));
            Refused(() => asAgent.Update(new Entity(Schema.SelfService.EntityName, id) { [Schema.SelfService.Request] = new OptionSetValue(StartProofing) }));

            StringAssert.Contains(create.Detail.Message, "okos_selfservice");
            Assert.AreEqual(0, Verifications.Length, "the agent's own way is the custom API, with its audit");
        }

        [TestMethod]
        public void OneRowPerContact_ASecondIsRefused()
        {
            Ask(Refresh);

            Refused(() => Ask(Refresh));

            Assert.AreEqual(1, Dataverse.Rows(Schema.SelfService.EntityName).Count());
        }

        [TestMethod]
        public void AddingToAuthenticator_BeforeVerified_IsRefusedInWords_ThenAfterVerified_HandsTheSiteTheOffer()
        {
            Product.ConnectEntra();
            var id = Ask(Refresh);
            var early = Refused(() => AskAgain(id, AddToAuthenticator));
            StringAssert.Contains(early.Detail.Message, "no Verified IAL2 identity proofing");
            Assert.IsTrue(Read(id).GetAttributeValue<bool>(Schema.SelfService.VerifiedIdAvailable), "the site learns the company issues the credential");

            AskAgain(id, StartProofing);
            Simulator.Complete(Simulator.Sessions.Single().Id, CaptureOutcome.PassWithSelfie);
            Call("okos_ReconcileVerifications", ("OlderThanMinutes", 0));
            AskAgain(id, AddToAuthenticator);

            var issuance = Verifications.Single(row => row.GetAttributeValue<OptionSetValue>("okos_journey").Value == Choices.Of(Journey.VerifiedIdIssuance).Value);
            var row = Read(id);
            Assert.AreEqual(issuance.GetAttributeValue<string>("okos_captureurl"), row.GetAttributeValue<string>(Schema.SelfService.WalletLink));
            Assert.AreEqual(Verified, row.GetAttributeValue<OptionSetValue>(Schema.SelfService.Status).Value, "the offer does not change where the contact stands");
        }

        [TestMethod]
        public void AnOfferToTheHoldersOwnPage_CarriesNoPin_EvenWhereTheConnectionAsksForOne()
        {
            Product.ConnectEntra(pinLength: 4);
            var id = Ask(StartProofing);
            Simulator.Complete(Simulator.Sessions.Single().Id, CaptureOutcome.PassWithSelfie);
            Call("okos_ReconcileVerifications", ("OlderThanMinutes", 0));

            AskAgain(id, AddToAuthenticator);

            var issuance = Verifications.Single(row => row.GetAttributeValue<OptionSetValue>("okos_journey").Value == Choices.Of(Journey.VerifiedIdIssuance).Value);
            Assert.IsFalse(Product.Entra.NeedsPin(issuance.GetAttributeValue<string>("okos_sessionid")), "the site could show a PIN only by storing it beside the link");
        }

        [TestMethod]
        public void AnUnknownRequest_IsRefusedNamingTheChoices()
        {
            var refusal = Refused(() => Ask(715900099));

            StringAssert.Contains(refusal.Detail.Message, "715900099");
        }
    }
}
