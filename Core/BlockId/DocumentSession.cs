namespace OneKosmos.Core.BlockId
{
    /// <summary>A docuverify session 1Kosmos created: its id, and the capture link the person opens.</summary>
    /// <remarks>The capture link is a bearer link (blockid-protocol.md F): <see cref="ToString"/> leaves it out so no trace carries it.</remarks>
    public sealed class DocumentSession
    {
        public DocumentSession(string sessionId, string captureUrl)
        {
            SessionId = sessionId;
            CaptureUrl = captureUrl;
        }

        public string SessionId { get; }

        public string CaptureUrl { get; }

        public override string ToString() => $"1Kosmos session {SessionId}";
    }

    /// <summary>A LiveID step-up 1Kosmos opened, and the link the BlockID app approves it at.</summary>
    /// <remarks>The approval link is a bearer link too: <see cref="ToString"/> leaves it out.</remarks>
    public sealed class LiveIdSession
    {
        public LiveIdSession(string sessionId, string approvalUrl)
        {
            SessionId = sessionId;
            ApprovalUrl = approvalUrl;
        }

        public string SessionId { get; }

        public string ApprovalUrl { get; }

        public override string ToString() => $"1Kosmos LiveID session {SessionId}";
    }

    /// <summary>Who a docuverify session is for: 1Kosmos checks the document against these names.</summary>
    public sealed class DocumentSessionRequest
    {
        public DocumentSessionRequest(string personId, string? firstName, string? lastName, string documentType)
        {
            PersonId = personId;
            FirstName = firstName;
            LastName = lastName;
            DocumentType = documentType;
        }

        /// <value>Our stable id for the person (the contact id), sent as uid so the session maps back to them.</value>
        public string PersonId { get; }

        public string? FirstName { get; }

        public string? LastName { get; }

        /// <value>dl_object (driver licence), ppt_object (passport) or idcard_object (other identity card).</value>
        public string DocumentType { get; }

        public override string ToString() => $"document session for {PersonId} ({DocumentType})";
    }
}
