using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Xrm.Sdk;
using OneKosmos.Core.Callbacks;
using OneKosmos.Sandbox.BlockId;

namespace OneKosmos.CustomApis.Tests
{
    /// <summary>okos_ProcessVerificationCallback as the relay calls it: signed notifications, replays, forgeries and 1Kosmos trouble.</summary>
    [TestClass]
    public sealed class ProcessVerificationCallbackTests : ApiTestBase
    {
        private string _session = "";
        private Guid _verification;

        [TestInitialize]
        public void StartAVerification()
        {
            var response = Call("okos_StartVerification", ("Subject", ContactRef));
            _session = (string)response["SessionId"];
            _verification = (Guid)response["VerificationId"];
        }

        private static string Body(string id, string session, string data = "{}") =>
            $"{{\"type\":\"blockid.idv\",\"id\":\"{id}\",\"sessionId\":\"{session}\",\"occurredAt\":\"2026-11-27T08:00:00Z\",\"data\":{data}}}";

        private OrganizationResponse Deliver(string body, string id, DateTimeOffset? at = null, string? secret = null, Func<string, string>? tamper = null)
        {
            var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
            var signature = WebhookSignature.Sign(secret ?? ProductSandbox.SigningSecret, id, timestamp, body);
            return Deliver(body, id, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), tamper is null ? signature : tamper(signature));
        }

        private OrganizationResponse Deliver(string body, string id, string timestamp, string signature) =>
            Call("okos_ProcessVerificationCallback", ("Payload", body), ("MessageId", id), ("Timestamp", timestamp), ("Signature", signature));

        private Entity Row() => Verifications.Single(row => row.Id == _verification);

        private static void AssertOutcome(OrganizationResponse response, string outcome, string reason)
        {
            Assert.AreEqual(outcome, response["Outcome"]);
            Assert.AreEqual(reason, response["ReasonCode"]);
        }

        [TestMethod]
        public void ANotificationTakingAnEntraMessageId_IsRejected_SoTheGenuineCallbackIsNotADuplicate()
        {
            Simulator.Complete(_session, CaptureOutcome.PassWithSelfie);

            var response = Deliver(Body("entra_0123456789abcdef0123456789abcdef", _session), "entra_0123456789abcdef0123456789abcdef");

            AssertOutcome(response, "Rejected", "RESERVED_ID");
            Assert.AreEqual(0, Receipts.Length, "no receipt holds the id the genuine Entra callback will carry");
        }

        [TestMethod]
        public void AConnectionWithAOneByteSigningSecret_ChecksNothing_AndSaysWhatToFix()
        {
            var connection = Dataverse.Rows("okos_blockidconnection").Single();
            var weak = "whsec_" + Convert.ToBase64String(new byte[] { 7 });
            Service.Update(new Entity("okos_blockidconnection", connection.Id) { ["okos_callbacksigningsecret"] = weak });
            Dataverse.AddPluginService(typeof(Core.Verification.IClock), new LaterClock());
            var body = Body("msg_weak", _session);
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            var forged = "v1," + Convert.ToBase64String(new System.Security.Cryptography.HMACSHA256(new byte[] { 7 }).ComputeHash(System.Text.Encoding.UTF8.GetBytes($"msg_weak.{timestamp}.{body}")));

            var refused = Refused(() => Deliver(body, "msg_weak", timestamp, forged));

            StringAssert.Contains(refused.Message, "at least 24 random bytes");
            Assert.IsFalse(refused.Message.Contains(weak, StringComparison.Ordinal), "the secret is never echoed");
            Assert.AreEqual(0, Receipts.Length);
        }

        /// <summary>A clock past the connection cache's lifetime, so the changed secret is read at once.</summary>
        private sealed class LaterClock : Core.Verification.IClock
        {
            public DateTimeOffset UtcNow => DateTimeOffset.UtcNow.AddHours(1);
        }

        [TestMethod]
        public void ValidNotification_IsAppliedFromTheAuthoritativeResult()
        {
            Simulator.Complete(_session, CaptureOutcome.PassWithSelfie);

            var response = Deliver(Body("msg_1", _session), "msg_1");

            AssertOutcome(response, "Applied", "");
            Assert.AreEqual(_verification, response["VerificationId"]);
            Assert.AreEqual(Verified, Row().GetAttributeValue<OptionSetValue>("okos_status").Value);
            var receipt = Receipts.Single();
            Assert.AreEqual("msg_1", receipt["okos_messageid"]);
            Assert.AreEqual(_verification, receipt.GetAttributeValue<EntityReference>("okos_verificationid").Id);
        }

        [TestMethod]
        public void SameEventAgain_IsDuplicateAndWritesNothing()
        {
            Simulator.Complete(_session, CaptureOutcome.PassWithSelfie);
            Deliver(Body("msg_1", _session), "msg_1");
            var before = Row().RowVersion;
            var calls = Simulator.Calls.Count;

            var again = Deliver(Body("msg_1", _session), "msg_1");

            AssertOutcome(again, "Duplicate", "");
            Assert.AreEqual(before, Row().RowVersion);
            Assert.AreEqual(1, Receipts.Length);
            Assert.AreEqual(calls, Simulator.Calls.Count, "a duplicate must not even ask 1Kosmos");
        }

        [TestMethod]
        public void ANotificationThatContradicts1Kosmos_Loses()
        {
            Simulator.Complete(_session, CaptureOutcome.LivenessFail);

            var response = Deliver(Body("msg_1", _session, "{\"status\":\"APPROVED\",\"ial\":\"IAL2\"}"), "msg_1");

            AssertOutcome(response, "Applied", "");
            Assert.AreEqual(Failed, Row().GetAttributeValue<OptionSetValue>("okos_status").Value);
        }

        [TestMethod]
        public void StillInProgress_IsAppliedAndStaysPending()
        {
            var response = Deliver(Body("msg_1", _session), "msg_1");

            AssertOutcome(response, "Applied", "");
            Assert.AreEqual(Pending, Row().GetAttributeValue<OptionSetValue>("okos_status").Value);
        }

        [TestMethod]
        [DataRow(-6, "STALE_TIMESTAMP")]
        [DataRow(6, "FUTURE_TIMESTAMP")]
        public void TimestampOutsideFiveMinutes_IsRejected(int minutes, string reason)
        {
            Simulator.Complete(_session, CaptureOutcome.PassWithSelfie);

            AssertOutcome(Deliver(Body("msg_1", _session), "msg_1", DateTimeOffset.UtcNow.AddMinutes(minutes)), "Rejected", reason);

            AssertNothingChanged();
        }

        [TestMethod]
        public void WrongSecret_IsRejected()
        {
            AssertOutcome(Deliver(Body("msg_1", _session), "msg_1", secret: "whsec_" + Convert.ToBase64String(new byte[32])), "Rejected", "BAD_SIGNATURE");
            AssertNothingChanged();
        }

        [TestMethod]
        [DataRow(4, "BAD_SIGNATURE")]
        [DataRow(6, "MALFORMED_HEADERS")]
        public void TruncatedSignature_IsRejected(int cut, string reason)
        {
            AssertOutcome(Deliver(Body("msg_1", _session), "msg_1", tamper: signature => signature.Substring(0, signature.Length - cut)), "Rejected", reason);
            AssertNothingChanged();
        }

        [TestMethod]
        public void BodyChangedAfterSigning_IsRejected()
        {
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var signature = WebhookSignature.Sign(ProductSandbox.SigningSecret, "msg_1", timestamp, Body("msg_1", "another"));

            AssertOutcome(Deliver(Body("msg_1", _session), "msg_1", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), signature), "Rejected", "BAD_SIGNATURE");
        }

        [TestMethod]
        public void MissingHeaderValues_AreRejectedAsMalformed()
        {
            AssertOutcome(Deliver(Body("msg_1", _session), "msg_1", "", ""), "Rejected", "MALFORMED_HEADERS");
        }

        [TestMethod]
        public void EmptyBody_IsRejected() =>
            AssertOutcome(Deliver("", "msg_1"), "Rejected", "EMPTY_BODY");

        [TestMethod]
        public void OneMegabyteBody_IsRejected()
        {
            var body = Body("msg_1", _session, "\"" + new string('x', 1024 * 1024) + "\"");

            AssertOutcome(Deliver(body, "msg_1"), "Rejected", "BODY_TOO_LARGE");
            AssertNothingChanged();
        }

        [TestMethod]
        public void SignedMalformedJson_IsRejected() =>
            AssertOutcome(Deliver("{\"type\":\"blockid.idv\",", "msg_1"), "Rejected", "MALFORMED_JSON");

        [TestMethod]
        public void IdThatDiffersFromTheHeader_IsRejected() =>
            AssertOutcome(Deliver(Body("msg_other", _session), "msg_1"), "Rejected", "ID_MISMATCH");

        [TestMethod]
        public void UnknownSession_IsIgnoredWithoutAReceipt()
        {
            var response = Deliver(Body("msg_1", "no-such-session"), "msg_1");

            AssertOutcome(response, "Ignored", "UNKNOWN_SESSION");
            Assert.AreEqual(Guid.Empty, response["VerificationId"]);
            AssertNothingChanged();
        }

        [TestMethod]
        public void ReconcileNotification_IsIgnoredHere()
        {
            var body = "{\"type\":\"reconcile\",\"id\":\"msg_r\",\"occurredAt\":\"2026-11-27T08:00:00Z\"}";

            AssertOutcome(Deliver(body, "msg_r"), "Ignored", "UNSUPPORTED_TYPE");
        }

        [TestMethod]
        public void Unreachable1Kosmos_Throws_SoTheRelayRetries_AndTheRetryApplies()
        {
            Simulator.Complete(_session, CaptureOutcome.PassWithSelfie);
            Simulator.InjectFault("/v3/document_share_session/result", SimulatedFault.ServerError);

            var fault = Refused(() => Deliver(Body("msg_1", _session), "msg_1"));

            StringAssert.Contains(fault.Detail.Message, "the relay retries the notification");
            Assert.AreEqual(0, Receipts.Length, "the receipt rolls back with the failure");
            AssertOutcome(Deliver(Body("msg_1", _session), "msg_1"), "Applied", "");
            Assert.AreEqual(Verified, Row().GetAttributeValue<OptionSetValue>("okos_status").Value);
        }

        [TestMethod]
        public void Throttled1Kosmos_Throws()
        {
            Simulator.InjectFault("/v3/document_share_session/result", SimulatedFault.Throttle);

            Refused(() => Deliver(Body("msg_1", _session), "msg_1"));

            Assert.AreEqual(0, Receipts.Length);
        }

        [TestMethod]
        public void NonsenseFrom1Kosmos_IsRejectedAndRecorded()
        {
            Simulator.InjectFault("/v3/document_share_session/result", SimulatedFault.MalformedBody);

            AssertOutcome(Deliver(Body("msg_1", _session), "msg_1"), "Rejected", "BLOCKID_MALFORMED");

            Assert.AreEqual(Pending, Row().GetAttributeValue<OptionSetValue>("okos_status").Value);
            StringAssert.StartsWith(Receipts.Single().GetAttributeValue<string>("okos_outcome"), "Rejected");
        }

        [TestMethod]
        public void NoSigningSecretConfigured_FailsWithWhatToSet()
        {
            // A sandbox of its own: this one's connection is already cached by the start in the test set-up.
            var fresh = new ProductSandbox();
            fresh.Connect();
            var row = fresh.Dataverse.Rows("okos_blockidconnection").Single();
            fresh.Service.Update(new Entity("okos_blockidconnection", row.Id) { ["okos_callbacksigningsecret"] = null });

            var fault = Assert.ThrowsExactly<System.ServiceModel.FaultException<OrganizationServiceFault>>(() =>
                fresh.Call("okos_ProcessVerificationCallback", null, ("Payload", "{}"), ("MessageId", "m"), ("Timestamp", "1"), ("Signature", "v1,x")));

            StringAssert.Contains(fault.Detail.Message, "has no Callback Signing Secret");
        }

        [TestMethod]
        public void RotatedSecret_BothOldAndNewAreAccepted()
        {
            var next = "whsec_" + Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
            var fresh = new ProductSandbox();
            fresh.Connect();
            var row = fresh.Dataverse.Rows("okos_blockidconnection").Single();
            fresh.Service.Update(new Entity("okos_blockidconnection", row.Id) { ["okos_callbacksigningsecret"] = ProductSandbox.SigningSecret + " " + next });
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var body = Body("msg_n", "unknown");

            var response = fresh.Call("okos_ProcessVerificationCallback", null, ("Payload", body), ("MessageId", "msg_n"),
                ("Timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Signature", WebhookSignature.Sign(next, "msg_n", timestamp, body)));

            Assert.AreEqual("Ignored", response["Outcome"]);
        }

        [TestMethod]
        public void TwoParallelDeliveriesOfOneEvent_ApplyOnce()
        {
            Simulator.Complete(_session, CaptureOutcome.PassWithSelfie);
            var body = Body("msg_1", _session);

            var outcomes = new string[2];
            Parallel.For(0, 2, i => outcomes[i] = (string)Deliver(body, "msg_1")["Outcome"]);

            CollectionAssert.AreEquivalent(new[] { "Applied", "Duplicate" }, outcomes);
            Assert.AreEqual(1, Receipts.Length);
            Assert.AreEqual(1, Notes.Count(note => (string)note["subject"] == "Identity verified (IAL2)"));
        }

        [TestMethod]
        public void TwoParallelEventsAboutOneSession_MakeOneTransition()
        {
            Simulator.Complete(_session, CaptureOutcome.PassWithSelfie);

            Parallel.For(0, 2, i => Assert.AreEqual("Applied", Deliver(Body($"msg_{i}", _session), $"msg_{i}")["Outcome"]));

            Assert.AreEqual(2, Receipts.Length);
            Assert.AreEqual(1, Notes.Count(note => (string)note["subject"] == "Identity verified (IAL2)"));
        }

        [TestMethod]
        public void RelayWithoutTheReceiptPrivilege_IsRefused_RelayRoleIsAllowed()
        {
            var agent = Dataverse.AddUser("Agent", new[] { "Verification Agent", "Salesperson" });
            var relay = Dataverse.AddUser("Relay", new[] { "Verification Relay" });
            var body = Body("msg_1", _session);
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var parameters = new (string, object?)[]
            {
                ("Payload", body), ("MessageId", "msg_1"), ("Timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("Signature", WebhookSignature.Sign(ProductSandbox.SigningSecret, "msg_1", timestamp, body)),
            };

            StringAssert.Contains(Refused(() => CallAs(agent, "okos_ProcessVerificationCallback", parameters)).Detail.Message, "prvCreateokos_callbackreceipt");
            Assert.AreEqual("Applied", CallAs(relay, "okos_ProcessVerificationCallback", parameters)["Outcome"]);
        }

        [TestMethod]
        public void NoOutcomeLeaksTheSecretThePayloadOrTheSignature()
        {
            Simulator.Complete(_session, CaptureOutcome.PassWithSelfie);
            var marker = "secret-marker-" + Guid.NewGuid().ToString("N");
            var body = Body("msg_1", _session, $"{{\"note\":\"{marker}\"}}");
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var signature = WebhookSignature.Sign(ProductSandbox.SigningSecret, "msg_1", timestamp, body);
            Deliver(body, "msg_1");
            Deliver(body, "msg_1");
            Deliver(body, "msg_1", secret: "whsec_" + Convert.ToBase64String(new byte[32]));
            Deliver(body, "msg_2");
            Deliver("{" + marker, "msg_3");

            var traces = AllTraces(Dataverse);
            Assert.IsFalse(traces.Contains(marker), "payload in a trace");
            Assert.IsFalse(traces.Contains(ProductSandbox.SigningSecret.Substring(6)), "secret in a trace");
            Assert.IsFalse(traces.Contains(signature.Substring(3)), "signature in a trace");
            StringAssert.Contains(traces, "Callback Rejected (BAD_SIGNATURE)");
        }

        private void AssertNothingChanged()
        {
            Assert.AreEqual(0, Receipts.Length);
            Assert.AreEqual(Pending, Row().GetAttributeValue<OptionSetValue>("okos_status").Value);
        }
    }
}
