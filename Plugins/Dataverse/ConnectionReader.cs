using System;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using System.Collections.Generic;
using System.Globalization;
using OneKosmos.Core.BlockId;
using OneKosmos.Core.Verification;
using OneKosmos.Plugins.Entra;

namespace OneKosmos.Plugins.Dataverse
{
    /// <summary>Reads the one active 1Kosmos connection row, secrets included, with the system service (the columns are field-secured).</summary>
    /// <remarks>
    /// Kept per sandbox worker for <see cref="CacheLifetime"/>: a changed key takes effect within a minute, and most
    /// executions make no call for it. Secrets stay in the worker's memory only, never in traces or notes.
    /// </remarks>
    public static class ConnectionReader
    {
        /// <value>How long the connection is reused. Default 60 s.</value>
        public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(60);

        private static readonly ExpiringCache<Guid, BlockIdConnection> Cache = new(CacheLifetime);
        private static readonly ExpiringCache<Guid, VerifiedIdConnection> VerifiedIdCache = new(CacheLifetime);

        public static BlockIdConnection Read(IOrganizationService systemService, Guid organizationId, IClock clock) =>
            Cache.GetOrRead(organizationId, clock.UtcNow, () => Read(systemService));

        /// <summary>The Microsoft Entra Verified ID settings of the active connection.</summary>
        /// <exception cref="InvalidPluginExecutionException">Verified ID is not set up, or only partly: the message names what is missing.</exception>
        public static VerifiedIdConnection ReadVerifiedId(IOrganizationService systemService, Guid organizationId, IClock clock) =>
            VerifiedIdCache.GetOrRead(organizationId, clock.UtcNow, () => ReadVerifiedId(ActiveRow(systemService, new ColumnSet(
                Schema.BlockIdConnection.Name,
                Schema.BlockIdConnection.EntraTenantId,
                Schema.BlockIdConnection.EntraClientId,
                Schema.BlockIdConnection.EntraClientSecret,
                Schema.BlockIdConnection.EntraAuthority,
                Schema.BlockIdConnection.EntraManifestUrl,
                Schema.BlockIdConnection.EntraCredentialType,
                Schema.BlockIdConnection.EntraCallbackUrl,
                Schema.BlockIdConnection.EntraCallbackApiKey,
                Schema.BlockIdConnection.FaceCheckThreshold,
                Schema.BlockIdConnection.FaceCheckPhoto,
                Schema.BlockIdConnection.EntraPinLength))));

        private static readonly ExpiringCache<Guid, System.Runtime.CompilerServices.StrongBox<bool>> VerifiedIdSetUp = new(CacheLifetime);

        /// <summary>Whether Verified ID is set up completely (what the panel offers); kept like the connection, so a status read costs no call.</summary>
        public static bool HasVerifiedId(IOrganizationService systemService, Guid organizationId, IClock clock) =>
            VerifiedIdSetUp.GetOrRead(organizationId, clock.UtcNow, () =>
            {
                try
                {
                    ReadVerifiedId(systemService, organizationId, clock);
                    return new System.Runtime.CompilerServices.StrongBox<bool>(true);
                }
                catch (InvalidPluginExecutionException)
                {
                    return new System.Runtime.CompilerServices.StrongBox<bool>(false);
                }
            }).Value;

        private static VerifiedIdConnection ReadVerifiedId(Entity row)
        {
            var required = new[]
            {
                new KeyValuePair<string, string>(Schema.BlockIdConnection.EntraTenantId, "Entra Tenant Id"),
                new KeyValuePair<string, string>(Schema.BlockIdConnection.EntraClientId, "Entra Client Id"),
                new KeyValuePair<string, string>(Schema.BlockIdConnection.EntraClientSecret, "Entra Client Secret"),
                new KeyValuePair<string, string>(Schema.BlockIdConnection.EntraAuthority, "Entra Authority (Issuer DID)"),
                new KeyValuePair<string, string>(Schema.BlockIdConnection.EntraManifestUrl, "Entra Manifest URL"),
                new KeyValuePair<string, string>(Schema.BlockIdConnection.EntraCredentialType, "Entra Credential Type"),
                new KeyValuePair<string, string>(Schema.BlockIdConnection.EntraCallbackUrl, "Entra Callback URL"),
                new KeyValuePair<string, string>(Schema.BlockIdConnection.EntraCallbackApiKey, "Entra Callback API Key"),
            };
            var missing = new List<string>();
            foreach (var column in required)
            {
                if (string.IsNullOrWhiteSpace(row.GetAttributeValue<string>(column.Key)))
                {
                    missing.Add(column.Value);
                }
            }
            var name = row.GetAttributeValue<string>(Schema.BlockIdConnection.Name) ?? "(unnamed)";
            if (missing.Count == required.Length)
            {
                throw new InvalidPluginExecutionException($"Microsoft Entra Verified ID is not set up: a Verification Administrator fills in the Microsoft Entra Verified ID section of the 1Kosmos connection '{name}' (README: Microsoft Entra Verified ID).");
            }
            if (missing.Count > 0)
            {
                throw new InvalidPluginExecutionException($"Microsoft Entra Verified ID is only partly set up on the 1Kosmos connection '{name}': {string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} missing. A Verification Administrator fills them in.");
            }
            string Text(string column) => row.GetAttributeValue<string>(column).Trim();
            var threshold = row.GetAttributeValue<int?>(Schema.BlockIdConnection.FaceCheckThreshold);
            if (threshold is { } value && (value < VerifiedIdRules.MinThreshold || value > VerifiedIdRules.MaxThreshold))
            {
                throw new InvalidPluginExecutionException($"The Face Check Threshold on the 1Kosmos connection '{name}' is {value}; set a whole number from {VerifiedIdRules.MinThreshold} to {VerifiedIdRules.MaxThreshold} (or leave it empty for {VerifiedIdRules.DefaultThreshold}).");
            }
            var pinLength = row.GetAttributeValue<int?>(Schema.BlockIdConnection.EntraPinLength) ?? 0;
            if (pinLength != 0 && (pinLength < 4 || pinLength > 16))
            {
                throw new InvalidPluginExecutionException($"The Entra PIN Length on the 1Kosmos connection '{name}' is {pinLength.ToString(CultureInfo.InvariantCulture)}; set 4 to 16 digits, or 0 for no PIN.");
            }
            var callbackUrl = Text(Schema.BlockIdConnection.EntraCallbackUrl);
            if (!Uri.TryCreate(callbackUrl, UriKind.Absolute, out var callback) || (callback.Scheme != Uri.UriSchemeHttps && !callback.IsLoopback))
            {
                throw new InvalidPluginExecutionException($"The Entra Callback URL on the 1Kosmos connection '{name}' must be the relay's public HTTPS address ending in /callbacks/entra.");
            }
            return new VerifiedIdConnection(
                Text(Schema.BlockIdConnection.EntraTenantId),
                Text(Schema.BlockIdConnection.EntraClientId),
                Text(Schema.BlockIdConnection.EntraClientSecret),
                Text(Schema.BlockIdConnection.EntraAuthority),
                Text(Schema.BlockIdConnection.EntraManifestUrl),
                Text(Schema.BlockIdConnection.EntraCredentialType),
                callbackUrl,
                Text(Schema.BlockIdConnection.EntraCallbackApiKey),
                VerifiedIdRules.ThresholdOf(threshold),
                row.GetAttributeValue<bool?>(Schema.BlockIdConnection.FaceCheckPhoto) ?? false,
                pinLength,
                name);
        }

        private static Entity ActiveRow(IOrganizationService systemService, ColumnSet columns)
        {
            var query = new QueryExpression(Schema.BlockIdConnection.EntityName) { ColumnSet = columns, TopCount = 2 };
            query.Criteria.AddCondition(Schema.BlockIdConnection.StateCode, ConditionOperator.Equal, 0);
            var rows = systemService.RetrieveMultiple(query).Entities;
            if (rows.Count == 0)
            {
                throw new InvalidPluginExecutionException("No active 1Kosmos connection exists. A Verification Administrator creates one (1Kosmos Connections) with the tenant DNS, community, license key and DVC id.");
            }
            if (rows.Count > 1)
            {
                throw new InvalidPluginExecutionException("More than one 1Kosmos connection is active. Deactivate all but one.");
            }
            return rows[0];
        }

        private static BlockIdConnection Read(IOrganizationService systemService)
        {
            var row = ActiveRow(systemService, new ColumnSet(
                Schema.BlockIdConnection.Name,
                Schema.BlockIdConnection.TenantDns,
                Schema.BlockIdConnection.Community,
                Schema.BlockIdConnection.LicenseKey,
                Schema.BlockIdConnection.DvcId,
                Schema.BlockIdConnection.CallbackSigningSecret));
            var name = row.GetAttributeValue<string>(Schema.BlockIdConnection.Name) ?? "(unnamed)";
            string Required(string column, string label) =>
                row.GetAttributeValue<string>(column) is { Length: > 0 } value
                    ? value.Trim()
                    : throw new InvalidPluginExecutionException($"The 1Kosmos connection '{name}' has no {label}. A Verification Administrator sets it on the connection row.");
            return new BlockIdConnection(
                Required(Schema.BlockIdConnection.TenantDns, "Tenant DNS"),
                Required(Schema.BlockIdConnection.Community, "Community"),
                Required(Schema.BlockIdConnection.LicenseKey, "License Key"),
                Required(Schema.BlockIdConnection.DvcId, "DVC Id"),
                SigningSecrets(row.GetAttributeValue<string>(Schema.BlockIdConnection.CallbackSigningSecret)));
        }

        /// <remarks>During a rotation the column holds the new secret next to the old one, separated by a space or a line break.</remarks>
        private static string[] SigningSecrets(string? column) =>
            (column ?? "").Split(new[] { ' ', '\t', '\r', '\n', ',' }, StringSplitOptions.RemoveEmptyEntries);
    }
}
