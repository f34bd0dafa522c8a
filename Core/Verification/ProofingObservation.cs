using System;
using System.Collections.Generic;

namespace OneKosmos.Core.Verification
{
    /// <summary>
    /// What a 1Kosmos result says, reduced to what we may keep (docs/design.md §1 rule 3): the state, the pass/fail of each
    /// identity check, the document's type, country and expiry, and the failure reason. Names, dates of birth,
    /// document numbers, images and face crops never reach this type.
    /// </summary>
    public sealed class ProofingObservation
    {
        public ProofingObservation(
            SessionState state,
            string? rawState = null,
            IReadOnlyDictionary<string, bool>? checks = null,
            string? documentType = null,
            string? documentCountry = null,
            DateTime? documentExpiresOn = null,
            string? reasonCode = null,
            string? reasonText = null,
            decimal? providerScore = null,
            string? documentHash = null)
        {
            DocumentHash = documentHash;
            State = state;
            RawState = rawState;
            Checks = checks ?? new Dictionary<string, bool>();
            DocumentType = documentType;
            DocumentCountry = documentCountry;
            DocumentExpiresOn = documentExpiresOn;
            ReasonCode = reasonCode;
            ReasonText = reasonText;
            ProviderScore = providerScore;
        }

        public SessionState State { get; }

        /// <value>The status text 1Kosmos sent, kept for the trace when it is one we do not know.</value>
        public string? RawState { get; }

        /// <value>Identity check name (document_liveness_front, face_compare…) to whether it passed.</value>
        public IReadOnlyDictionary<string, bool> Checks { get; }

        public string? DocumentType { get; }

        public string? DocumentCountry { get; }

        public DateTime? DocumentExpiresOn { get; }

        public string? ReasonCode { get; }

        public string? ReasonText { get; }

        /// <value>A numeric match score from the provider, if a result ever carries one (1Kosmos results do not).</value>
        public decimal? ProviderScore { get; }

        /// <value>
        /// The proof token's one-way hash of the verified document (<c>document.hash</c>, blockid-protocol.md C.2): kept as the
        /// evidence a later LiveID approver's own 1Kosmos proofs are compared with, never the document data it is made from.
        /// </value>
        public string? DocumentHash { get; }
    }
}
