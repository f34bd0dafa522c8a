using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using OneKosmos.Sandbox.BlockId;

namespace OneKosmos.CustomApis.Tests
{
    /// <summary>okos_CancelVerification (issue #22, finding 5): an abandoned or misdirected capture can be ended, for good.</summary>
    [TestClass]
    public sealed class CancelVerificationTests : ApiTestBase
    {
        private Guid StartOne() => (Guid)Call("okos_StartVerification", ("Subject", ContactRef))["VerificationId"];

        private Entity Row(Guid id) => Verifications.Single(row => row.Id == id);

        [TestMethod]
        public void APendingAttempt_EndsFailedCancelled_ItsLinkGone_AndTheReasonOnTheTimeline()
        {
            var id = StartOne();

            var response = Call("okos_CancelVerification", ("Subject", ContactRef), ("VerificationId", id), ("Reason", "link sent to the wrong address"));

            Assert.IsTrue((bool)response["Cancelled"]);
            Assert.AreEqual("Failed", response["Status"]);
            var row = Row(id);
            Assert.AreEqual(Failed, row.GetAttributeValue<OptionSetValue>("okos_status").Value);
            StringAssert.StartsWith(row.GetAttributeValue<string>("okos_failurereason"), "CANCELLED: Cancelled by user ");
            StringAssert.EndsWith(row.GetAttributeValue<string>("okos_failurereason"), ": link sent to the wrong address");
            Assert.IsNull(row.GetAttributeValue<string>("okos_captureurl"), "a cancelled attempt's link is no longer kept");
            Assert.IsTrue(Notes.Any(note => (note.GetAttributeValue<string>("notetext") ?? "").Contains("link sent to the wrong address", StringComparison.Ordinal)));
        }

        [TestMethod]
        public void ACancelledAttempt_FreesTheSlot_SoANewStartOpensANewSession()
        {
            var first = StartOne();
            Call("okos_CancelVerification", ("Subject", ContactRef), ("VerificationId", first));

            var second = StartOne();

            Assert.AreNotEqual(first, second);
            Assert.AreEqual(2, Simulator.Sessions.Count);
        }

        [TestMethod]
        public void ALateSuccessForACancelledAttempt_NeverCounts()
        {
            var id = StartOne();
            Call("okos_CancelVerification", ("Subject", ContactRef), ("VerificationId", id));

            Simulator.Complete(Simulator.Sessions.Single().Id, CaptureOutcome.PassWithSelfie);
            Call("okos_ReconcileVerifications", ("OlderThanMinutes", 0));

            Assert.AreEqual(Failed, Row(id).GetAttributeValue<OptionSetValue>("okos_status").Value);
            Assert.AreNotEqual("Verified", Call("okos_GetVerificationStatus", ("Subject", ContactRef))["Status"]);
        }

        [TestMethod]
        public void AnAttemptThatAlreadyEnded_IsLeftAsItIs()
        {
            var id = StartOne();
            Simulator.Complete(Simulator.Sessions.Single().Id, CaptureOutcome.PassWithSelfie);
            Call("okos_ReconcileVerifications", ("OlderThanMinutes", 0));

            var response = Call("okos_CancelVerification", ("Subject", ContactRef), ("VerificationId", id));

            Assert.IsFalse((bool)response["Cancelled"]);
            Assert.AreEqual("Verified", response["Status"]);
            Assert.AreEqual(Verified, Row(id).GetAttributeValue<OptionSetValue>("okos_status").Value);
        }

        /// <summary>The attack: cancelling another contact's attempt by naming it under a contact one may read.</summary>
        [TestMethod]
        public void AnotherContactsAttempt_IsRefused_AndLeftPending()
        {
            var other = Service.Create(new Entity("contact") { ["firstname"] = "Olga", ["lastname"] = "Other", ["emailaddress1"] = "olga@example.com" });
            var theirs = (Guid)Call("okos_StartVerification", ("Subject", new EntityReference("contact", other)))["VerificationId"];

            var refusal = Refused(() => Call("okos_CancelVerification", ("Subject", ContactRef), ("VerificationId", theirs)));

            StringAssert.Contains(refusal.Message, "not one of this contact's");
            Assert.AreEqual(Pending, Row(theirs).GetAttributeValue<OptionSetValue>("okos_status").Value);
        }

        /// <summary>The attack, as the roles we ship: the relay's application user may not cancel, an agent who cannot read the contact may not either.</summary>
        [TestMethod]
        public void CallersWithoutTheStartPrivilegeOrAccessToTheContact_AreRefused()
        {
            var id = StartOne();
            var relay = Dataverse.AddUser("Relay", new[] { "Verification Relay" });
            var otherUnit = Dataverse.AddBusinessUnit("Elsewhere");
            var stranger = Dataverse.AddUser("Agent elsewhere", new[] { "Verification Agent", "Salesperson" }, new[] { "Verification Agent" }, otherUnit);

            StringAssert.Contains(Refused(() => CallAs(relay, "okos_CancelVerification", ("Subject", ContactRef), ("VerificationId", id))).Message, "prvCreateokos_verification");
            Refused(() => CallAs(stranger, "okos_CancelVerification", ("Subject", ContactRef), ("VerificationId", id)));

            Assert.AreEqual(Pending, Row(id).GetAttributeValue<OptionSetValue>("okos_status").Value);
        }
    }
}
