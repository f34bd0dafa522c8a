using System;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace OneKosmos.Core.BlockId
{
    /// <summary>
    /// Reads the claims of a 1Kosmos proof token (<c>proof_jwt</c> of a result, <c>proof</c> of an IAL record's proofs). They
    /// are HS256 with a key only 1Kosmos has: readable, not verifiable by us, so they are trusted as far as the TLS and
    /// AES-GCM channel they came through (blockid-protocol.md C.2, security notes).
    /// </summary>
    internal static class ProofToken
    {
        /// <returns>The payload's claims; null when <paramref name="jwt"/> is not a token at all.</returns>
        /// <exception cref="BlockIdException">The payload cannot be read (Malformed).</exception>
        public static JObject? Claims(string? jwt)
        {
            var parts = jwt?.Split('.');
            if (parts is null || parts.Length < 2)
            {
                return null;
            }
            try
            {
                return JObject.Parse(Encoding.UTF8.GetString(Base64Url(parts[1])));
            }
            catch (Exception exception) when (exception is JsonException or FormatException)
            {
                throw new BlockIdException(BlockIdFailure.Malformed, "1Kosmos returned a proof token whose payload cannot be read.", inner: exception);
            }
        }

        /// <summary>The token's one-way hash of the document it proves (<c>document.hash</c>), null when it names none.</summary>
        public static string? DocumentHashOf(JObject? claims) =>
            claims?["document"]?["hash"] is JValue { Type: JTokenType.String } hash && !string.IsNullOrWhiteSpace((string?)hash)
                ? ((string)hash!).Trim().ToLowerInvariant()
                : null;

        private static byte[] Base64Url(string text)
        {
            var padded = text.Replace('-', '+').Replace('_', '/');
            return Convert.FromBase64String(padded + new string('=', (4 - padded.Length % 4) % 4));
        }
    }
}
