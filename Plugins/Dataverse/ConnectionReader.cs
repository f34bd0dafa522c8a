using System;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Plugins.BlockId;
using OneKosmos.Plugins.Verification;

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

        public static BlockIdConnection Read(IOrganizationService systemService, Guid organizationId, IClock clock) =>
            Cache.GetOrRead(organizationId, clock.UtcNow, () => Read(systemService));

        private static BlockIdConnection Read(IOrganizationService systemService)
        {
            var query = new QueryExpression(Schema.BlockIdConnection.EntityName)
            {
                ColumnSet = new ColumnSet(
                    Schema.BlockIdConnection.Name,
                    Schema.BlockIdConnection.TenantDns,
                    Schema.BlockIdConnection.Community,
                    Schema.BlockIdConnection.LicenseKey,
                    Schema.BlockIdConnection.DvcId,
                    Schema.BlockIdConnection.CallbackSigningSecret),
                TopCount = 2,
            };
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
            var row = rows[0];
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
