using System;
using System.Text;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace OneKosmos.Core.BlockId
{
    /// <summary>1Kosmos' AES-256-GCM envelope: base64(IV[16] ‖ ciphertext ‖ tag[16]), no associated data (blockid-protocol.md B.4).</summary>
    /// <remarks>The 16-byte IV rules out .NET's AesGcm (12-byte nonces only); BouncyCastle's GCM takes it.</remarks>
    public sealed class AesGcmEnvelope
    {
        private const int IvLength = 16;
        private const int TagBits = 128;

        private readonly byte[] _key;
        private readonly SecureRandom _random;

        public AesGcmEnvelope(byte[] sharedKey, SecureRandom random)
        {
            if (sharedKey is null || sharedKey.Length != 32)
            {
                throw new ArgumentException("An AES-256 key has 32 bytes.", nameof(sharedKey));
            }
            _key = sharedKey;
            _random = random;
        }

        /// <remarks>Every call draws a fresh random IV: one must never repeat under the same key.</remarks>
        public string Encrypt(string plaintext)
        {
            var iv = new byte[IvLength];
            _random.NextBytes(iv);
            var cipher = Cipher(forEncryption: true, iv);
            var input = Encoding.UTF8.GetBytes(plaintext);
            var output = new byte[cipher.GetOutputSize(input.Length)];
            var written = cipher.ProcessBytes(input, 0, input.Length, output, 0);
            cipher.DoFinal(output, written);
            var envelope = new byte[IvLength + output.Length];
            Buffer.BlockCopy(iv, 0, envelope, 0, IvLength);
            Buffer.BlockCopy(output, 0, envelope, IvLength, output.Length);
            return Convert.ToBase64String(envelope);
        }

        /// <exception cref="BlockIdException">Not base64, too short, or the tag does not match (Malformed): wrong key or tampered data.</exception>
        public string Decrypt(string envelope)
        {
            byte[] raw;
            try
            {
                raw = Convert.FromBase64String(envelope ?? "");
            }
            catch (FormatException exception)
            {
                throw Malformed("is not base64", exception);
            }
            if (raw.Length < IvLength + TagBits / 8)
            {
                throw Malformed("is too short to hold an IV and a tag", null);
            }
            var iv = new byte[IvLength];
            Buffer.BlockCopy(raw, 0, iv, 0, IvLength);
            var cipher = Cipher(forEncryption: false, iv);
            var output = new byte[cipher.GetOutputSize(raw.Length - IvLength)];
            try
            {
                var written = cipher.ProcessBytes(raw, IvLength, raw.Length - IvLength, output, 0);
                written += cipher.DoFinal(output, written);
                return Encoding.UTF8.GetString(output, 0, written);
            }
            catch (InvalidCipherTextException exception)
            {
                throw Malformed("does not decrypt with the agreed key (wrong key or altered data)", exception);
            }
        }

        private GcmBlockCipher Cipher(bool forEncryption, byte[] iv)
        {
            var cipher = new GcmBlockCipher(new AesEngine());
            cipher.Init(forEncryption, new AeadParameters(new KeyParameter(_key), TagBits, iv));
            return cipher;
        }

        private static BlockIdException Malformed(string problem, Exception? inner) =>
            new(BlockIdFailure.Malformed, $"A 1Kosmos encrypted value {problem}.", inner: inner);
    }
}
