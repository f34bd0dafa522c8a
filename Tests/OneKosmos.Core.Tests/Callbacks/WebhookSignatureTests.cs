using System;
using System.IO;
using System.Linq;
using CsCheck;
using Newtonsoft.Json.Linq;
using OneKosmos.Core.Callbacks;

namespace OneKosmos.Core.Tests.Callbacks
{
    [TestClass]
    public sealed class WebhookSignatureTests
    {
        private static readonly JObject[] Vectors =
            JObject.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "webhook-signature-vectors.json")))["vectors"]!.Cast<JObject>().ToArray();

        private static readonly JObject Golden = Vectors[0];
        private static readonly string Secret = (string)Golden["secret"]!;
        private static readonly string Id = (string)Golden["id"]!;
        private static readonly long Timestamp = (long)Golden["timestamp"]!;
        private static readonly string Body = (string)Golden["body"]!;
        private static readonly DateTimeOffset SentAt = DateTimeOffset.FromUnixTimeSeconds(Timestamp);

        private static SignatureCheck Check(string? signature, string? body = null, DateTimeOffset? now = null, string? timestamp = null, params string[] secrets) =>
            WebhookSignature.Verify(secrets.Length == 0 ? new[] { Secret } : secrets, Id, timestamp ?? Timestamp.ToString(), signature, body ?? Body, now ?? SentAt);

        [TestMethod]
        public void Sign_ReproducesEveryGoldenVector()
        {
            foreach (var vector in Vectors)
            {
                Assert.AreEqual((string)vector["signature"]!, WebhookSignature.Sign((string)vector["secret"]!, (string)vector["id"]!, (long)vector["timestamp"]!, (string)vector["body"]!), (string)vector["name"]!);
            }
        }

        [TestMethod]
        public void Verify_TheGoldenSignature_IsValidWithinTheWindow()
        {
            var signature = (string)Golden["signature"]!;

            Assert.AreEqual(SignatureCheck.Valid, Check(signature));
            Assert.AreEqual(SignatureCheck.Valid, Check(signature, now: SentAt.AddMinutes(5)));
            Assert.AreEqual(SignatureCheck.Valid, Check(signature, now: SentAt.AddMinutes(-5)));
        }

        [TestMethod]
        public void Verify_OutsideTheWindow_IsStaleOrFuture()
        {
            var signature = (string)Golden["signature"]!;

            Assert.AreEqual(SignatureCheck.Stale, Check(signature, now: SentAt.AddMinutes(5).AddSeconds(1)));
            Assert.AreEqual(SignatureCheck.Future, Check(signature, now: SentAt.AddMinutes(-5).AddSeconds(-1)));
        }

        [TestMethod]
        public void Verify_RotationAcceptsTheOldOrTheNewSecretAndSeveralSignatures()
        {
            const string next = "whsec_c2Vjb25kLXNlY3JldC1mb3Itcm90YXRpb24=";
            var both = WebhookSignature.Sign(next, Id, Timestamp, Body) + " " + (string)Golden["signature"]!;

            Assert.AreEqual(SignatureCheck.Valid, Check(both, secrets: new[] { next }));
            Assert.AreEqual(SignatureCheck.Valid, Check((string)Golden["signature"]!, secrets: new[] { next, Secret }));
            Assert.AreEqual(SignatureCheck.Mismatch, Check((string)Golden["signature"]!, secrets: new[] { next }));
        }

        [TestMethod]
        public void Verify_AlteredBodyOrTruncatedSignature_IsRefused()
        {
            var signature = (string)Golden["signature"]!;

            Assert.AreEqual(SignatureCheck.Mismatch, Check(signature, body: Body + " "));
            Assert.AreEqual(SignatureCheck.Mismatch, Check(signature.Substring(0, signature.Length - 4)));
            Assert.AreEqual(SignatureCheck.Malformed, Check("v2," + signature.Substring(3)));
        }

        [TestMethod]
        public void Verify_MissingOrUnreadableHeaders_AreMalformed()
        {
            var signature = (string)Golden["signature"]!;

            Assert.AreEqual(SignatureCheck.Malformed, Check(null));
            Assert.AreEqual(SignatureCheck.Malformed, Check(signature, timestamp: "-1"));
            Assert.AreEqual(SignatureCheck.Malformed, Check(signature, timestamp: "1.5e9"));
            Assert.AreEqual(SignatureCheck.Malformed, WebhookSignature.Verify(new[] { Secret }, null, Timestamp.ToString(), signature, Body, SentAt));
        }

        [TestMethod]
        [DataRow("99999999999999999")]
        [DataRow("253402300800")]
        public void Verify_ATimestampNoCalendarHolds_IsMalformedNotACrash(string timestamp)
        {
            Assert.AreEqual(SignatureCheck.Malformed, Check((string)Golden["signature"]!, timestamp: timestamp));
            Assert.IsFalse(WebhookSignature.IsTimestamp(timestamp));
        }

        [TestMethod]
        public void IsUsableSecret_NeedsAtLeast24RandomBytes()
        {
            var oneByte = "whsec_" + Convert.ToBase64String(new byte[] { 7 });
            var justEnough = "whsec_" + Convert.ToBase64String(new byte[WebhookSignature.MinimumSecretBytes]);

            Assert.IsFalse(WebhookSignature.IsUsableSecret(oneByte));
            Assert.IsFalse(WebhookSignature.IsUsableSecret("whsec_" + Convert.ToBase64String(new byte[WebhookSignature.MinimumSecretBytes - 1])));
            Assert.IsTrue(WebhookSignature.IsUsableSecret(justEnough));
            Assert.IsTrue(WebhookSignature.IsUsableSecret(Secret), "the golden vector's secret is usable");
            Assert.ThrowsExactly<ArgumentException>(() => WebhookSignature.Sign(oneByte, Id, Timestamp, Body));
        }

        [TestMethod]
        public void Verify_ASecretThatIsNotBase64_IsAConfigurationError()
        {
            Assert.ThrowsExactly<ArgumentException>(() => Check((string)Golden["signature"]!, secrets: new[] { "whsec_not base64!" }));
        }

        [TestMethod]
        public void Verify_AnyBodySignedIsValid_AndAnyChangeToItIsNot()
        {
            Gen.String.Select(Gen.Int[0, 1000]).Sample((body, position) =>
            {
                var signature = WebhookSignature.Sign(Secret, Id, Timestamp, body);
                Assert.AreEqual(SignatureCheck.Valid, Check(signature, body));
                var changed = body.Length == 0 ? "x" : body.Remove(position % body.Length, 1) + (body[position % body.Length] == 'a' ? "b" : "a");
                if (changed != body)
                {
                    Assert.AreEqual(SignatureCheck.Mismatch, Check(signature, changed));
                }
            });
        }
    }
}
