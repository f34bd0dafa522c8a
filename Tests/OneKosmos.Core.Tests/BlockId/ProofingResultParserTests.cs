using System;
using System.Linq;
using System.Text;
using Newtonsoft.Json.Linq;
using OneKosmos.Core.BlockId;
using OneKosmos.Core.Verification;

namespace OneKosmos.Core.Tests.BlockId
{
    /// <summary>Results in the shapes of blockid-protocol.md C.2, with made-up personal data that must not survive parsing.</summary>
    [TestClass]
    public sealed class ProofingResultParserTests
    {
        private const string FirstName = "Amelie";
        private const string DocumentNumber = "X9K2P4Q7";
        private const string FaceImage = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB";

        private static string ProofJwt(object result)
        {
            static string Part(object value) => Convert.ToBase64String(Encoding.UTF8.GetBytes(JObject.FromObject(value).ToString())).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            return Part(new { alg = "HS256", typ = "JWT" }) + "." + Part(new { version = "1.0", result }) + ".c2lnbmF0dXJl";
        }

        private static string Success(bool selfie) => JObject.FromObject(new
        {
            sessionResult = "SUCCESS",
            sessionId = "4f7daced-f8d8-4309-961a-c80f8e8d5829",
            sessionData = new { user = new { firstname = FirstName, lastname = "Moreau" } },
            extractedInfo = new { documentType = "PASSPORT", documentId = DocumentNumber, firstName = FirstName, doe = "20310501" },
            document = new
            {
                category = "identity_document",
                documentType = "PASSPORT",
                country = "FR",
                documentId = DocumentNumber,
                firstName = FirstName,
                dob = "19900101",
                doe = "20310501",
                face = FaceImage,
                image = FaceImage,
                proof_jwt = ProofJwt(selfie
                    ? new { document_liveness_front = new { verified = true }, document_liveness_back = new { verified = true }, fraud_detection = new { verified = true }, face_compare = new { verified = true }, selfie_liveness = new { verified = true } }
                    : (object)new { document_liveness_front = new { verified = true }, document_liveness_back = new { verified = false }, fraud_detection = new { verified = true } }),
            },
        }).ToString();

        [TestMethod]
        public void Parse_InProgress()
        {
            Assert.AreEqual(SessionState.InProgress, ProofingResultParser.Parse("{\"responseStatus\":\"INPROGRESS\",\"id\":\"4f7daced\"}").State);
        }

        [TestMethod]
        public void Parse_SuccessWithSelfie_ReadsChecksAndDocumentOutcome()
        {
            var observation = ProofingResultParser.Parse(Success(selfie: true));

            Assert.AreEqual(SessionState.Succeeded, observation.State);
            Assert.AreEqual(5, observation.Checks.Count(check => check.Value));
            Assert.AreEqual("PASSPORT", observation.DocumentType);
            Assert.AreEqual("FR", observation.DocumentCountry);
            Assert.AreEqual(new DateTime(2031, 5, 1), observation.DocumentExpiresOn);
            Assert.AreEqual(AssuranceLevel.IAL2, ProofingRules.AssuranceLevelOf(observation));
        }

        [TestMethod]
        public void Parse_DocumentOnly_IsIal1WithTheRightFraction()
        {
            var observation = ProofingResultParser.Parse(Success(selfie: false));

            Assert.AreEqual(AssuranceLevel.IAL1, ProofingRules.AssuranceLevelOf(observation));
            Assert.AreEqual(0.6667m, ProofingRules.MatchConfidenceOf(observation));
        }

        [TestMethod]
        public void Parse_Success_KeepsNoPersonalData()
        {
            var observation = ProofingResultParser.Parse(Success(selfie: true));

            var kept = string.Join("|", typeof(ProofingObservation).GetProperties().Select(property => Convert.ToString(property.GetValue(observation))))
                + string.Join("|", observation.Checks.Keys);
            foreach (var personal in new[] { FirstName, "Moreau", DocumentNumber, FaceImage, "19900101" })
            {
                Assert.IsFalse(kept.Contains(personal, StringComparison.Ordinal), $"{personal} survived parsing");
            }
        }

        [TestMethod]
        public void Parse_FailedWithEitherReasonCodeSpelling()
        {
            var snake = ProofingResultParser.Parse("{\"sessionResult\":\"FAILED\",\"extractedInfo\":{},\"errorInfo\":{\"status\":400,\"reason\":\"Unsupported document was presented\",\"reason_code\":\"IDV0006\"}}");
            var camel = ProofingResultParser.Parse("{\"sessionResult\":\"FAILED\",\"errorInfo\":{\"status\":400,\"message\":\"Module 'firstname check' failed\",\"reasonCode\":\"IDV0010\"}}");

            Assert.AreEqual("IDV0006", snake.ReasonCode);
            Assert.AreEqual("Unsupported document was presented", snake.ReasonText);
            Assert.AreEqual("IDV0010", camel.ReasonCode);
            Assert.AreEqual(SessionState.Failed, camel.State);
        }

        [TestMethod]
        public void Parse_UnknownStatus_IsUnknownWithTheRawValue()
        {
            var observation = ProofingResultParser.Parse("{\"responseStatus\":\"EXPIRED\"}");

            Assert.AreEqual(SessionState.Unknown, observation.State);
            Assert.AreEqual("EXPIRED", observation.RawState);
        }

        [TestMethod]
        public void Parse_NotJsonOrNoStatus_IsMalformed()
        {
            Assert.AreEqual(BlockIdFailure.Malformed, Assert.ThrowsExactly<BlockIdException>(() => ProofingResultParser.Parse("<html>")).Failure);
            Assert.AreEqual(BlockIdFailure.Malformed, Assert.ThrowsExactly<BlockIdException>(() => ProofingResultParser.Parse("{\"id\":\"x\"}")).Failure);
        }

        [TestMethod]
        public void Parse_UnreadableProofToken_IsMalformed()
        {
            var result = "{\"sessionResult\":\"SUCCESS\",\"document\":{\"proof_jwt\":\"a.%%%.c\"}}";

            Assert.AreEqual(BlockIdFailure.Malformed, Assert.ThrowsExactly<BlockIdException>(() => ProofingResultParser.Parse(result)).Failure);
        }
    }
}
