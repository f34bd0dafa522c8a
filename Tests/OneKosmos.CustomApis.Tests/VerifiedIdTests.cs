using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Microsoft.Xrm.Sdk;
using OneKosmos.Core.Callbacks;
using OneKosmos.Sandbox.BlockId;
using OneKosmos.Sandbox.EntraVerifiedId;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Core.Verification;

namespace OneKosmos.CustomApis.Tests
{
    /// <summary>Microsoft Entra Verified ID through the custom APIs: issuance after IAL2, Face Check step-ups, Entra's callbacks and its faults.</summary>
    [TestClass]
    public sealed class VerifiedIdTests : ApiTestBase
    {
        private static readonly int IssuanceJourney = Choices.Of(Journey.VerifiedIdIssuance).Value;
        private static readonly int FaceCheckJourney = Choices.Of(Journey.VerifiedIdFaceCheck).Value;
        private const string FacePhotoBase64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk";

        private int _delivered;

        private EntraSimulator Entra => Product.Entra;

        private void VerifyProofing(CaptureOutcome outcome = CaptureOutcome.PassWithSelfie)
        {
            Call("okos_StartVerification", ("Subject", ContactRef));
            Simulator.Complete(Simulator.Sessions.Last().Id, outcome);
            Call("okos_ReconcileVerifications", ("OlderThanMinutes", 0));
        }

        private OrganizationResponse Issue() => Call("okos_IssueVerifiedIdCredential", ("Subject", ContactRef));

        private OrganizationResponse FaceCheck(string reason = "Wire transfer above 50,000") =>
            Call("okos_RequestStepUp", ("Subject", ContactRef), ("Reason", reason), ("Method", "VerifiedIdFaceCheck"));

        private Entity Row(object id) => Verifications.Single(row => row.Id == (Guid)id);

        /// <summary>What the relay does with each callback Entra posted since the last call: parse, queue as a notification, sign, deliver.</summary>
        private List<OrganizationResponse> DeliverCallbacks()
        {
            var responses = new List<OrganizationResponse>();
            foreach (var callback in Product.EntraCallbacks.Skip(_delivered).ToList())
            {
                Assert.AreEqual(ProductSandbox.EntraApiKey, callback.Key, "Entra must send back the api-key the product set");
                responses.Add(Deliver(callback.Value));
                _delivered++;
            }
            return responses;
        }

        private OrganizationResponse Deliver(string entraBody)
        {
            var callback = EntraCallback.Parse(entraBody, out var refusal) ?? throw new AssertFailedException($"the relay would refuse this callback: {refusal}");
            return DeliverNotification(callback.ToNotification(DateTimeOffset.UtcNow), callback.MessageId());
        }

        private OrganizationResponse DeliverNotification(string notification, string id)
        {
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            return Call("okos_ProcessVerificationCallback", ("Payload", notification), ("MessageId", id),
                ("Timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("Signature", WebhookSignature.Sign(ProductSandbox.SigningSecret, id, timestamp, notification)));
        }

        private Guid IssueAndAccept()
        {
            VerifyProofing();
            var issued = Issue();
            var pin = (string)issued["Pin"];
            Entra.AcceptAsync(Entra.Requests.Single(request => request.IsIssuance).Id, pin.Length == 0 ? null : pin).GetAwaiter().GetResult();
            DeliverCallbacks();
            return (Guid)issued["VerificationId"];
        }

        private string Everything() =>
            AllTraces(Dataverse) + "\n" + string.Join("\n", Notes.Select(note => note.GetAttributeValue<string>("subject") + " " + note.GetAttributeValue<string>("notetext")));

        [TestInitialize]
        public void ConnectVerifiedId() => Product.ConnectEntra();

        [TestMethod]
        public void Issue_AfterIal2_MakesAPendingRequestWithTheDocumentedShape()
        {
            VerifyProofing();

            var response = Issue();

            var row = Row(response["VerificationId"]);
            var request = Entra.Requests.Single();
            Assert.AreEqual(IssuanceJourney, row.GetAttributeValue<OptionSetValue>("okos_journey").Value);
            Assert.AreEqual(Pending, row.GetAttributeValue<OptionSetValue>("okos_status").Value);
            Assert.AreEqual(request.Id, row["okos_sessionid"], "okos_sessionid holds the Entra request id");
            Assert.AreEqual(response["DeepLink"], row["okos_captureurl"]);
            Assert.IsTrue(((string)response["DeepLink"]).Contains(request.Id, StringComparison.Ordinal));
            Assert.IsTrue(row.GetAttributeValue<bool>("okos_photoincluded"));
            Assert.IsFalse((bool)response["Reused"]);
            Assert.AreEqual("", response["Pin"]);
            Assert.AreEqual(request.ExpiresAt.ToUnixTimeSeconds(), new DateTimeOffset((DateTime)response["ExpiresAt"]).ToUnixTimeSeconds(), "the expiry comes from Entra's response");
            var body = request.Body;
            Assert.AreEqual(false, (bool?)body["includeQRCode"], "includeQRCode is always sent explicitly");
            Assert.AreEqual(Entra.Options.ManifestUrl, (string?)body["manifest"], "the field is named manifest");
            Assert.IsNull(body["manifestUrl"]);
            Assert.AreEqual(ProductSandbox.EntraApiKey, (string?)body["callback"]!["headers"]!["api-key"]);
            var claims = body["claims"]!;
            Assert.AreEqual("Jane", (string?)claims["given_name"]);
            Assert.AreEqual("Doe", (string?)claims["family_name"]);
            Assert.AreEqual("IAL2", (string?)claims["assurance_level"]);
            Assert.AreEqual(row.Id.ToString(), (string?)claims["verificationId"]);
            Assert.AreEqual(Convert.ToBase64String(Convert.FromBase64String(FacePhotoBase64)).TrimEnd('=').Replace('+', '-').Replace('/', '_'), (string?)claims["photo"]);
            Assert.IsFalse(Verifications.Any(item => item.Attributes.Values.OfType<string>().Any(value => value.Contains(FacePhotoBase64[..40], StringComparison.Ordinal))), "the photo is never stored");
        }

        [TestMethod]
        public void Issue_Twice_ReusesTheOpenRequest()
        {
            VerifyProofing();
            var first = Issue();

            var second = Issue();

            Assert.IsTrue((bool)second["Reused"]);
            Assert.AreEqual(first["VerificationId"], second["VerificationId"]);
            Assert.AreEqual(first["DeepLink"], second["DeepLink"]);
            Assert.AreEqual(1, Entra.Requests.Count);
        }

        [TestMethod]
        public void Issue_AfterTheRequestExpired_MakesANewOneAndExpiresTheOld()
        {
            VerifyProofing();
            var first = Issue();
            Dataverse.Overwrite(new Entity("okos_verification", (Guid)first["VerificationId"]) { ["okos_expiresat"] = DateTime.UtcNow.AddMinutes(-1) });
            var ended = new System.Collections.Generic.List<ParameterCollection>();
            Dataverse.RegisterStep(
                new OneKosmos.Solution.Model.StepRegistration { Name = "Subscriber", PluginTypeName = "Test.Subscriber", MessageName = "okos_VerificationEnded", Stage = OneKosmos.Solution.Model.PipelineStage.PostOperation, Mode = OneKosmos.Solution.Model.ExecutionMode.Asynchronous },
                new Recorder(context => ended.Add(context.InputParameters)));

            var second = Issue();

            Assert.IsFalse((bool)second["Reused"]);
            Assert.AreEqual(Expired, Row(first["VerificationId"]).GetAttributeValue<OptionSetValue>("okos_status").Value);
            Assert.IsNull(Row(first["VerificationId"]).GetAttributeValue<string>("okos_captureurl"));
            Assert.AreEqual(2, Entra.Requests.Count);
            var expired = ended.Single();
            Assert.AreEqual((first["VerificationId"], "Expired", "VerifiedIdIssuance"), (expired["VerificationId"], (string)expired["Outcome"], (string)expired["Journey"]),
                "the superseded request's ending is announced like any other (#23)");
        }

        [TestMethod]
        public void Issue_WithoutIal2Proofing_IsRefusedWithWhatToDo()
        {
            VerifyProofing(CaptureOutcome.DocumentOnly);

            var fault = Refused(() => Issue());

            StringAssert.Contains(fault.Detail.Message, "Jane Doe has no Verified IAL2 identity proofing");
            Assert.AreEqual(0, Entra.Requests.Count);
            Assert.IsFalse(Verifications.Any(row => row.GetAttributeValue<OptionSetValue>("okos_journey").Value == IssuanceJourney));
        }

        [TestMethod]
        public void Issue_WithoutEntraSettings_SaysItIsNotSetUp()
        {
            VerifyProofing();
            var connection = Dataverse.Rows("okos_blockidconnection").Single();
            var cleared = new Entity("okos_blockidconnection", connection.Id);
            foreach (var column in new[] { "okos_entratenantid", "okos_entraclientid", "okos_entraclientsecret", "okos_entraauthority", "okos_entramanifesturl", "okos_entracredentialtype", "okos_entracallbackurl", "okos_entracallbackapikey" })
            {
                cleared[column] = null;
            }
            Service.Update(cleared);

            var fault = Refused(() => Issue());

            StringAssert.Contains(fault.Detail.Message, "Microsoft Entra Verified ID is not set up");
        }

        [TestMethod]
        public void Issue_WithPartEntraSettings_NamesWhatIsMissing()
        {
            VerifyProofing();
            var connection = Dataverse.Rows("okos_blockidconnection").Single();
            Service.Update(new Entity("okos_blockidconnection", connection.Id) { ["okos_entramanifesturl"] = null, ["okos_entracredentialtype"] = " " });

            var fault = Refused(() => Issue());

            StringAssert.Contains(fault.Detail.Message, "Entra Manifest URL, Entra Credential Type are missing");
        }

        [TestMethod]
        [DataRow(400, "refused creating the issuance request (HTTP 400, badOrMissingField")]
        [DataRow(401, "VerifiableCredential.Create.All")]
        [DataRow(429, "throttling")]
        [DataRow(500, "failed creating the issuance request with HTTP 500")]
        [DataRow(503, "with HTTP 503")]
        public void Issue_WhenEntraFails_SaysWhatHappenedAndWritesNothing(int status, string expected)
        {
            VerifyProofing();
            var rows = Verifications.Length;
            var notes = Notes.Length;
            Entra.FailNext(status);

            var fault = Refused(() => Issue());

            StringAssert.Contains(fault.Detail.Message, expected);
            Assert.AreEqual(rows, Verifications.Length, "no state change");
            Assert.AreEqual(notes, Notes.Length);
            foreach (var secret in new[] { Entra.Options.ClientSecret, ProductSandbox.EntraApiKey }.Concat(Entra.Tokens))
            {
                Assert.IsFalse(fault.Detail.Message.Contains(secret, StringComparison.Ordinal));
            }
        }

        [TestMethod]
        public void Issue_WithAWrongClientSecret_PointsAtTheAppRegistration()
        {
            VerifyProofing();
            var connection = Dataverse.Rows("okos_blockidconnection").Single();
            Service.Update(new Entity("okos_blockidconnection", connection.Id) { ["okos_entraclientsecret"] = "not-the-secret-" + Guid.NewGuid() });

            var fault = Refused(() => Issue());

            StringAssert.Contains(fault.Detail.Message, "invalid_client");
            StringAssert.Contains(fault.Detail.Message, "client secret on the 1Kosmos connection");
            Assert.IsFalse(fault.Detail.Message.Contains("not-the-secret-", StringComparison.Ordinal));
        }

        [TestMethod]
        public void Issue_WithAPinPolicy_ReturnsThePinOnceAndSendsItHashed()
        {
            Product.ConnectEntra(pinLength: 12);
            VerifyProofing();

            var response = Issue();

            var pin = (string)response["Pin"];
            Assert.AreEqual(12, pin.Length);
            Assert.IsTrue(pin.All(char.IsDigit));
            var sent = Entra.Requests.Single().Body["pin"]!;
            Assert.AreEqual("sha256", (string?)sent["alg"]);
            Assert.AreEqual(12, (int?)sent["length"]);
            Assert.IsFalse(sent.ToJsonString().Contains(pin, StringComparison.Ordinal), "the PIN itself is not sent");
            var expected = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes((string?)sent["salt"] + pin)));
            Assert.AreEqual(expected, (string?)sent["value"], "the PIN travels as base64(SHA-256(salt + PIN))");
            Assert.AreEqual("", Issue()["Pin"], "a reused request has no PIN to show again");
            Assert.IsFalse(Everything().Contains(pin, StringComparison.Ordinal));
            Assert.IsFalse(Verifications.Any(row => row.Attributes.Values.OfType<string>().Any(value => value == pin)));
        }

        [TestMethod]
        public void WalletAccepts_CallbackMarksTheCredentialIssued()
        {
            VerifyProofing();
            var issued = Issue();
            Entra.AcceptAsync(Entra.Requests.Single().Id).GetAwaiter().GetResult();

            var responses = DeliverCallbacks();

            Assert.AreEqual(2, responses.Count, "request_retrieved, then issuance_successful");
            Assert.IsTrue(responses.All(response => (string)response["Outcome"] == "Applied"));
            var row = Row(issued["VerificationId"]);
            Assert.AreEqual(Verified, row.GetAttributeValue<OptionSetValue>("okos_status").Value);
            Assert.IsNull(row.GetAttributeValue<string>("okos_captureurl"), "the deep link is cleared once the request is final");
            StringAssert.EndsWith(row.GetAttributeValue<string>("okos_reservationkey"), row.Id.ToString());
            Assert.IsTrue(Notes.Any(note => note.GetAttributeValue<string>("subject") == "Verified ID credential issued"));
            Assert.AreEqual(2, Receipts.Count(receipt => receipt.GetAttributeValue<string>("okos_source") == "entra"));
        }

        [TestMethod]
        public void ReplayedCallback_IsADuplicateAndChangesNothing()
        {
            IssueAndAccept();
            var last = Product.EntraCallbacks.Last().Value;
            var before = Verifications.Select(row => row.RowVersion).ToArray();

            var again = Deliver(last);

            Assert.AreEqual("Duplicate", again["Outcome"]);
            CollectionAssert.AreEqual(before, Verifications.Select(row => row.RowVersion).ToArray());
        }

        [TestMethod]
        public void CallbackForARequestWeDidNotMake_IsIgnored()
        {
            VerifyProofing();
            var forged = $"{{\"requestId\":\"{Guid.NewGuid()}\",\"requestStatus\":\"issuance_successful\",\"state\":\"{EntraCallback.StateOf(Core.Verification.Journey.VerifiedIdIssuance, Guid.NewGuid())}\"}}";
            var before = Verifications.Select(row => row.RowVersion).ToArray();

            var response = Deliver(forged);

            Assert.AreEqual("Ignored", response["Outcome"]);
            Assert.AreEqual("UNKNOWN_REQUEST", response["ReasonCode"]);
            CollectionAssert.AreEqual(before, Verifications.Select(row => row.RowVersion).ToArray());
        }

        [TestMethod]
        public void CallbackWithTheRightStateButAnotherRequestId_IsIgnored()
        {
            VerifyProofing();
            var issued = Issue();
            var state = EntraCallback.StateOf(Core.Verification.Journey.VerifiedIdIssuance, (Guid)issued["VerificationId"]);

            var response = Deliver($"{{\"requestId\":\"{Guid.NewGuid()}\",\"requestStatus\":\"issuance_successful\",\"state\":\"{state}\"}}");

            Assert.AreEqual("UNKNOWN_REQUEST", response["ReasonCode"]);
            Assert.AreEqual(Pending, Row(issued["VerificationId"]).GetAttributeValue<OptionSetValue>("okos_status").Value);
        }

        [TestMethod]
        public void AnIssuanceAcceptedAfterOurLocalExpiry_StillCounts_EntrasAnswerWins()
        {
            VerifyProofing();
            var issued = Issue();
            var id = (Guid)issued["VerificationId"];
            Dataverse.Overwrite(new Entity("okos_verification", id) { ["okos_expiresat"] = DateTime.UtcNow.AddMinutes(-1) });
            Call("okos_ReconcileVerifications", ("OlderThanMinutes", 0));
            Assert.AreEqual(Expired, Row(id).GetAttributeValue<OptionSetValue>("okos_status").Value, "our timer ran out first");
            var pin = (string)issued["Pin"];

            Entra.AcceptAsync(Entra.Requests.Single(request => request.IsIssuance).Id, pin.Length == 0 ? null : pin).GetAwaiter().GetResult();
            var late = DeliverCallbacks().Last();

            Assert.AreEqual("Applied", late["Outcome"]);
            Assert.AreEqual(Verified, Row(id).GetAttributeValue<OptionSetValue>("okos_status").Value);
        }

        [TestMethod]
        public void AFaceCheckPresentedAfterOurLocalExpiry_StillCounts_AsTheStepUpItIs()
        {
            IssueAndAccept();
            var id = (Guid)FaceCheck()["VerificationId"];
            Dataverse.Overwrite(new Entity("okos_verification", id) { ["okos_expiresat"] = DateTime.UtcNow.AddMinutes(-1) });
            Call("okos_ReconcileVerifications", ("OlderThanMinutes", 0));
            Assert.AreEqual(Expired, Row(id).GetAttributeValue<OptionSetValue>("okos_status").Value, "our timer ran out first");

            Entra.PresentAsync(Entra.Requests.Single(request => !request.IsIssuance).Id, 87).GetAwaiter().GetResult();
            DeliverCallbacks();

            Assert.AreEqual(Verified, Row(id).GetAttributeValue<OptionSetValue>("okos_status").Value);
            Assert.IsNotNull(Row(id).GetAttributeValue<DateTime?>("okos_laststepupat"));
        }

        [TestMethod]
        public void CallbackAfterTheRequestIsFinal_IsIgnoredAsNotPending()
        {
            VerifyProofing();
            var issued = Issue();
            var request = Entra.Requests.Single();
            var state = EntraCallback.StateOf(Core.Verification.Journey.VerifiedIdIssuance, (Guid)issued["VerificationId"]);
            Deliver($"{{\"requestId\":\"{request.Id}\",\"requestStatus\":\"issuance_error\",\"state\":\"{state}\",\"error\":{{\"code\":\"IssuanceFlowFailed\",\"message\":\"fetch_contract_error\"}}}}");

            var late = Deliver($"{{\"requestId\":\"{request.Id}\",\"requestStatus\":\"issuance_successful\",\"state\":\"{state}\"}}");

            Assert.AreEqual("Ignored", late["Outcome"]);
            Assert.AreEqual("NOT_PENDING", late["ReasonCode"]);
            var row = Row(issued["VerificationId"]);
            Assert.AreEqual(Failed, row.GetAttributeValue<OptionSetValue>("okos_status").Value);
            Assert.AreEqual("IssuanceFlowFailed: fetch_contract_error", row["okos_failurereason"]);
        }

        [TestMethod]
        public void NotificationWithMalformedEntraData_IsRejected()
        {
            VerifyProofing();
            const string id = "entra_malformed";
            var notification = $"{{\"type\":\"entra.issuance\",\"id\":\"{id}\",\"requestId\":\"R-1\",\"data\":{{\"requestId\":\"R-1\",\"requestStatus\":\"issuance_successful\"}}}}";

            var response = DeliverNotification(notification, id);

            Assert.AreEqual("Rejected", response["Outcome"]);
            Assert.AreEqual("MISSING_FIELDS", response["ReasonCode"]);
        }

        [TestMethod]
        public void AnEntraNotificationUnderAnIdNotDerivedFromItsRequest_IsRejected()
        {
            VerifyProofing();
            var issued = Issue();
            var state = EntraCallback.StateOf(Core.Verification.Journey.VerifiedIdIssuance, (Guid)issued["VerificationId"]);
            var callback = EntraCallback.Parse($"{{\"requestId\":\"{Entra.Requests.Single().Id}\",\"requestStatus\":\"issuance_successful\",\"state\":\"{state}\"}}", out _)!;
            var notification = callback.ToNotification(DateTimeOffset.UtcNow).Replace(callback.MessageId(), "entra_chosen-by-the-sender", StringComparison.Ordinal);

            var response = DeliverNotification(notification, "entra_chosen-by-the-sender");

            Assert.AreEqual("ID_MISMATCH", response["ReasonCode"]);
            Assert.AreEqual(Pending, Row(issued["VerificationId"]).GetAttributeValue<OptionSetValue>("okos_status").Value);
        }

        [TestMethod]
        public void NotificationWhoseDataNamesAnotherRequest_IsRejected()
        {
            VerifyProofing();
            var issued = Issue();
            var state = EntraCallback.StateOf(Core.Verification.Journey.VerifiedIdIssuance, (Guid)issued["VerificationId"]);
            var callback = EntraCallback.Parse($"{{\"requestId\":\"{Entra.Requests.Single().Id}\",\"requestStatus\":\"issuance_successful\",\"state\":\"{state}\"}}", out _)!;
            var notification = callback.ToNotification(DateTimeOffset.UtcNow).Replace($"\"requestId\":\"{callback.RequestId}\",\"occurredAt\"", "\"requestId\":\"someone-else\",\"occurredAt\"", StringComparison.Ordinal);

            var response = DeliverNotification(notification, callback.MessageId());

            Assert.AreEqual("SUBJECT_MISMATCH", response["ReasonCode"]);
            Assert.AreEqual(Pending, Row(issued["VerificationId"]).GetAttributeValue<OptionSetValue>("okos_status").Value);
        }

        [TestMethod]
        public void FaceCheckWithScore87_IsAFreshStepUpWithMatchConfidence()
        {
            IssueAndAccept();

            var started = FaceCheck();
            Assert.AreEqual("VerifiedIdFaceCheck", started["Journey"]);
            var request = Entra.Requests.Single(item => !item.IsIssuance);
            Assert.AreEqual(request.Id, started["SessionId"]);
            var wanted = request.Body["requestedCredentials"]![0]!;
            Assert.AreEqual(false, (bool?)request.Body["includeReceipt"], "no receipt with Face Check");
            Assert.AreEqual(70, (int?)wanted["configuration"]!["validation"]!["faceCheck"]!["matchConfidenceThreshold"]);
            Assert.AreEqual(Entra.Options.Authority, (string?)wanted["acceptedIssuers"]![0]);
            Entra.PresentAsync(request.Id, 87).GetAwaiter().GetResult();
            DeliverCallbacks();

            var row = Row(started["VerificationId"]);
            Assert.AreEqual(FaceCheckJourney, row.GetAttributeValue<OptionSetValue>("okos_journey").Value);
            Assert.AreEqual(Verified, row.GetAttributeValue<OptionSetValue>("okos_status").Value);
            Assert.AreEqual(0.87m, row.GetAttributeValue<decimal?>("okos_matchconfidence"));
            Assert.IsNotNull(row.GetAttributeValue<DateTime?>("okos_laststepupat"));
            Assert.AreEqual(EntraSimulator.WalletDid, row["okos_credentialdid"]);
            var status = Call("okos_GetVerificationStatus", ("Subject", ContactRef));
            Assert.IsTrue((bool)status["StepUpFresh"]);
            Assert.IsTrue(Notes.Any(note => note.GetAttributeValue<string>("subject") == "Face Check step-up passed" && note.GetAttributeValue<string>("notetext").Contains("87%", StringComparison.Ordinal)));
        }

        [TestMethod]
        public void FaceCheckUnderTheThreshold_FailsWithEntrasReason()
        {
            IssueAndAccept();
            var started = FaceCheck();

            Entra.PresentAsync(Entra.Requests.Single(item => !item.IsIssuance).Id, 62).GetAwaiter().GetResult();
            DeliverCallbacks();

            var row = Row(started["VerificationId"]);
            Assert.AreEqual(Failed, row.GetAttributeValue<OptionSetValue>("okos_status").Value);
            Assert.AreEqual("claimValidationError: Match confidence score failing to meet the threshold (Face Check threshold 70%).", row["okos_failurereason"]);
            Assert.IsNull(row.GetAttributeValue<DateTime?>("okos_laststepupat"));
            Assert.IsFalse((bool)Call("okos_GetVerificationStatus", ("Subject", ContactRef))["StepUpFresh"]);
        }

        [TestMethod]
        public void PresentationOfSomeoneElsesCredential_FailsEvenIfEntraVerifiedIt()
        {
            IssueAndAccept();
            var started = FaceCheck();
            var request = Entra.Requests.Single(item => !item.IsIssuance);
            var state = EntraCallback.StateOf(Core.Verification.Journey.VerifiedIdFaceCheck, (Guid)started["VerificationId"]);
            var forged = $"{{\"requestId\":\"{request.Id}\",\"requestStatus\":\"presentation_verified\",\"state\":\"{state}\",\"subject\":\"did:ion:other\","
                + $"\"verifiedCredentialsData\":[{{\"issuer\":\"{Entra.Options.Authority}\",\"type\":[\"VerifiableCredential\",\"{Entra.Options.CredentialType}\"],"
                + $"\"claims\":{{\"verificationId\":\"{Guid.NewGuid()}\"}},\"credentialState\":{{\"revocationStatus\":\"VALID\"}},\"faceCheck\":{{\"matchConfidenceScore\":95.5}}}}]}}";

            Deliver(forged);

            var row = Row(started["VerificationId"]);
            Assert.AreEqual(Failed, row.GetAttributeValue<OptionSetValue>("okos_status").Value);
            StringAssert.StartsWith(row.GetAttributeValue<string>("okos_failurereason"), "NOT_THIS_CONTACT");
            Assert.IsNull(row.GetAttributeValue<DateTime?>("okos_laststepupat"));
        }

        [TestMethod]
        public void FaceCheck_WithoutACredentialWithAPhoto_SaysItIsUnavailable()
        {
            Product.ConnectEntra(faceCheckPhoto: false);
            IssueAndAccept();

            var fault = Refused(() => FaceCheck());

            StringAssert.Contains(fault.Detail.Message, "Face Check is unavailable");
            Assert.IsFalse(Entra.Requests.Any(request => !request.IsIssuance));
            Assert.IsNull((string?)Entra.Requests.Single().Body["claims"]!["photo"], "no photo when the connection does not allow it");
        }

        [TestMethod]
        public void StepUp_WithAnUnknownMethod_IsRefused()
        {
            var fault = Refused(() => Call("okos_RequestStepUp", ("Subject", ContactRef), ("Reason", "Refund"), ("Method", "Selfie")));

            StringAssert.Contains(fault.Detail.Message, "use LiveId (the default) or VerifiedIdFaceCheck");
        }

        [TestMethod]
        public void IssueAfterProofing_OffersTheCredentialInTheSameExecution()
        {
            Arrange(product =>
            {
                product.Set("okos_IssueVerifiedIdAfterProofing", "yes");
                product.ConnectEntra();
            });

            VerifyProofing();

            var issuance = Verifications.Single(row => row.GetAttributeValue<OptionSetValue>("okos_journey").Value == IssuanceJourney);
            Assert.AreEqual(Pending, issuance.GetAttributeValue<OptionSetValue>("okos_status").Value);
            Assert.IsTrue(issuance.GetAttributeValue<bool>("okos_photoincluded"));
            Assert.IsNotNull((string?)Entra.Requests.Single().Body["claims"]!["photo"]);
            Assert.AreEqual(1, Simulator.Calls.Count(call => call.EndsWith("/document_share_session/result", StringComparison.Ordinal)),
                "the face crop comes from the result already in memory, not from a second read");
        }

        [TestMethod]
        public void IssueAfterProofing_WhenEntraFails_KeepsTheProofingAndSaysWhy()
        {
            Arrange(product =>
            {
                product.Set("okos_IssueVerifiedIdAfterProofing", "yes");
                product.ConnectEntra();
            });
            Entra.FailNext(503);

            VerifyProofing();

            Assert.AreEqual(Verified, Verifications.Single().GetAttributeValue<OptionSetValue>("okos_status").Value);
            Assert.IsTrue(Notes.Any(note => note.GetAttributeValue<string>("subject") == "Verified ID credential not issued"));
        }

        [TestMethod]
        public void NothingSecretReachesTracesOrNotes()
        {
            Product.ConnectEntra(pinLength: 16);
            IssueAndAccept();
            var pin = (string)Issue()["Pin"];
            FaceCheck();
            Entra.PresentAsync(Entra.Requests.Single(request => !request.IsIssuance).Id, 91).GetAwaiter().GetResult();
            DeliverCallbacks();

            var everything = Everything();

            Assert.AreEqual(16, pin.Length, "the first credential was accepted, so a second request is made, with a PIN");
            foreach (var canary in new[] { Entra.Options.ClientSecret, ProductSandbox.EntraApiKey, FacePhotoBase64[..24], pin }.Concat(Entra.Tokens))
            {
                Assert.IsFalse(everything.Contains(canary, StringComparison.Ordinal), $"a secret reached a trace or note: {canary[..6]}…");
            }
        }

        private sealed class Recorder(Action<IPluginExecutionContext> record) : IPlugin
        {
            public void Execute(IServiceProvider serviceProvider) => record((IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!);
        }
    }
}
