using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using OneKosmos.Core.BlockId;
using OneKosmos.Core.Callbacks;
using OneKosmos.Core.Verification;
using Org.BouncyCastle.Security;

namespace OneKosmos.Benchmarks
{
    /// <summary>Per-call costs of the pure parts: the 1Kosmos header envelope, the callback signature and parse, the state machine.</summary>
    [MemoryDiagnoser]
    public class CryptoAndParsingBenchmarks
    {
        private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        private const string MessageId = "blockid-evt-1";
        private const string Body = """{"type":"blockid.idv","id":"blockid-evt-1","sessionId":"0f8fad5b-d9cb-469f-a165-70867728950e","occurredAt":"2026-11-27T08:00:00Z","data":{"event":"E_IDV_DOCUMENT_VALIDATE"}}""";

        private readonly SecureRandom _random = new();
        private AesGcmEnvelope _envelope = null!;
        private RequestCredentials _credentials = null!;
        private string _sealed = "";
        private string _signature = "";
        private long _timestamp;
        private readonly VerificationState _pending = new(VerificationStatus.Pending, DateTimeOffset.UtcNow.AddMinutes(30));
        private readonly ProofingObservation _passed = new(SessionState.Succeeded, "COMPLETED", new Dictionary<string, bool>
        {
            ["document_liveness_front"] = true, ["document_validation"] = true, ["face_liveness"] = true, ["face_compare"] = true,
        }, "dl_object", "USA", new DateTime(2030, 1, 1), providerScore: 0.97m);

        [GlobalSetup]
        public void Setup()
        {
            var ours = BlockIdKeyPair.Generate(_random);
            var service = BlockIdKeyPair.Generate(_random);
            _envelope = new AesGcmEnvelope(ours.SharedKeyWith(service.PublicKey), _random);
            _credentials = new RequestCredentials(ours, service.PublicKey, "license-key-for-benchmarks", SystemClock.Instance, _random);
            _sealed = _envelope.Encrypt(Body);
            _timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            _signature = WebhookSignature.Sign(Secret, MessageId, _timestamp, Body);
        }

        [Benchmark(Description = "1Kosmos request headers (license key and request id sealed)")]
        public IReadOnlyDictionary<string, string> RequestHeaders() => _credentials.NewHeaders();

        [Benchmark(Description = "AES-GCM seal of a 200-byte body")]
        public string Seal() => _envelope.Encrypt(Body);

        [Benchmark(Description = "AES-GCM open of a 200-byte body")]
        public string Open() => _envelope.Decrypt(_sealed);

        [Benchmark(Description = "Standard Webhooks signature check")]
        public SignatureCheck VerifySignature() =>
            WebhookSignature.Verify(new[] { Secret }, MessageId, _timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), _signature, Body, DateTimeOffset.UtcNow);

        [Benchmark(Description = "callback notification parse")]
        public Notification? ParseNotification() => Notification.Parse(Body, MessageId, out _);

        [Benchmark(Description = "state machine: Pending + passed result")]
        public Transition ApplyResult() => VerificationStateMachine.Apply(_pending, _passed, DateTimeOffset.UtcNow);
    }
}
