using System;
using System.Linq;
using System.Net.Http;
using Microsoft.Extensions.Time.Testing;
using OneKosmos.Core.BlockId;
using OneKosmos.Core.Verification;
using OneKosmos.Sandbox.BlockId;
using Org.BouncyCastle.Security;

namespace OneKosmos.Core.Tests.BlockId
{
    /// <summary>The client against the BlockID simulator, in process: the real protocol, every failure kind.</summary>
    [TestClass]
    public sealed class BlockIdClientTests
    {
        private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

        private sealed class ClockOf : IClock
        {
            private readonly TimeProvider _time;

            public ClockOf(TimeProvider time)
            {
                _time = time;
            }

            public DateTimeOffset UtcNow => _time.GetUtcNow();
        }

        private FakeTimeProvider _time = null!;
        private BlockIdSimulator _simulator = null!;

        [TestInitialize]
        public void StartSimulator()
        {
            _time = new FakeTimeProvider(Now);
            _simulator = new BlockIdSimulator(new BlockIdSimulatorOptions { Clock = _time });
        }

        private BlockIdClient Client(string? licenseKey = null, string? dvcId = null, string? community = null)
        {
            var options = _simulator.Options;
            var connection = new BlockIdConnection(options.TenantDns, community ?? options.Community, licenseKey ?? options.LicenseKey, dvcId ?? options.DvcId);
            return new BlockIdClient(
                new HttpClient(new SimulatorHttpHandler(_simulator)),
                connection,
                BlockIdKeyPair.Generate(new SecureRandom()),
                new ClockOf(_time),
                new SecureRandom(),
                new TenantDirectory(),
                TimeSpan.FromMilliseconds(300));
        }

        private static DocumentSessionRequest Jane => new("6d1c7a44-3b35-4f39-9d4c-6e2d1f0a0b11", "Jane", "Doe", "ppt_object");

        private BlockIdException Failure(Action call)
        {
            var exception = Assert.ThrowsExactly<BlockIdException>(call);
            foreach (var secret in new[] { _simulator.Options.LicenseKey, _simulator.Options.DvcId })
            {
                Assert.IsFalse(exception.Message.Contains(secret, StringComparison.Ordinal), $"the message leaks a secret: {exception.Message}");
            }
            return exception;
        }

        [TestMethod]
        public void CreateDocumentSession_OpensOneSessionForThePerson()
        {
            var session = Client().CreateDocumentSession(Jane);

            var created = _simulator.Sessions.Single();
            Assert.AreEqual(created.Id, session.SessionId);
            Assert.AreEqual(Jane.PersonId, created.Uid);
            Assert.AreEqual("Jane", created.FirstName);
            Assert.AreEqual("ppt_object", created.DocumentType);
            StringAssert.Contains(session.CaptureUrl, created.Id);
            Assert.IsFalse(session.ToString().Contains(session.CaptureUrl, StringComparison.Ordinal));
        }

        [TestMethod]
        public void Bootstrap_IsFetchedOnceAndReused()
        {
            var client = Client();

            client.CreateDocumentSession(Jane);
            client.CreateDocumentSession(Jane);

            Assert.AreEqual(1, _simulator.Calls.Count(call => call == "GET /caas/sd"));
            Assert.AreEqual(1, _simulator.Calls.Count(call => call.EndsWith("/community_info/fetch", StringComparison.Ordinal)));
            Assert.AreEqual(1, _simulator.Calls.Count(call => call == "GET /docuverify/publickeys"));
        }

        [TestMethod]
        public void FetchResult_BeforeCapture_IsInProgress()
        {
            var client = Client();
            var session = client.CreateDocumentSession(Jane);

            Assert.AreEqual(SessionState.InProgress, client.FetchResult(session.SessionId).State);
        }

        [TestMethod]
        public void FetchResult_PassWithSelfie_DrivesTheStateToVerifiedIal2()
        {
            var client = Client();
            var session = client.CreateDocumentSession(Jane);
            _simulator.Complete(session.SessionId, CaptureOutcome.PassWithSelfie);

            var observation = client.FetchResult(session.SessionId);
            var state = VerificationStateMachine.Apply(new VerificationState(VerificationStatus.Pending, Now.AddHours(1)), observation, Now).After;

            Assert.AreEqual(VerificationStatus.Verified, state.Status);
            Assert.AreEqual(AssuranceLevel.IAL2, state.AssuranceLevel);
            Assert.AreEqual(1.0m, state.MatchConfidence);
            Assert.AreEqual("PASSPORT", state.DocumentType);
            Assert.AreEqual("FR", state.DocumentCountry);
        }

        [TestMethod]
        public void FetchResult_DocumentOnly_IsIal1()
        {
            var client = Client();
            var session = client.CreateDocumentSession(Jane);
            _simulator.Complete(session.SessionId, CaptureOutcome.DocumentOnly);

            Assert.AreEqual(AssuranceLevel.IAL1, ProofingRules.AssuranceLevelOf(client.FetchResult(session.SessionId)));
        }

        [TestMethod]
        public void FetchResult_Failures_CarryTheirReasonCodeInEitherSpelling()
        {
            var client = Client();
            var liveness = client.CreateDocumentSession(Jane);
            var unsupported = client.CreateDocumentSession(Jane);
            _simulator.Complete(liveness.SessionId, CaptureOutcome.LivenessFail);
            _simulator.Complete(unsupported.SessionId, CaptureOutcome.UnsupportedDocument);

            Assert.AreEqual("IDV0012", client.FetchResult(liveness.SessionId).ReasonCode);
            Assert.AreEqual("IDV0006", client.FetchResult(unsupported.SessionId).ReasonCode);
        }

        [TestMethod]
        public void LiveId_InProgressUntilApproved_ThenTheDidAndIalAsStated()
        {
            var client = Client();
            var session = client.CreateLiveIdSession();

            Assert.AreEqual(SessionState.InProgress, client.FetchLiveIdResponse(session.SessionId).State);
            _simulator.ApproveLiveId(session.SessionId, "did:blockid:jane", "IAL2");
            var approved = client.FetchLiveIdResponse(session.SessionId);

            CollectionAssert.Contains(_simulator.LiveIdSessions.ToArray(), session.SessionId);
            Assert.AreEqual(SessionState.Succeeded, approved.State);
            Assert.AreEqual("did:blockid:jane", approved.Did);
            Assert.AreEqual(AssuranceLevel.IAL2, approved.AssuranceLevel);
            Assert.IsFalse(session.ToString().Contains(session.ApprovalUrl, StringComparison.Ordinal));
        }

        [TestMethod]
        public void AProofing_KeepsTheProofTokensDocumentHash_AndNoDocumentData()
        {
            var client = Client();
            var session = client.CreateDocumentSession(Jane);
            _simulator.Complete(session.SessionId, CaptureOutcome.PassWithSelfie);

            var observation = client.FetchResult(session.SessionId);

            Assert.AreEqual(BlockIdSimulator.DocumentHashOf("Jane", "Doe"), observation.DocumentHash);
            Assert.AreEqual(128, observation.DocumentHash!.Length);
        }

        [TestMethod]
        public void TheApproversProofedDocuments_ComeFromTheirIalRecord_UnderTheDidThatApproved()
        {
            var client = Client();
            var session = client.CreateLiveIdSession();
            _simulator.RecordAppProof("did:blockid:jane", "aa11");
            _simulator.RecordAppProof("did:blockid:jane", "bb22");
            _simulator.ApproveLiveId(session.SessionId, "did:blockid:jane");

            var approved = client.FetchLiveIdResponse(session.SessionId);
            var documents = client.FetchProofedDocuments(approved.UserId!, approved.Did!);

            Assert.AreEqual(BlockIdSimulator.UserIdOf("did:blockid:jane"), approved.UserId);
            CollectionAssert.AreEquivalent(new[] { "aa11", "bb22" }, documents!.ToArray());
            Assert.IsNull(client.FetchProofedDocuments(approved.UserId!, "did:blockid:someone-else"), "proofs under another DID of the user are not this approver's");
        }

        [TestMethod]
        public void AnApproverWithoutProofs_OrUnknownTo1Kosmos_HasNoProofedDocuments()
        {
            var client = Client();
            var session = client.CreateLiveIdSession();
            _simulator.ApproveLiveId(session.SessionId, "did:blockid:fresh-app");

            Assert.IsNull(client.FetchProofedDocuments(BlockIdSimulator.UserIdOf("did:blockid:fresh-app"), "did:blockid:fresh-app"));
            Assert.IsNull(client.FetchProofedDocuments("user-nobody", "did:blockid:nobody"));
        }

        [TestMethod]
        public void AnIalRecordRead_WithABadLicense_IsRejectedNotReadAsNoProofs()
        {
            var session = Client().CreateLiveIdSession();
            _simulator.ApproveLiveId(session.SessionId, "did:blockid:jane");

            var failure = Failure(() => Client(licenseKey: "wrong").FetchProofedDocuments(BlockIdSimulator.UserIdOf("did:blockid:jane"), "did:blockid:jane"));

            Assert.AreEqual(401, failure.HttpStatus);
        }

        [TestMethod]
        public void Throttled_CarriesRetryAfterAndIsRetryable()
        {
            _simulator.InjectFault("/document_share_session/create", SimulatedFault.Throttle);

            var exception = Failure(() => Client().CreateDocumentSession(Jane));

            Assert.AreEqual(BlockIdFailure.Throttled, exception.Failure);
            Assert.AreEqual(TimeSpan.FromSeconds(30), exception.RetryAfter);
            Assert.IsTrue(exception.IsRetryable);
        }

        [TestMethod]
        public void SlowAnswerWithinTheTimeout_Succeeds_BeyondIt_IsTransient()
        {
            _simulator = new BlockIdSimulator(new BlockIdSimulatorOptions { Clock = _time, SlowResponseDelay = TimeSpan.FromMilliseconds(50) });
            _simulator.InjectFault("/document_share_session/create", SimulatedFault.Slow);
            Client().CreateDocumentSession(Jane);

            _simulator = new BlockIdSimulator(new BlockIdSimulatorOptions { Clock = _time, SlowResponseDelay = TimeSpan.FromSeconds(30) });
            _simulator.InjectFault("/document_share_session/create", SimulatedFault.Slow);

            Assert.AreEqual(BlockIdFailure.Transient, Failure(() => Client().CreateDocumentSession(Jane)).Failure);
        }

        [TestMethod]
        public void ServerError_IsTransient()
        {
            _simulator.InjectFault("/caas/sd", SimulatedFault.ServerError);

            Assert.AreEqual(BlockIdFailure.Transient, Failure(() => Client().CreateDocumentSession(Jane)).Failure);
        }

        [TestMethod]
        public void Timeout_IsTransientAndSaysSo()
        {
            _simulator.InjectFault("/document_share_session/create", SimulatedFault.TimeoutBeforeWork);

            var exception = Failure(() => Client().CreateDocumentSession(Jane));

            Assert.AreEqual(BlockIdFailure.Transient, exception.Failure);
            StringAssert.Contains(exception.Message, "did not answer");
            Assert.AreEqual(0, _simulator.Sessions.Count);
        }

        [TestMethod]
        public void TimeoutAfterTheSessionWasMade_IsTransientAndLeavesAnOrphanNobodyHoldsALinkTo()
        {
            _simulator.InjectFault("/document_share_session/create", SimulatedFault.TimeoutAfterWork);

            Assert.AreEqual(BlockIdFailure.Transient, Failure(() => Client().CreateDocumentSession(Jane)).Failure);
            Assert.AreEqual(1, _simulator.Sessions.Count);
        }

        [TestMethod]
        public void WrongLicenseKey_IsRejectedWithAdviceAndWithoutTheKey()
        {
            var exception = Failure(() => Client(licenseKey: "wrong-license-key").CreateDocumentSession(Jane));

            Assert.AreEqual(BlockIdFailure.Rejected, exception.Failure);
            StringAssert.Contains(exception.Message, "Check the license key");
            Assert.IsFalse(exception.Message.Contains("wrong-license-key", StringComparison.Ordinal));
        }

        [TestMethod]
        public void WrongDvcId_IsRejected()
        {
            Assert.AreEqual(BlockIdFailure.Rejected, Failure(() => Client(dvcId: "not-the-dvc").CreateDocumentSession(Jane)).Failure);
        }

        [TestMethod]
        public void UnknownCommunity_IsRejectedNamingIt()
        {
            var exception = Failure(() => Client(community: "elsewhere").CreateDocumentSession(Jane));

            Assert.AreEqual(BlockIdFailure.Rejected, exception.Failure);
            StringAssert.Contains(exception.Message, "Unable to load tenant/community");
        }

        [TestMethod]
        public void MalformedBody_IsMalformed()
        {
            var client = Client();
            var session = client.CreateDocumentSession(Jane);
            _simulator.InjectFault("/v3/document_share_session/result", SimulatedFault.MalformedBody);

            Assert.AreEqual(BlockIdFailure.Malformed, Failure(() => client.FetchResult(session.SessionId)).Failure);
        }

        [TestMethod]
        public void ResultSealedWithAnotherKey_IsMalformed()
        {
            var client = Client();
            var session = client.CreateDocumentSession(Jane);
            _simulator.InjectFault("/v3/document_share_session/result", SimulatedFault.WrongResponseKey);

            Assert.AreEqual(BlockIdFailure.Malformed, Failure(() => client.FetchResult(session.SessionId)).Failure);
        }

        [TestMethod]
        public void StaleRequestTimestamp_IsRefusedByTheTenant()
        {
            var client = Client();
            client.CreateDocumentSession(Jane);
            var skewed = new BlockIdClient(
                new HttpClient(new SimulatorHttpHandler(_simulator)),
                new BlockIdConnection(_simulator.Options.TenantDns, _simulator.Options.Community, _simulator.Options.LicenseKey, _simulator.Options.DvcId),
                BlockIdKeyPair.Generate(new SecureRandom()),
                new ClockOf(new FakeTimeProvider(Now.AddMinutes(-5))),
                new SecureRandom(),
                new TenantDirectory());

            Assert.AreEqual(BlockIdFailure.Rejected, Failure(() => skewed.CreateDocumentSession(Jane)).Failure);
        }
    }
}
