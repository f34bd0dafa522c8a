using System;
using System.Linq;
using OneKosmos.Core.Callbacks;
using OneKosmos.Core.Verification;

namespace OneKosmos.Core.Tests.Callbacks
{
    [TestClass]
    public sealed class EntraCallbackTests
    {
        private static readonly Guid Row = Guid.Parse("7d7c1d3e-2b6f-4a35-9f5e-1c2d3e4f5a6b");

        private static string Presentation(string state) =>
            $"{{\"requestId\":\"e4ef\",\"requestStatus\":\"presentation_verified\",\"state\":\"{state}\",\"subject\":\"did:ion:holder\","
            + "\"verifiedCredentialsData\":[{\"issuer\":\"did:web:id.example.com\",\"type\":[\"VerifiableCredential\",\"VerifiedPerson\"],"
            + "\"claims\":{\"firstName\":\"Ana\",\"lastName\":\"Silva\",\"photo\":\"AAAAphotoAAAA\",\"verificationId\":\"v-1\"},"
            + "\"credentialState\":{\"revocationStatus\":\"VALID\"},\"faceCheck\":{\"matchConfidenceScore\":86.31,\"sourcePhotoQuality\":\"HIGH\"}}]}";

        private static string Refusal(string body)
        {
            Assert.IsNull(EntraCallback.Parse(body, out var refusal));
            return refusal!;
        }

        [TestMethod]
        public void Presentation_IsReadWithWhatADecisionNeeds()
        {
            var callback = EntraCallback.Parse(Presentation(EntraCallback.StateOf(Journey.VerifiedIdFaceCheck, Row)), out _)!;

            Assert.AreEqual(NotificationType.EntraPresentation, callback.Type);
            Assert.AreEqual(Row, callback.VerificationId);
            var seen = callback.Observation;
            Assert.AreEqual(VerifiedIdEvent.PresentationVerified, seen.Event);
            Assert.AreEqual("did:ion:holder", seen.SubjectDid);
            Assert.AreEqual("did:web:id.example.com", seen.Issuer);
            CollectionAssert.AreEqual(new[] { "VerifiableCredential", "VerifiedPerson" }, seen.CredentialTypes.ToArray());
            Assert.AreEqual("VALID", seen.RevocationStatus);
            Assert.AreEqual("v-1", seen.IssuedForVerification);
            Assert.AreEqual(86.31, seen.MatchConfidenceScore);
        }

        [TestMethod]
        public void ForwardedData_KeepsNoNameAndNoPhoto_AndReadsTheSame()
        {
            var callback = EntraCallback.Parse(Presentation(EntraCallback.StateOf(Journey.VerifiedIdFaceCheck, Row)), out _)!;

            var data = callback.ToData().ToString();
            var again = EntraCallback.Parse(data, out _)!;

            foreach (var personal in new[] { "Ana", "Silva", "AAAAphotoAAAA", "firstName" })
            {
                Assert.IsFalse(data.Contains(personal, StringComparison.Ordinal), personal);
            }
            Assert.AreEqual(callback.Observation.MatchConfidenceScore, again.Observation.MatchConfidenceScore);
            Assert.AreEqual(callback.Observation.IssuedForVerification, again.Observation.IssuedForVerification);
            Assert.AreEqual(callback.MessageId(), again.MessageId());
        }

        [TestMethod]
        public void MessageId_IsTheSameForTheSameRequestAndStatus_AndDiffersOtherwise()
        {
            var state = EntraCallback.StateOf(Journey.VerifiedIdIssuance, Row);
            string Id(string request, string status) => EntraCallback.Parse($"{{\"requestId\":\"{request}\",\"requestStatus\":\"{status}\",\"state\":\"{state}\"}}", out _)!.MessageId();

            Assert.AreEqual(Id("r1", "request_retrieved"), Id("r1", "request_retrieved"));
            Assert.AreNotEqual(Id("r1", "request_retrieved"), Id("r1", "issuance_successful"));
            Assert.AreNotEqual(Id("r1", "issuance_successful"), Id("r2", "issuance_successful"));
            StringAssert.StartsWith(Id("r1", "issuance_successful"), "entra_");
        }

        [TestMethod]
        public void IssuanceError_CarriesEntrasCodeAndMessage()
        {
            var state = EntraCallback.StateOf(Journey.VerifiedIdIssuance, Row);

            var seen = EntraCallback.Parse($"{{\"requestId\":\"r\",\"requestStatus\":\"issuance_error\",\"state\":\"{state}\",\"error\":{{\"code\":\"IssuanceFlowFailed\",\"message\":\"issuance_service_error\"}}}}", out _)!.Observation;

            Assert.AreEqual(VerifiedIdEvent.IssuanceFailed, seen.Event);
            Assert.AreEqual("IssuanceFlowFailed", seen.ErrorCode);
            Assert.AreEqual("issuance_service_error", seen.ErrorMessage);
        }

        [TestMethod]
        public void BadCallbacks_AreRefusedWithAReason()
        {
            var issuance = EntraCallback.StateOf(Journey.VerifiedIdIssuance, Row);
            Assert.AreEqual("MALFORMED_JSON", Refusal("{\"requestId\":"));
            Assert.AreEqual("MALFORMED_JSON", Refusal("[1]"));
            Assert.AreEqual("MISSING_FIELDS", Refusal($"{{\"requestStatus\":\"issuance_successful\",\"state\":\"{issuance}\"}}"));
            Assert.AreEqual("UNKNOWN_STATE", Refusal("{\"requestId\":\"r\",\"requestStatus\":\"issuance_successful\",\"state\":\"okos-issuance-not-a-guid\"}"));
            Assert.AreEqual("UNKNOWN_STATE", Refusal("{\"requestId\":\"r\",\"requestStatus\":\"issuance_successful\",\"state\":\"theirs\"}"));
            Assert.AreEqual("UNKNOWN_STATUS", Refusal($"{{\"requestId\":\"r\",\"requestStatus\":\"presentation_verified\",\"state\":\"{issuance}\"}}"), "a presentation status for an issuance request");
            Assert.AreEqual("UNKNOWN_STATUS", Refusal($"{{\"requestId\":\"r\",\"requestStatus\":\"done\",\"state\":\"{issuance}\"}}"));
            Assert.AreEqual("BAD_SCORE", Refusal(Presentation(EntraCallback.StateOf(Journey.VerifiedIdFaceCheck, Row)).Replace("86.31", "186.5", StringComparison.Ordinal)));
        }
    }
}
