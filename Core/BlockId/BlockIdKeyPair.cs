using System;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Agreement;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Utilities;

namespace OneKosmos.Core.BlockId
{
    /// <summary>A secp256k1 key pair in 1Kosmos' wire format, and the raw ECDH shared key with a service's public key.</summary>
    /// <remarks>
    /// Public keys travel as base64 of X‖Y (64 bytes, no 0x04 prefix); the shared key is the 32-byte X coordinate of
    /// the ECDH point, used as the AES-256 key without any hashing (blockid-protocol.md B.1–B.2).
    /// </remarks>
    public sealed class BlockIdKeyPair
    {
        private static readonly X9ECParameters Curve = SecNamedCurves.GetByName("secp256k1");
        private static readonly ECDomainParameters Domain = new(Curve.Curve, Curve.G, Curve.N, Curve.H, Curve.GetSeed());

        private readonly ECPrivateKeyParameters _privateKey;

        private BlockIdKeyPair(ECPrivateKeyParameters privateKey)
        {
            _privateKey = privateKey;
            var point = Domain.G.Multiply(privateKey.D).Normalize().GetEncoded(false);
            PublicKey = Convert.ToBase64String(point, 1, 64);
        }

        /// <value>base64(X‖Y), as the <c>publickey</c> header carries it.</value>
        public string PublicKey { get; }

        public static BlockIdKeyPair Generate(SecureRandom random)
        {
            var generator = new ECKeyPairGenerator();
            generator.Init(new ECKeyGenerationParameters(Domain, random));
            return new BlockIdKeyPair((ECPrivateKeyParameters)generator.GenerateKeyPair().Private);
        }

        /// <param name="privateKey">base64 of the 32-byte private scalar.</param>
        public static BlockIdKeyPair FromPrivateKey(string privateKey) =>
            new(new ECPrivateKeyParameters(new BigInteger(1, Convert.FromBase64String(privateKey)), Domain));

        /// <summary>The 32-byte AES key shared with the holder of <paramref name="peerPublicKey"/>.</summary>
        /// <remarks>
        /// Kept for the few service keys a tenant has, so each call does not pay for an ECDH agreement again; keys beyond
        /// <see cref="MostKeptKeys"/> (per-response keys) are agreed each time, so the cache cannot grow without bound.
        /// </remarks>
        /// <exception cref="BlockIdException">The peer key is not a 64-byte secp256k1 point (Malformed).</exception>
        public byte[] SharedKeyWith(string peerPublicKey)
        {
            if (_sharedKeys.TryGetValue(peerPublicKey, out var kept))
            {
                return kept;
            }
            var key = Agree(peerPublicKey);
            if (_sharedKeys.Count < MostKeptKeys)
            {
                _sharedKeys.TryAdd(peerPublicKey, key);
            }
            return key;
        }

        public const int MostKeptKeys = 16;

        /// <value>How many shared keys are kept: never more than <see cref="MostKeptKeys"/>.</value>
        public int KeptKeys => _sharedKeys.Count;

        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> _sharedKeys = new(StringComparer.Ordinal);

        private byte[] Agree(string peerPublicKey)
        {
            ECPublicKeyParameters peer;
            try
            {
                var raw = Convert.FromBase64String(peerPublicKey);
                if (raw.Length != 64)
                {
                    throw new FormatException("not 64 bytes");
                }
                peer = new ECPublicKeyParameters(Domain.Curve.DecodePoint(Arrays.Prepend(raw, 0x04)), Domain);
            }
            catch (Exception exception) when (exception is FormatException or ArgumentException)
            {
                throw new BlockIdException(BlockIdFailure.Malformed, "1Kosmos sent a public key that is not a secp256k1 point; check the tenant's service directory.", inner: exception);
            }
            var agreement = new ECDHBasicAgreement();
            agreement.Init(_privateKey);
            return BigIntegers.AsUnsignedByteArray(32, agreement.CalculateAgreement(peer));
        }
    }
}
