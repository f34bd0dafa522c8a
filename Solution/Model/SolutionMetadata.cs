using System;
using System.Collections.Generic;
using System.Linq;

namespace OneKosmos.Solution.Model
{
    /// <summary>Everything a solution declares that the sandbox enforces: tables, choices, roles, field security, settings, custom APIs.</summary>
    public sealed class SolutionMetadata
    {
        internal SolutionMetadata(
            IReadOnlyDictionary<string, TableMetadata> tables,
            IReadOnlyDictionary<string, IReadOnlyCollection<int>> optionSets,
            IReadOnlyList<RoleMetadata> roles,
            IReadOnlyList<FieldSecurityProfileMetadata> fieldSecurityProfiles,
            IReadOnlyList<EnvironmentVariableMetadata> environmentVariables,
            IReadOnlyList<CustomApiMetadata> customApis,
            IReadOnlyList<PluginAssemblyMetadata> pluginAssemblies)
        {
            PluginAssemblies = pluginAssemblies;
            CustomApis = customApis;
            Tables = tables;
            OptionSets = optionSets;
            Roles = roles;
            FieldSecurityProfiles = fieldSecurityProfiles;
            EnvironmentVariables = environmentVariables;
        }

        /// <value>The solution's tables merged with the sandbox's declared standard tables, by logical name.</value>
        public IReadOnlyDictionary<string, TableMetadata> Tables { get; }

        /// <value>Global choices by name, with their values.</value>
        public IReadOnlyDictionary<string, IReadOnlyCollection<int>> OptionSets { get; }

        public IReadOnlyList<RoleMetadata> Roles { get; }

        public IReadOnlyList<FieldSecurityProfileMetadata> FieldSecurityProfiles { get; }

        public IReadOnlyList<EnvironmentVariableMetadata> EnvironmentVariables { get; }

        public IReadOnlyList<CustomApiMetadata> CustomApis { get; }

        /// <value>Assemblies registered the classic way (the workflow activity's), not through the plug-in package.</value>
        public IReadOnlyList<PluginAssemblyMetadata> PluginAssemblies { get; }

        public TableMetadata? Table(string logicalName) => Tables.TryGetValue(logicalName, out var table) ? table : null;

        /// <value>The many-to-many relationships: those whose intersect tables the solution declares.</value>
        public IReadOnlyList<ManyToManyMetadata> ManyToManyRelationships => _manyToMany ??= Tables.Values.Select(table => table.IntersectOf).OfType<ManyToManyMetadata>().ToList();

        private IReadOnlyList<ManyToManyMetadata>? _manyToMany;

        /// <summary>The many-to-many relationship of that schema name (compared without case, as Dataverse does); null when none.</summary>
        public ManyToManyMetadata? ManyToMany(string schemaName) =>
            ManyToManyRelationships.FirstOrDefault(relationship => string.Equals(relationship.SchemaName, schemaName, StringComparison.OrdinalIgnoreCase));

        /// <summary>A role the solution ships, or one of the platform's roles the sandbox knows (Salesperson).</summary>
        public RoleMetadata Role(string name) =>
            Roles.FirstOrDefault(role => role.Name == name) ?? StandardRoles.Named(name)
            ?? throw new ArgumentException($"Neither the solution nor the platform roles the sandbox knows have a role named '{name}'.", nameof(name));

        public FieldSecurityProfileMetadata FieldSecurityProfile(string name) =>
            FieldSecurityProfiles.FirstOrDefault(profile => profile.Name == name)
            ?? throw new ArgumentException($"The solution ships no field security profile named '{name}'.", nameof(name));
    }
}
