namespace OneKosmos.Core.Verification
{
    /// <summary>What a contact's bound BlockID identity rests on. The names are written to the contact and the status API.</summary>
    public enum BindingEvidence
    {
        /// <summary>1Kosmos holds, under the approver's identity, a proof of the very document verified for this contact.</summary>
        DocumentMatch,

        /// <summary>1Kosmos held no proofs of the approver; the approval link had gone only to the contact's own email.</summary>
        ContactEmail,

        /// <summary>A Verification Administrator bound (or re-bound) the identity, with a reason on the timeline.</summary>
        AdministratorRebind,
    }

    /// <summary>How 1Kosmos' proofs of a LiveID approver compare with the document verified for the contact.</summary>
    public enum ApproverProofs
    {
        /// <summary>1Kosmos has no proofs of the approver (or none to compare with): no evidence either way.</summary>
        Unavailable,

        /// <summary>One of the approver's proofs is of the contact's verified document.</summary>
        Match,

        /// <summary>The approver has proofs, none of the contact's document: another person.</summary>
        Mismatch,
    }
}
