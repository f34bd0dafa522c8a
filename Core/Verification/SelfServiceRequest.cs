namespace OneKosmos.Core.Verification
{
    /// <summary>What a person asks for on the company's self-service site (choice okos_selfservicerequest).</summary>
    public enum SelfServiceRequest
    {
        /// <summary>Read where they stand, after checking any open session.</summary>
        Refresh = 0,
        /// <summary>Start their document and selfie capture, or reuse the one still open.</summary>
        StartProofing = 1,
        /// <summary>Offer their verified identity as the company's Verified ID credential in Microsoft Authenticator.</summary>
        AddToAuthenticator = 2,
    }
}
