using System;
using System.Text;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Agreement;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Utilities;

namespace OneKosmos.Sandbox.BlockId
{
    /// <summary>
    /// The service side of 1Kosmos' crypto: a secp256k1 service key, ECDH with a caller's published key, and the
    /// AES-256-GCM envelope with a 16-byte IV. Written from docs/blockid-protocol.md on its own, not shared with the client,
    /// so a mistake on one side shows up as a failure rather than cancelling out.
    /// </summary>
    public sealed class ServerCrypto
    {
        private static readonly ECDomainParameters Domain = Create();
        private readonly ECPrivateKeyParameters _key;
        private readonly SecureRandom _random = new();

        public ServerCrypto()
        {
            var generator = new ECKeyPairGenerator();
            generator.Init(new ECKeyGenerationParameters(Domain, _random));
            var pair = generator.GenerateKeyPair();
            _key = (ECPrivateKeyParameters)pair.Private;
            PublicKey = Convert.ToBase64String(((ECPublicKeyParameters)pair.Public).Q.GetEncoded(false).AsSpan(1).ToArray());
        }

        /// <value>base64 X‖Y, as /publickeys publishes it.</value>
        public string PublicKey { get; }

        /// <summary>Decrypts a value a caller sealed for this service; null when it does not open (wrong key, altered, not base64).</summary>
        public string? Open(string callerPublicKey, string? sealedValue)
        {
            try
            {
                var raw = Convert.FromBase64String(sealedValue ?? "");
                var cipher = Cipher(false, SharedKey(callerPublicKey), raw.AsSpan(0, 16).ToArray());
                var plain = cipher.DoFinal(raw, 16, raw.Length - 16);
                return Encoding.UTF8.GetString(plain);
            }
            catch (Exception exception) when (exception is FormatException or ArgumentException or InvalidCipherTextException or DataLengthException)
            {
                return null;
            }
        }

        /// <summary>Seals a value for a caller: base64(IV[16] ‖ ciphertext ‖ tag).</summary>
        public string Seal(string callerPublicKey, string plaintext)
        {
            var iv = new byte[16];
            _random.NextBytes(iv);
            var sealedBytes = Cipher(true, SharedKey(callerPublicKey), iv).DoFinal(Encoding.UTF8.GetBytes(plaintext));
            return Convert.ToBase64String(Arrays.Concatenate(iv, sealedBytes));
        }

        /// <remarks>Kept per caller key, as a service would: each call would otherwise pay for several ECDH agreements.</remarks>
        private byte[] SharedKey(string callerPublicKey) => _sharedKeys.GetOrAdd(callerPublicKey, Agree);

        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> _sharedKeys = new(StringComparer.Ordinal);

        private byte[] Agree(string callerPublicKey)
        {
            var point = Domain.Curve.DecodePoint(Arrays.Prepend(Convert.FromBase64String(callerPublicKey), 0x04));
            var agreement = new ECDHBasicAgreement();
            agreement.Init(_key);
            return BigIntegers.AsUnsignedByteArray(32, agreement.CalculateAgreement(new ECPublicKeyParameters(point, Domain)));
        }

        private static IBufferedCipher Cipher(bool encrypt, byte[] key, byte[] iv)
        {
            var cipher = new BufferedAeadBlockCipher(new GcmBlockCipher(new AesEngine()));
            cipher.Init(encrypt, new AeadParameters(new KeyParameter(key), 128, iv));
            return cipher;
        }

        private static ECDomainParameters Create()
        {
            var curve = SecNamedCurves.GetByName("secp256k1");
            return new ECDomainParameters(curve.Curve, curve.G, curve.N, curve.H);
        }
    }
}
