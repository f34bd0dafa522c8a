using System;
using System.Linq;
using System.Net;
using Microsoft.AspNetCore.Http;

namespace OneKosmos.Sandbox.BlockId
{
    /// <summary>The simulated capture page: instead of scanning a document and taking a selfie, the person picks what happens.</summary>
    internal static class CapturePage
    {
        private static readonly (CaptureOutcome Outcome, string Label)[] Choices =
        {
            (CaptureOutcome.PassWithSelfie, "Pass: document and selfie (IAL2)"),
            (CaptureOutcome.DocumentOnly, "Pass: document only (IAL1)"),
            (CaptureOutcome.LivenessFail, "Fail: selfie liveness"),
            (CaptureOutcome.UnsupportedDocument, "Fail: unsupported document"),
            (CaptureOutcome.Abandon, "Abandon (the session expires)"),
        };

        public static IResult Render(BlockIdSimulator simulator, string sessionId)
        {
            var session = simulator.Sessions.FirstOrDefault(candidate => candidate.Id == sessionId);
            if (session is null)
            {
                return Results.NotFound();
            }
            var buttons = string.Concat(Choices.Select(choice =>
                $"<form method=\"post\" action=\"/idproofing/session/{WebUtility.HtmlEncode(sessionId)}/complete?outcome={choice.Outcome}\"><button type=\"submit\">{WebUtility.HtmlEncode(choice.Label)}</button></form>"));
            var status = session.Outcome is { } outcome ? $"<p role=\"status\">Finished: {outcome}</p>" : "<p role=\"status\">Waiting for the capture.</p>";
            return Results.Content(Page("1Kosmos identity verification (simulated)", $"<p>Session {WebUtility.HtmlEncode(sessionId)} — document type {WebUtility.HtmlEncode(session.DocumentType)}.</p>{status}{buttons}"), "text/html");
        }

        /// <summary>The BlockID app's LiveID request, as the person's phone would show it: approve as the holder of a DID.</summary>
        public static IResult RenderLiveId(BlockIdSimulator simulator, string sessionId)
        {
            if (!simulator.LiveIdSessions.Contains(sessionId))
            {
                return Results.NotFound();
            }
            var id = WebUtility.HtmlEncode(sessionId);
            return Results.Content(Page("BlockID app: LiveID request (simulated)",
                "<p>A business asks you to confirm it is you, with your face.</p>" +
                $"<form method=\"post\" action=\"/sessions/session/{id}/approve\">" +
                $"<label>Your BlockID identity (DID) <input name=\"did\" value=\"{WebUtility.HtmlEncode(DefaultDid)}\" required></label>" +
                "<button type=\"submit\">Approve with LiveID</button></form>"), "text/html");
        }

        /// <value>The DID the approval page offers: one simulated person, so a later step-up presents the DID the first one bound.</value>
        public const string DefaultDid = "did:blockid:sandbox-person";

        public static string Approved() =>
            Page("Approved", "<p role=\"status\">Approved: the business sees it was you. You can close this page.</p>");

        public static string Done(CaptureOutcome outcome) =>
            Page("Thank you", $"<p role=\"status\">Finished: {outcome}. You can close this page.</p>");

        private static string Page(string title, string body) =>
            $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(title)}</title>" +
            "<style>body{font-family:'Segoe UI',system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}button{display:block;width:100%;margin:.5rem 0;padding:.6rem;font-size:1rem}</style>" +
            $"</head><body><h1>{WebUtility.HtmlEncode(title)}</h1>{body}</body></html>";
    }
}
