using System;
using System.Collections.Generic;
using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using OneKosmos.Core.Verification;

namespace OneKosmos.Core.BlockId
{
    /// <summary>
    /// Reads a decrypted docuverify v3 result (blockid-protocol.md C.2) into a <see cref="ProofingObservation"/>, taking only the
    /// outcome: the document's images, face crop, names, dates of birth and numbers are never read into anything
    /// that outlives this call.
    /// </summary>
    public static class ProofingResultParser
    {
        /// <exception cref="BlockIdException">The text is not the JSON object of a result (Malformed).</exception>
        public static ProofingObservation Parse(string decryptedResult)
        {
            JObject result;
            try
            {
                result = JObject.Parse(decryptedResult);
            }
            catch (JsonException exception)
            {
                throw new BlockIdException(BlockIdFailure.Malformed, "1Kosmos returned a verification result that is not JSON.", inner: exception);
            }

            var sessionResult = Text(result, "sessionResult");
            if (sessionResult is not null)
            {
                return sessionResult.ToUpperInvariant() switch
                {
                    "SUCCESS" => Succeeded(result),
                    "FAILED" => Failed(result),
                    _ => new ProofingObservation(SessionState.Unknown, sessionResult),
                };
            }
            var responseStatus = Text(result, "responseStatus");
            return responseStatus?.ToUpperInvariant() switch
            {
                "INPROGRESS" => new ProofingObservation(SessionState.InProgress, responseStatus),
                null => throw new BlockIdException(BlockIdFailure.Malformed, "1Kosmos returned a verification result with neither sessionResult nor responseStatus."),
                _ => new ProofingObservation(SessionState.Unknown, responseStatus),
            };
        }

        private static ProofingObservation Succeeded(JObject result)
        {
            var document = result["document"] as JObject;
            var extracted = result["extractedInfo"] as JObject;
            var proof = ProofToken.Claims(Text(document, "proof_jwt"));
            return new ProofingObservation(
                SessionState.Succeeded,
                "SUCCESS",
                ChecksOf(proof),
                Text(document, "documentType") ?? Text(document, "type") ?? Text(extracted, "documentType"),
                Text(document, "country"),
                DateOf(Text(document, "doe") ?? Text(extracted, "doe")),
                documentHash: ProofToken.DocumentHashOf(proof));
        }

        private static ProofingObservation Failed(JObject result)
        {
            var error = result["errorInfo"] as JObject;
            var extracted = result["extractedInfo"] as JObject;
            return new ProofingObservation(
                SessionState.Failed,
                "FAILED",
                documentType: Text(extracted, "documentType") ?? Text(error, "type"),
                reasonCode: Text(error, "reason_code") ?? Text(error, "reasonCode"),
                reasonText: Text(error, "reason") ?? Text(error, "message"));
        }

        /// <summary>The pass/fail of each check, from the proof token's claims.</summary>
        private static IReadOnlyDictionary<string, bool> ChecksOf(JObject? claims)
        {
            var checks = new Dictionary<string, bool>(StringComparer.Ordinal);
            if (claims?["result"] is JObject results)
            {
                foreach (var check in results.Properties())
                {
                    if (check.Value is JObject outcome && outcome["verified"]?.Type == JTokenType.Boolean)
                    {
                        checks[check.Name] = outcome.Value<bool>("verified");
                    }
                }
            }
            return checks;
        }

        private static DateTime? DateOf(string? yyyymmdd) =>
            DateTime.TryParseExact(yyyymmdd, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

        private static string? Text(JObject? parent, string name) =>
            parent?[name] is JValue { Type: JTokenType.String } value && !string.IsNullOrWhiteSpace((string?)value) ? (string?)value : null;
    }
}
