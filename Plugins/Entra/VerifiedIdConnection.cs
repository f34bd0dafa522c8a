using System;

namespace OneKosmos.Plugins.Entra
{
    /// <summary>How to reach Microsoft Entra Verified ID: the Entra columns of the okos_blockidconnection row, secrets included.</summary>
    /// <remarks><see cref="ToString"/> names the authority only: the client secret and the api-key must never reach a trace.</remarks>
    public sealed class VerifiedIdConnection(
        string tenantId, string clientId, string clientSecret, string authority,
        string manifestUrl, string credentialType, string callbackUrl, string callbackApiKey,
        int faceCheckThreshold, bool faceCheckPhoto, int pinLength = 0, string clientName = "Identity verification")
    {
        /// <value>The Entra tenant (directory) id the app registration lives in.</value>
        public string TenantId { get; } = tenantId;

        public string ClientId { get; } = clientId;

        /// <value>Client secret only: a sandboxed plug-in has no certificate store.</value>
        public string ClientSecret { get; } = clientSecret;

        /// <value>The issuer DID (did:web:…), also the verifier authority and the only accepted issuer.</value>
        public string Authority { get; } = authority;

        /// <value>The credential's manifest URL, copied from the Entra admin center.</value>
        public string ManifestUrl { get; } = manifestUrl;

        public string CredentialType { get; } = credentialType;

        /// <value>The relay's public <c>/callbacks/entra</c> URL.</value>
        public string CallbackUrl { get; } = callbackUrl;

        /// <value>The api-key Entra sends back on every callback; the relay checks it.</value>
        public string CallbackApiKey { get; } = callbackApiKey;

        /// <value>Face Check's match confidence threshold, 50–100.</value>
        public int FaceCheckThreshold { get; } = faceCheckThreshold;

        /// <value>Whether the 1Kosmos face crop may go into the credential (without it, Face Check is unavailable).</value>
        public bool FaceCheckPhoto { get; } = faceCheckPhoto;

        /// <value>Digits of the issuance PIN; 0 asks for none.</value>
        public int PinLength { get; } = pinLength;

        /// <value>The name Microsoft Authenticator shows as the requester: the connection's name.</value>
        public string ClientName { get; } = clientName;

        public override string ToString() => $"Microsoft Entra Verified ID authority {Authority}";
    }
}
