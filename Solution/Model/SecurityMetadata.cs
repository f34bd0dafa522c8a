using System;
using System.Collections.Generic;

namespace OneKosmos.Solution.Model
{
    /// <summary>How far a role's privilege reaches: the caller's own rows, their business unit, its children, or all.</summary>
    public enum PrivilegeDepth
    {
        Basic = 0,
        Local = 1,
        Deep = 2,
        Global = 3,
    }

    /// <summary>A security role the solution ships: privilege name to depth.</summary>
    public sealed class RoleMetadata
    {
        public RoleMetadata(Guid id, string name, IReadOnlyDictionary<string, PrivilegeDepth> privileges)
        {
            Id = id;
            Name = name;
            Privileges = privileges;
        }

        public Guid Id { get; }

        public string Name { get; }

        public IReadOnlyDictionary<string, PrivilegeDepth> Privileges { get; }
    }

    /// <summary>What a field security profile allows on one secured column.</summary>
    public sealed class FieldPermission(string table, string column, bool canRead, bool canUpdate, bool canCreate)
    {
        public string Table { get; } = table;

        public string Column { get; } = column;

        public bool CanRead { get; } = canRead;

        public bool CanUpdate { get; } = canUpdate;

        public bool CanCreate { get; } = canCreate;
    }

    /// <summary>A field security profile the solution ships.</summary>
    public sealed class FieldSecurityProfileMetadata
    {
        public FieldSecurityProfileMetadata(Guid id, string name, IReadOnlyList<FieldPermission> permissions)
        {
            Id = id;
            Name = name;
            Permissions = permissions;
        }

        public Guid Id { get; }

        public string Name { get; }

        public IReadOnlyList<FieldPermission> Permissions { get; }
    }

    /// <summary>An environment variable the solution defines.</summary>
    public sealed class EnvironmentVariableMetadata
    {
        public EnvironmentVariableMetadata(string schemaName, int type, string? defaultValue)
        {
            SchemaName = schemaName;
            Type = type;
            DefaultValue = defaultValue;
        }

        public string SchemaName { get; }

        /// <value>100000000 String, 100000001 Number, 100000002 Boolean, 100000003 JSON, 100000004 Data source, 100000005 Secret.</value>
        public int Type { get; }

        public string? DefaultValue { get; }
    }
}
