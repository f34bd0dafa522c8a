using System;
using System.Collections.Generic;
using Newtonsoft.Json;
using OneKosmos.Core.Verification;
using Org.BouncyCastle.Security;

namespace OneKosmos.Core.BlockId
{
    /// <summary>
    /// The headers that authenticate one call to a 1Kosmos service (blockid-protocol.md B.5): our public key in clear, the license
    /// key and a fresh request id each encrypted with the key shared with that service.
    /// </summary>
    public sealed class RequestCredentials
    {
        /// <value>The app id our request ids carry: stable, ours.</value>
        public const string AppId = "com.onekosmos.dataverse";

        private readonly BlockIdKeyPair _keys;
        private readonly string _licenseKey;
        private readonly IClock _clock;
        private readonly SecureRandom _random;

        public RequestCredentials(BlockIdKeyPair keys, string servicePublicKey, string licenseKey, IClock clock, SecureRandom random)
        {
            _keys = keys;
            _licenseKey = licenseKey;
            _clock = clock;
            _random = random;
            Envelope = new AesGcmEnvelope(keys.SharedKeyWith(servicePublicKey), random);
        }

        /// <value>Encrypts request bodies ({"data": …}) and decrypts responses for the same service.</value>
        public AesGcmEnvelope Envelope { get; }

        /// <summary>A new set of headers: every call gets its own request id, IV and timestamp.</summary>
        public IReadOnlyDictionary<string, string> NewHeaders()
        {
            var requestId = JsonConvert.SerializeObject(new { ts = _clock.UtcNow.ToUnixTimeSeconds(), uuid = NewUuid().ToString("D"), appid = AppId });
            return new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["publickey"] = _keys.PublicKey,
                ["licensekey"] = Envelope.Encrypt(_licenseKey),
                ["requestid"] = Envelope.Encrypt(requestId),
            };
        }

        /// <summary>A random (version 4) UUID from the injected random source.</summary>
        private Guid NewUuid()
        {
            var bytes = new byte[16];
            _random.NextBytes(bytes);
            bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
            bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
            return new Guid(bytes);
        }
    }
}
