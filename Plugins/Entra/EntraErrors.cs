using System;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace OneKosmos.Plugins.Entra
{
    /// <summary>What an error answer from Microsoft Entra means for the caller: transient, throttled or refused, with a message that says what to check.</summary>
    internal static class EntraErrors
    {
        /// <summary>
        /// Entra's error body: <c>{"error": {"code", "message", "innererror": {"code", "message", "target"}}}</c>, or the
        /// older <c>{"error": {"code": "client_request.…", "message"}}</c>, or anything else.
        /// </summary>
        public static VerifiedIdException Failure(int status, string text, string operation, string advice, Func<string, string> safe)
        {
            string? code = null;
            string detail = "no message";
            try
            {
                if (JObject.Parse(text)["error"] is JObject error)
                {
                    var inner = error["innererror"] as JObject;
                    code = (string?)inner?["code"] ?? (string?)error["code"];
                    var target = (string?)inner?["target"];
                    detail = ((string?)inner?["message"] ?? (string?)error["message"] ?? "no message") + (target is null ? "" : $" (field {target})");
                }
            }
            catch (JsonException)
            {
                detail = string.IsNullOrWhiteSpace(text) ? "no message" : text;
            }
            if (status == 429)
            {
                return new VerifiedIdException(VerifiedIdFailure.Throttled, $"Microsoft Entra Verified ID is throttling {operation}; try again in a minute.", code);
            }
            if (status >= 500)
            {
                return new VerifiedIdException(VerifiedIdFailure.Transient, $"Microsoft Entra Verified ID failed {operation} with HTTP {status}; try again.", code);
            }
            return new VerifiedIdException(VerifiedIdFailure.Rejected, $"Microsoft Entra Verified ID refused {operation} (HTTP {status}{(code is null ? "" : ", " + code)}: {safe(detail)}).{advice}", code);
        }
    }
}
