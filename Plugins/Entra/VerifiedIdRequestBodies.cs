using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json.Linq;
using OneKosmos.Core.Callbacks;

namespace OneKosmos.Plugins.Entra
{
    /// <summary>The request bodies of createIssuanceRequest and createPresentationRequest (docs/entra-verified-id.md), built from the connection.</summary>
    internal static class VerifiedIdRequestBodies
    {
        /// <summary>Our credential with these claims, into the person's wallet; <paramref name="pin"/> (or null) is sent hashed with a fresh salt.</summary>
        public static JObject Issuance(VerifiedIdConnection connection, string state, IReadOnlyDictionary<string, string> claims, string? pin)
        {
            var body = new JObject
            {
                ["authority"] = connection.Authority,
                // The default differs between versions of Microsoft's docs: said explicitly, and the panel draws the QR code itself.
                ["includeQRCode"] = false,
                ["callback"] = Callback(connection, state),
                ["registration"] = new JObject { ["clientName"] = connection.ClientName },
                ["type"] = connection.CredentialType,
                // "manifest", as the API reference and Microsoft's sample spell it (one get-started page says manifestUrl).
                ["manifest"] = connection.ManifestUrl,
                ["claims"] = JObject.FromObject(claims),
            };
            if (pin is not null)
            {
                body["pin"] = HashedPin(pin);
            }
            return body;
        }

        /// <summary>Our credential, presented with Face Check, limited to credentials issued for <paramref name="issuedForVerifications"/>.</summary>
        public static JObject Presentation(VerifiedIdConnection connection, string state, string purpose, IReadOnlyCollection<string> issuedForVerifications)
        {
            var body = new JObject
            {
                ["authority"] = connection.Authority,
                ["includeQRCode"] = false,
                // A receipt cannot be combined with Face Check.
                ["includeReceipt"] = false,
                ["registration"] = new JObject { ["clientName"] = connection.ClientName, ["purpose"] = purpose },
                ["callback"] = Callback(connection, state),
                ["requestedCredentials"] = new JArray(new JObject
                {
                    ["type"] = connection.CredentialType,
                    ["purpose"] = purpose,
                    ["acceptedIssuers"] = new JArray(connection.Authority),
                    ["configuration"] = new JObject
                    {
                        ["validation"] = new JObject
                        {
                            ["allowRevoked"] = false,
                            ["faceCheck"] = new JObject
                            {
                                ["sourcePhotoClaimName"] = VerifiedIdClaims.Photo,
                                ["matchConfidenceThreshold"] = connection.FaceCheckThreshold,
                            },
                        },
                    },
                    ["constraints"] = new JArray(new JObject
                    {
                        ["claimName"] = EntraCallback.VerificationIdClaim,
                        ["values"] = new JArray(new List<string>(issuedForVerifications).ToArray()),
                    }),
                }),
            };
            return body;
        }

        private static JObject Callback(VerifiedIdConnection connection, string state) => new()
        {
            ["url"] = connection.CallbackUrl,
            ["state"] = state,
            // Entra allows only api-key or Authorization here; the relay checks it on every callback.
            ["headers"] = new JObject { ["api-key"] = connection.CallbackApiKey },
        };

        private static JObject HashedPin(string pin)
        {
            var salt = Guid.NewGuid().ToString("N");
            using var sha = SHA256.Create();
            return new JObject
            {
                ["value"] = Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(salt + pin))),
                ["salt"] = salt,
                ["alg"] = "sha256",
                ["iterations"] = 1,
                ["length"] = pin.Length,
                ["type"] = "numeric",
            };
        }
    }
}
