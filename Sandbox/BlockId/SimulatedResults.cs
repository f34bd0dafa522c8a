using System.Text;
using System.Text.Json.Nodes;

namespace OneKosmos.Sandbox.BlockId
{
    /// <summary>
    /// Decrypted v3 results in the shapes blockid-protocol.md C.2 records from 1Kosmos' published samples. Personal data is made
    /// up and deliberately present (names, dates, number, images), so tests prove the product drops it.
    /// The EXPIRED status after the TTL is the simulator's invention: 1Kosmos publishes no expired result.
    /// </summary>
    internal static class SimulatedResults
    {
        public static JsonObject For(SimulatedSession session, bool expired) => session.Outcome switch
        {
            null or CaptureOutcome.Abandon when expired => new JsonObject { ["responseStatus"] = "EXPIRED", ["id"] = session.Id },
            null or CaptureOutcome.Abandon => new JsonObject { ["responseStatus"] = "INPROGRESS", ["id"] = session.Id },
            CaptureOutcome.PassWithSelfie => Success(session, selfie: true),
            CaptureOutcome.DocumentOnly => Success(session, selfie: false),
            CaptureOutcome.LivenessFail => Failed(session, "IDV0012", "Selfie liveness check failed", "reason_code"),
            _ => Failed(session, "IDV0006", "Unsupported document was presented", "reasonCode"),
        };

        private static JsonObject Success(SimulatedSession session, bool selfie)
        {
            var checks = new JsonObject
            {
                ["document_liveness_front"] = Verified(true),
                ["document_liveness_back"] = Verified(true),
                ["fraud_detection"] = Verified(true),
                ["session_decision"] = Verified(true),
            };
            if (selfie)
            {
                checks["face_compare"] = Verified(true);
                checks["selfie_liveness"] = Verified(true);
            }
            return new JsonObject
            {
                ["sessionResult"] = "SUCCESS",
                ["sessionId"] = session.Id,
                ["sessionData"] = new JsonObject { ["user"] = new JsonObject { ["uid"] = session.Uid, ["firstname"] = session.FirstName, ["lastname"] = session.LastName } },
                ["extractedInfo"] = new JsonObject { ["documentType"] = "PASSPORT", ["documentId"] = "SIM4821097", ["firstName"] = session.FirstName, ["lastName"] = session.LastName, ["doe"] = "20310501" },
                ["document"] = new JsonObject
                {
                    ["category"] = "identity_document",
                    ["documentType"] = "PASSPORT",
                    ["type"] = "ppt",
                    ["country"] = "FR",
                    ["documentId"] = "SIM4821097",
                    ["firstName"] = session.FirstName,
                    ["lastName"] = session.LastName,
                    ["dob"] = "19880214",
                    ["doe"] = "20310501",
                    ["image"] = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk",
                    ["face"] = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk",
                    ["proof_jwt"] = Jwt(new JsonObject
                    {
                        ["version"] = "1.0",
                        ["document"] = new JsonObject { ["type"] = "ppt", ["documentId"] = "SIM4821097", ["hash"] = DocumentHashOf(session.FirstName, session.LastName) },
                        ["result"] = checks,
                    }),
                },
            };
        }

        private static JsonObject Failed(SimulatedSession session, string code, string reason, string codeSpelling) => new()
        {
            ["sessionResult"] = "FAILED",
            ["sessionId"] = session.Id,
            ["sessionData"] = new JsonObject { ["user"] = new JsonObject { ["uid"] = session.Uid } },
            ["extractedInfo"] = new JsonObject(),
            ["errorInfo"] = new JsonObject { ["status"] = 400, ["message"] = reason, ["reason"] = reason, [codeSpelling] = code },
        };

        private static JsonObject Verified(bool passed) => new() { ["verified"] = passed };

        /// <summary>
        /// The one-way hash 1Kosmos' proof token carries for a simulated person's document (128 hex digits, as 1Kosmos'
        /// SHA-512 hashes): the same person (by name) always shows the same document.
        /// </summary>
        public static string DocumentHashOf(string? firstName, string? lastName) =>
            System.Convert.ToHexString(System.Security.Cryptography.SHA512.HashData(Encoding.UTF8.GetBytes($"sim-document|{firstName}|{lastName}"))).ToLowerInvariant();

        /// <summary>An identity proof of the app user's IAL record (blockid-protocol.md C.2): a token naming the proofed document's hash.</summary>
        public static JsonObject AppProof(string documentHash) => new()
        {
            ["type"] = "dl_affidavit",
            ["proof"] = Jwt(new JsonObject { ["version"] = "1.0", ["document"] = new JsonObject { ["type"] = "dl", ["hash"] = documentHash } }),
        };

        /// <remarks>HS256 with a secret nobody has: the product reads the claims and cannot verify them, as with 1Kosmos.</remarks>
        private static string Jwt(JsonObject claims) =>
            Part(new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT" }) + "." + Part(claims) + ".c2ltdWxhdGVk";

        private static string Part(JsonObject value) =>
            System.Convert.ToBase64String(Encoding.UTF8.GetBytes(value.ToJsonString())).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
