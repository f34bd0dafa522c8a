using System;
using System.Linq;
using OneKosmos.Core.BlockId;
using Org.BouncyCastle.Security;

namespace OneKosmos.Core.Tests.BlockId
{
    /// <summary>The facts' B.6 test vector, byte for byte, and the envelope's failure modes.</summary>
    [TestClass]
    public sealed class EnvelopeTests
    {
        private const string ClientPrivateKey = "cGB/g7jd/jw1v4z8FDfoeppYQ6y1IJAYzPPkzKkCc4w=";
        private const string ClientPublicKey = "os9skQhJpyJIz7g5xgopwlN3N7eqMR9XMupvIIZf+CkB0V5ADDDdQ0wfA8KqH98NuFch4cIm6qwfuLGwoPCk+A==";
        private const string ServerPublicKey = "4tW63RBUPYX7Vo0pUUCbgacZd1kCbq18mbSKJskOFGqmegPjRqIZg5Z+3JJNQCDWCo0CMDI/RDke+cKyWKx2nw==";
        private const string SharedKey = "M9glxuzVpQEtfNLIjhMcAeLWno4yx9OxBoTibdLHY2U=";
        private const string Ciphertext = "vlTj05byMjznI/UuAcQt8um1mlHPh4cvSabjsKOyPuYYaXimOUCHMSPKy6T/5rcsHu5CN7AmHbAseP2MA96I+1YOt0iSeFi/qneFAFJBy2i3XpefqkyO+M/bj0tusgHi48y59W7DiRs37d4=";
        private const string Plaintext = "{\"responseStatus\":\"INPROGRESS\",\"id\":\"4f7daced-f8d8-4309-961a-c80f8e8d5829\"}";

        private static AesGcmEnvelope VectorEnvelope(SecureRandom? random = null) =>
            new(BlockIdKeyPair.FromPrivateKey(ClientPrivateKey).SharedKeyWith(ServerPublicKey), random ?? new SecureRandom());

        /// <summary>Hands out given bytes, so a known IV can be replayed.</summary>
        private sealed class ReplayedRandom : SecureRandom
        {
            private readonly byte[] _bytes;

            public ReplayedRandom(byte[] bytes)
            {
                _bytes = bytes;
            }

            public override void NextBytes(byte[] buffer) => Buffer.BlockCopy(_bytes, 0, buffer, 0, buffer.Length);
        }

        [TestMethod]
        public void PublicKey_OfTheVectorsPrivateKey_IsTheVectorsPublicKey()
        {
            Assert.AreEqual(ClientPublicKey, BlockIdKeyPair.FromPrivateKey(ClientPrivateKey).PublicKey);
        }

        [TestMethod]
        public void SharedKey_IsTheRawEcdhXCoordinate()
        {
            var shared = BlockIdKeyPair.FromPrivateKey(ClientPrivateKey).SharedKeyWith(ServerPublicKey);

            Assert.AreEqual(SharedKey, Convert.ToBase64String(shared));
            Assert.AreEqual("33d825c6ecd5a5012d7cd2c88e131c01e2d69e8e32c7d3b10684e26dd2c76365", Convert.ToHexStringLower(shared));
        }

        [TestMethod]
        public void Decrypt_TheVectorsData_GivesItsPlaintext()
        {
            Assert.AreEqual(Plaintext, VectorEnvelope().Decrypt(Ciphertext));
        }

        [TestMethod]
        public void Encrypt_WithTheVectorsIv_ReproducesItsDataByteForByte()
        {
            var iv = Convert.FromHexString("be54e3d396f2323ce723f52e01c42df2");

            Assert.AreEqual(Ciphertext, VectorEnvelope(new ReplayedRandom(iv)).Encrypt(Plaintext));
        }

        [TestMethod]
        public void Encrypt_Twice_UsesAFreshIvEachTime()
        {
            var envelope = VectorEnvelope();

            var first = envelope.Encrypt(Plaintext);
            var second = envelope.Encrypt(Plaintext);

            Assert.AreNotEqual(first, second);
            Assert.AreEqual(Plaintext, envelope.Decrypt(first));
            Assert.AreEqual(107, Convert.FromBase64String(first).Length);
        }

        [TestMethod]
        public void Decrypt_AlteredData_IsMalformed()
        {
            var raw = Convert.FromBase64String(Ciphertext);
            raw[40] ^= 0x01;

            var exception = Assert.ThrowsExactly<BlockIdException>(() => VectorEnvelope().Decrypt(Convert.ToBase64String(raw)));

            Assert.AreEqual(BlockIdFailure.Malformed, exception.Failure);
            Assert.IsFalse(exception.IsRetryable);
        }

        [TestMethod]
        public void SharedKeys_AreKeptForAFewServices_AndStayRightBeyondThem()
        {
            var ours = BlockIdKeyPair.Generate(new SecureRandom());
            var peers = Enumerable.Range(0, BlockIdKeyPair.MostKeptKeys + 4).Select(_ => BlockIdKeyPair.Generate(new SecureRandom())).ToList();

            foreach (var round in Enumerable.Range(0, 2))
            {
                foreach (var peer in peers)
                {
                    CollectionAssert.AreEqual(peer.SharedKeyWith(ours.PublicKey), ours.SharedKeyWith(peer.PublicKey), $"round {round}");
                }
            }

            Assert.AreEqual(BlockIdKeyPair.MostKeptKeys, ours.KeptKeys, "per-response keys never grow the cache");
        }

        [TestMethod]
        public void Decrypt_WithAnotherKey_IsMalformed()
        {
            var stranger = BlockIdKeyPair.Generate(new SecureRandom());
            var envelope = new AesGcmEnvelope(stranger.SharedKeyWith(ServerPublicKey), new SecureRandom());

            Assert.AreEqual(BlockIdFailure.Malformed, Assert.ThrowsExactly<BlockIdException>(() => envelope.Decrypt(Ciphertext)).Failure);
        }

        [TestMethod]
        public void Decrypt_NotBase64OrTooShort_IsMalformed()
        {
            Assert.AreEqual(BlockIdFailure.Malformed, Assert.ThrowsExactly<BlockIdException>(() => VectorEnvelope().Decrypt("not base64!")).Failure);
            Assert.AreEqual(BlockIdFailure.Malformed, Assert.ThrowsExactly<BlockIdException>(() => VectorEnvelope().Decrypt(Convert.ToBase64String(new byte[20]))).Failure);
        }

        [TestMethod]
        public void SharedKeyWith_AKeyThatIsNoPoint_IsMalformed()
        {
            var keys = BlockIdKeyPair.FromPrivateKey(ClientPrivateKey);

            Assert.AreEqual(BlockIdFailure.Malformed, Assert.ThrowsExactly<BlockIdException>(() => keys.SharedKeyWith(Convert.ToBase64String(new byte[64]))).Failure);
            Assert.AreEqual(BlockIdFailure.Malformed, Assert.ThrowsExactly<BlockIdException>(() => keys.SharedKeyWith(Convert.ToBase64String(new byte[33]))).Failure);
        }

        [TestMethod]
        public void GeneratedPairs_AgreeOnOneSharedKeyBothWays()
        {
            var ours = BlockIdKeyPair.Generate(new SecureRandom());
            var theirs = BlockIdKeyPair.Generate(new SecureRandom());

            CollectionAssert.AreEqual(ours.SharedKeyWith(theirs.PublicKey), theirs.SharedKeyWith(ours.PublicKey));
            Assert.AreEqual(88, ours.PublicKey.Length);
        }
    }
}
