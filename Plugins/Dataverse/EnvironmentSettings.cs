using System;
using System.Collections.Generic;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Core.Verification;

namespace OneKosmos.Plugins.Dataverse
{
    /// <summary>
    /// The product's environment variables: a definition's default, overridden by the environment's current value.
    /// Read with the system service and kept per sandbox worker for <see cref="CacheLifetime"/>, so most executions
    /// make no call for them.
    /// </summary>
    public sealed partial class EnvironmentSettings
    {
        /// <value>How long settings are reused before they are read again. Default 60 s: a change takes effect within a minute.</value>
        public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(60);

        private static readonly ExpiringCache<Guid, IReadOnlyDictionary<string, string?>> Cache = new(CacheLifetime);

        private readonly IReadOnlyDictionary<string, string?> _values;

        private EnvironmentSettings(IReadOnlyDictionary<string, string?> values)
        {
            _values = values;
        }

        public static EnvironmentSettings Read(IOrganizationService systemService, Guid organizationId, IClock clock) =>
            new(Cache.GetOrRead(organizationId, clock.UtcNow, () => ReadValues(systemService)));

        private static IReadOnlyDictionary<string, string?> ReadValues(IOrganizationService systemService)
        {
            var query = new QueryExpression("environmentvariabledefinition") { ColumnSet = new ColumnSet("schemaname", "defaultvalue") };
            query.Criteria.AddCondition("schemaname", ConditionOperator.BeginsWith, Schema.PublisherPrefix + "_");
            var value = query.AddLink("environmentvariablevalue", "environmentvariabledefinitionid", "environmentvariabledefinitionid", JoinOperator.LeftOuter);
            value.EntityAlias = "current";
            value.Columns = new ColumnSet("value");
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var row in systemService.RetrieveMultiple(query).Entities)
            {
                var current = row.GetAttributeValue<AliasedValue>("current.value")?.Value as string;
                values[row.GetAttributeValue<string>("schemaname")] = current ?? row.GetAttributeValue<string>("defaultvalue");
            }
            return values;
        }

        public bool VerifyOnContactCreate => Flag(Schema.EnvironmentVariables.VerifyOnContactCreate);

        public int VerificationValidityDays => Number(Schema.EnvironmentVariables.VerificationValidityDays, minimum: 1);

        public int SessionTtlMinutes => Number(Schema.EnvironmentVariables.SessionTtlMinutes, minimum: 1);

        public int StepUpMaxAgeMinutes => Number(Schema.EnvironmentVariables.StepUpMaxAgeMinutes, minimum: 1);

        public bool IssueBlockIdCredential => Flag(Schema.EnvironmentVariables.IssueBlockIdCredential);

        public bool IssueVerifiedIdAfterProofing => Flag(Schema.EnvironmentVariables.IssueVerifiedIdAfterProofing);

        public int ReceiptRetentionDays => Number(Schema.EnvironmentVariables.ReceiptRetentionDays, minimum: 1);

        /// <value>okos_StepUpEmailQueue: the queue that emails a contact's first LiveID request; null when none is set.</value>
        public string? StepUpEmailQueue =>
            _values.TryGetValue(Schema.EnvironmentVariables.StepUpEmailQueue, out var value) && !string.IsNullOrWhiteSpace(value) ? value!.Trim() : null;

        /// <value>okos_GatePolicy as written: the gate parses it and names its problems.</value>
        public string GatePolicy => _values.TryGetValue(Schema.EnvironmentVariables.GatePolicy, out var value) && !string.IsNullOrWhiteSpace(value) ? value!.Trim() : "[]";

        private string Raw(string name) =>
            _values.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value)
                ? value!.Trim()
                : throw Problem(name, "has no value");

        /// <remarks>Dataverse stores Boolean environment variables as yes/no; true/false and 1/0 are read too.</remarks>
        private bool Flag(string name) => Raw(name).ToLowerInvariant() switch
        {
            "yes" or "true" or "1" => true,
            "no" or "false" or "0" => false,
            var other => throw Problem(name, $"is '{other}', not yes or no"),
        };

        private int Number(string name, int minimum) =>
            int.TryParse(Raw(name), out var number) && number >= minimum ? number : throw Problem(name, $"is '{Raw(name)}', not a whole number of at least {minimum}");

        /// <remarks>Kept free of JSON so the workflow assembly compiles this file as it is.</remarks>
        private static InvalidPluginExecutionException Problem(string name, string problem) =>
            new($"The environment variable {name} {problem}. Set it in Power Apps: Solutions > OneKosmos Identity Verification > Environment variables.");
    }
}
