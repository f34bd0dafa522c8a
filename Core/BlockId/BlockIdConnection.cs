using System;
using System.Collections.Generic;

namespace OneKosmos.Core.BlockId
{
    /// <summary>How to reach one 1Kosmos tenant: the okos_blockidconnection row, secrets included.</summary>
    /// <remarks><see cref="ToString"/> names the tenant only: the secrets must never reach a trace by accident.</remarks>
    public sealed class BlockIdConnection
    {
        public BlockIdConnection(string tenantDns, string community, string licenseKey, string dvcId, IReadOnlyList<string>? callbackSigningSecrets = null)
        {
            CallbackSigningSecrets = callbackSigningSecrets ?? Array.Empty<string>();
            TenantDns = tenantDns;
            Community = community;
            LicenseKey = licenseKey;
            DvcId = dvcId;
        }

        /// <value>Tenant host name, no scheme (acme.1kosmos.net).</value>
        public string TenantDns { get; }

        public string Community { get; }

        public string LicenseKey { get; }

        public string DvcId { get; }

        /// <value>The whsec_ secrets callbacks may be signed with: usually one, two while a secret is being rotated.</value>
        public IReadOnlyList<string> CallbackSigningSecrets { get; }

        public override string ToString() => $"1Kosmos tenant {TenantDns}, community {Community}";
    }
}
