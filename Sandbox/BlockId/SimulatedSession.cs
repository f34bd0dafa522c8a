using System;

namespace OneKosmos.Sandbox.BlockId
{
    /// <summary>A LiveID step-up session: the DID and level the person approved with, or nulls while it waits.</summary>
    public sealed record SimulatedLiveIdSession(string Id, string? Did, string? Ial);

    /// <summary>One docuverify session the simulator created.</summary>
    public sealed class SimulatedSession
    {
        public SimulatedSession(string id, string uid, string? firstName, string? lastName, string documentType, DateTimeOffset createdAt)
        {
            Id = id;
            Uid = uid;
            FirstName = firstName;
            LastName = lastName;
            DocumentType = documentType;
            CreatedAt = createdAt;
        }

        public string Id { get; }

        /// <value>The caller's id for the person (uid).</value>
        public string Uid { get; }

        public string? FirstName { get; }

        public string? LastName { get; }

        public string DocumentType { get; }

        public DateTimeOffset CreatedAt { get; }

        /// <value>Null until the person finishes on the capture page.</value>
        public CaptureOutcome? Outcome { get; set; }
    }
}
