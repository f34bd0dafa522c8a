using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OneKosmos.Core.Callbacks
{
    /// <summary>How a signed message fared.</summary>
    public enum SignatureCheck
    {
        Valid,
        /// <summary>A header is missing or not in the expected form.</summary>
        Malformed,
        /// <summary>The timestamp is older than the tolerance: a replay, or a message held too long.</summary>
        Stale,
        /// <summary>The timestamp is further ahead than the tolerance.</summary>
        Future,
        /// <summary>No signature matches any current secret.</summary>
        Mismatch,
    }

    /// <summary>
    /// The Standard Webhooks scheme (docs/design.md §1 rule 1): <c>v1,</c> base64 HMAC-SHA256 over <c>{id}.{timestamp}.{body}</c>
    /// keyed with a <c>whsec_</c> secret; several space-separated signatures and several secrets, so a secret can be
    /// rotated without losing a message; constant-time comparison; a ±5-minute window.
    /// </summary>
    /// <remarks>Pure BCL and compiled into both the plug-ins (net462) and the relay (net10.0) from this one file.</remarks>
    public static class WebhookSignature
    {
        /// <value>How far a message's timestamp may be from now. Default 5 minutes, as the scheme recommends.</value>
        public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

        /// <value>
        /// The fewest random bytes a signing secret may hold. Default 24, the lower bound the Standard Webhooks libraries
        /// generate and accept: a shorter key could be guessed, and a forged signature would pass.
        /// </value>
        public const int MinimumSecretBytes = 24;

        private const string SecretPrefix = "whsec_";
        private const string VersionPrefix = "v1,";

        /// <summary>The signature header value for one message.</summary>
        /// <exception cref="ArgumentException">The secret is not whsec_ followed by base64.</exception>
        public static string Sign(string secret, string messageId, long timestamp, string body) =>
            VersionPrefix + Convert.ToBase64String(Mac(KeyOf(secret), messageId, timestamp.ToString(CultureInfo.InvariantCulture), body));

        /// <summary>Whether <paramref name="secret"/> can sign: whsec_ followed by base64 of at least <see cref="MinimumSecretBytes"/> bytes.</summary>
        public static bool IsUsableSecret(string? secret) => TryKey(secret, out _);

        /// <exception cref="ArgumentException">A secret is not usable (<see cref="IsUsableSecret"/>): a configuration error, not the sender's.</exception>
        public static SignatureCheck Verify(IEnumerable<string> secrets, string? messageId, string? timestamp, string? signatureHeader, string? body, DateTimeOffset now)
        {
            if (string.IsNullOrEmpty(messageId) || string.IsNullOrEmpty(signatureHeader) || body is null
                || !TryTimestamp(timestamp, out var seconds))
            {
                return SignatureCheck.Malformed;
            }
            var age = now - DateTimeOffset.FromUnixTimeSeconds(seconds);
            if (age > Tolerance)
            {
                return SignatureCheck.Stale;
            }
            if (age < -Tolerance)
            {
                return SignatureCheck.Future;
            }
            var offered = new List<byte[]>();
            foreach (var part in signatureHeader!.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries))
            {
                if (part.StartsWith(VersionPrefix, StringComparison.Ordinal) && TryBase64(part.Substring(VersionPrefix.Length), out var signature))
                {
                    offered.Add(signature);
                }
            }
            if (offered.Count == 0)
            {
                return SignatureCheck.Malformed;
            }
            foreach (var secret in secrets)
            {
                var expected = Mac(KeyOf(secret), messageId!, timestamp!, body);
                foreach (var signature in offered)
                {
                    if (FixedTimeEquals(expected, signature))
                    {
                        return SignatureCheck.Valid;
                    }
                }
            }
            return SignatureCheck.Mismatch;
        }

        private static byte[] Mac(byte[] key, string messageId, string timestamp, string body)
        {
            using var hmac = new HMACSHA256(key);
            return hmac.ComputeHash(Encoding.UTF8.GetBytes(messageId + "." + timestamp + "." + body));
        }

        /// <summary>Whether <paramref name="timestamp"/> is a Unix time in whole seconds that a calendar holds (up to the year 9999).</summary>
        public static bool IsTimestamp(string? timestamp) => TryTimestamp(timestamp, out _);

        private static bool TryTimestamp(string? timestamp, out long seconds) =>
            long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out seconds) && seconds <= MaxUnixSeconds;

        /// <value>The last second DateTimeOffset can hold (9999-12-31T23:59:59Z).</value>
        private const long MaxUnixSeconds = 253402300799;

        private static byte[] KeyOf(string secret) =>
            TryKey(secret, out var key)
                ? key
                : throw new ArgumentException($"A callback signing secret must be whsec_ followed by base64 of at least {MinimumSecretBytes} random bytes.", nameof(secret));

        private static bool TryKey(string? secret, out byte[] key)
        {
            key = Array.Empty<byte>();
            if (string.IsNullOrEmpty(secret))
            {
                return false;
            }
            var encoded = secret!.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret.Substring(SecretPrefix.Length) : secret;
            return TryBase64(encoded, out key) && key.Length >= MinimumSecretBytes;
        }

        private static bool TryBase64(string text, out byte[] bytes)
        {
            try
            {
                bytes = Convert.FromBase64String(text);
                return true;
            }
            catch (FormatException)
            {
                bytes = Array.Empty<byte>();
                return false;
            }
        }

        /// <remarks>Compares every byte whatever the first difference, so timing reveals nothing about the expected value.</remarks>
        private static bool FixedTimeEquals(byte[] expected, byte[] offered)
        {
            if (expected.Length != offered.Length)
            {
                return false;
            }
            var difference = 0;
            for (var i = 0; i < expected.Length; i++)
            {
                difference |= expected[i] ^ offered[i];
            }
            return difference == 0;
        }
    }
}
