using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.ServiceModel;
using CsCheck;
using Microsoft.Xrm.Sdk;
using OneKosmos.Core.Callbacks;
using OneKosmos.Sandbox.BlockId;

namespace OneKosmos.CustomApis.Tests
{
    /// <summary>
    /// Throws generated deliveries at the callback API, half of them validly signed so the apply path runs: only the four
    /// outcomes (or, where 1Kosmos trouble was injected, a fault) come out; nothing changes without a valid signature; and a
    /// validly signed message id seen before is always a Duplicate.
    /// </summary>
    [TestClass]
    public sealed class CallbackPropertyTests : ApiTestBase
    {
        private const int Deliveries = 10_000;

        private enum Kind
        {
            Garbage,
            SignedGarbage,
            SignedNotification,
            TamperedBody,
            WrongSecret,
            OutsideWindow,
            SignedAmongJunkSignatures,
        }

        private sealed record Delivery(Kind Kind, string Text, string OtherText, int MessageIndex, int SessionIndex, bool Fault, int Skew)
        {
            public bool ValidlySigned => Kind is Kind.SignedGarbage or Kind.SignedNotification or Kind.SignedAmongJunkSignatures;
        }

        private static readonly Gen<Kind> Kinds = Gen.Frequency(
            (2, Gen.Const(Kind.Garbage)),
            (1, Gen.Const(Kind.SignedGarbage)),
            (4, Gen.Const(Kind.SignedNotification)),
            (1, Gen.Const(Kind.TamperedBody)),
            (1, Gen.Const(Kind.WrongSecret)),
            (1, Gen.Const(Kind.OutsideWindow)),
            (1, Gen.Const(Kind.SignedAmongJunkSignatures)));

        private static readonly Gen<Delivery> Deliveries_ =
            from kind in Kinds
            from text in Gen.String
            from other in Gen.String
            from message in Gen.Int[0, 59]
            from session in Gen.Int[0, 3]
            from fault in Gen.Int[0, 9]
            from skew in Gen.Int[301, 100_000]
            select new Delivery(kind, text, other, message, session, fault == 0, skew);

        [TestMethod]
        public void GeneratedDeliveries_OnlyEverGiveTheContractsAnswers()
        {
            var sessions = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                var contact = Service.Create(new Entity("contact") { ["lastname"] = $"Person {i}" });
                sessions.Add((string)Call("okos_StartVerification", ("Subject", new EntityReference("contact", contact)))["SessionId"]);
            }
            Simulator.Complete(sessions[0], CaptureOutcome.PassWithSelfie);
            Simulator.Complete(sessions[1], CaptureOutcome.LivenessFail);
            sessions.Add("unknown-session");
            var recorded = new HashSet<string>(StringComparer.Ordinal);
            var counts = new Dictionary<string, int>();

            Deliveries_.Sample(delivery =>
            {
                var messageId = $"msg_{delivery.MessageIndex}";
                var session = sessions[delivery.SessionIndex];
                var seenBefore = recorded.Contains(messageId);
                var reaches1Kosmos = delivery.Kind is Kind.SignedNotification or Kind.SignedAmongJunkSignatures
                    && session != "unknown-session" && !seenBefore && IsPending(session);
                var injected = reaches1Kosmos && delivery.Fault;
                if (injected)
                {
                    Simulator.InjectFault("/v3/document_share_session/result", SimulatedFault.ServerError);
                }
                var before = Snapshot();
                var (payload, id, timestamp, signature) = Build(delivery, messageId, session);

                string outcome;
                try
                {
                    var response = Call("okos_ProcessVerificationCallback", ("Payload", payload), ("MessageId", id), ("Timestamp", timestamp), ("Signature", signature));
                    outcome = (string)response["Outcome"];
                    CollectionAssert.Contains(new[] { "Applied", "Duplicate", "Ignored", "Rejected" }, outcome);
                    if (outcome == "Applied" || ((string)response["ReasonCode"]).StartsWith("BLOCKID_", StringComparison.Ordinal))
                    {
                        recorded.Add(messageId);
                    }
                }
                catch (FaultException<OrganizationServiceFault>) when (injected)
                {
                    outcome = "Fault";
                }
                Assert.IsFalse(injected && outcome != "Fault", "an injected 1Kosmos failure must fail the delivery");
                counts[outcome] = counts.TryGetValue(outcome, out var count) ? count + 1 : 1;
                if (!delivery.ValidlySigned || outcome is "Duplicate" or "Ignored" or "Fault")
                {
                    CollectionAssert.AreEqual(before, Snapshot(), $"{delivery.Kind} ({outcome}) changed a row");
                }
                if (!delivery.ValidlySigned)
                {
                    Assert.AreEqual("Rejected", outcome);
                }
                if (delivery.Kind is Kind.SignedNotification or Kind.SignedAmongJunkSignatures && seenBefore)
                {
                    Assert.AreEqual("Duplicate", outcome, "a validly signed message id seen before");
                }
            }, iter: Deliveries, threads: 1);

            Assert.IsTrue(counts.GetValueOrDefault("Applied") >= 50, $"the apply path ran too rarely: {string.Join(", ", counts)}");
            Assert.IsTrue(counts.GetValueOrDefault("Duplicate") >= 1000, $"too few duplicates: {string.Join(", ", counts)}");
        }

        private static (string Payload, string Id, string Timestamp, string Signature) Build(Delivery delivery, string messageId, string session)
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            string Stamp(long at) => at.ToString(CultureInfo.InvariantCulture);
            string Sign(string body, long at, string secret = ProductSandbox.SigningSecret) => WebhookSignature.Sign(secret, messageId, at, body);
            var notification = $"{{\"type\":\"blockid.idv\",\"id\":\"{messageId}\",\"sessionId\":\"{session}\",\"data\":{{\"x\":{Newtonsoft.Json.JsonConvert.ToString(delivery.Text)}}}}}";
            return delivery.Kind switch
            {
                Kind.Garbage => (delivery.Text, delivery.OtherText.Length == 0 ? messageId : delivery.OtherText, delivery.OtherText, "v1," + delivery.Text),
                Kind.SignedGarbage => (delivery.Text, messageId, Stamp(now), Sign(delivery.Text, now)),
                Kind.SignedNotification => (notification, messageId, Stamp(now), Sign(notification, now)),
                Kind.TamperedBody => (notification + delivery.Text + " ", messageId, Stamp(now), Sign(notification, now)),
                Kind.WrongSecret => (notification, messageId, Stamp(now), Sign(notification, now, "whsec_" + Convert.ToBase64String(new byte[24]))),
                Kind.OutsideWindow => (notification, messageId, Stamp(now + delivery.Skew * (delivery.Fault ? 1 : -1)), Sign(notification, now + delivery.Skew * (delivery.Fault ? 1 : -1))),
                _ => (notification, messageId, Stamp(now), $"v1,{Convert.ToBase64String(new byte[32])} v2,{delivery.OtherText.Replace(" ", "")} {Sign(notification, now)}"),
            };
        }

        /// <remarks>Only a pending session is asked about: a final one is never fetched again, so a fault injected for it would linger.</remarks>
        private bool IsPending(string session) =>
            Verifications.Single(row => (string)row["okos_sessionid"] == session).GetAttributeValue<OptionSetValue>("okos_status").Value == Pending;

        private string[] Snapshot() =>
            Verifications.Concat(Receipts).Concat(Dataverse.Rows("contact")).Select(row => $"{row.LogicalName}:{row.Id}:{row.RowVersion}").ToArray();
    }
}
