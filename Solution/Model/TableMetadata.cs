using System;
using System.Collections.Generic;

namespace OneKosmos.Solution.Model
{
    /// <summary>How a table's rows are owned, which decides the privilege depths that apply to them.</summary>
    public enum Ownership
    {
        UserOwned,
        OrganizationOwned,
    }

    /// <summary>What the sandbox knows of one table: its columns, alternate keys and ownership.</summary>
    public sealed class TableMetadata
    {
        private readonly Dictionary<string, ColumnMetadata> _columns = new(StringComparer.Ordinal);
        private readonly List<KeyMetadata> _keys = new();

        /// <remarks>
        /// <c>privilegeName</c> is what the table's privileges are named after (prvRead + it): a custom table's logical name,
        /// a standard table's own name (Contact; Note for annotation), or null for a platform table the sandbox does not check.
        /// </remarks>
        public TableMetadata(string logicalName, Ownership ownership, string source, string? privilegeName, string? primaryIdAttribute = null)
        {
            LogicalName = logicalName;
            Ownership = ownership;
            Source = source;
            PrimaryIdAttribute = primaryIdAttribute ?? logicalName + "id";
            PrivilegeName = privilegeName;
        }

        public string LogicalName { get; }

        public Ownership Ownership { get; }

        /// <value>Where the definition came from: a solution file, or the sandbox's declared standard tables.</value>
        public string Source { get; }

        /// <value>The primary key column: <c>{table}id</c>, except for activities (<c>activityid</c>) and a few others.</value>
        public string PrimaryIdAttribute { get; }

        /// <value>The primary name column (contact: fullname, account: name; a solution table's column whose DisplayMask says PrimaryName): what a lookup's Name shows and what ordering on a lookup sorts by; null when none is declared.</value>
        public string? PrimaryNameAttribute { get; internal set; }

        /// <value>The privilege suffix (prvWrite + this); null when the sandbox checks no privilege on the table.</value>
        public string? PrivilegeName { get; }

        /// <value>The lookup of the table's hierarchical relationship (a row's parent: account's parentaccountid); null when it has none.</value>
        public string? HierarchyColumn { get; internal set; }

        /// <value>The many-to-many relationship whose intersect table this is; null for any other table.</value>
        public ManyToManyMetadata? IntersectOf { get; internal set; }

        public IReadOnlyDictionary<string, ColumnMetadata> Columns => _columns;

        public IReadOnlyList<KeyMetadata> Keys => _keys;

        public ColumnMetadata? Column(string logicalName) => _columns.TryGetValue(logicalName, out var column) ? column : null;

        internal void Add(ColumnMetadata column) => _columns[column.LogicalName] = column;

        internal void Add(KeyMetadata key) => _keys.Add(key);
    }

    /// <summary>An alternate key a table declares.</summary>
    public sealed class KeyMetadata
    {
        public KeyMetadata(string name, IReadOnlyList<string> columns)
        {
            Name = name;
            Columns = columns;
        }

        public string Name { get; }

        public IReadOnlyList<string> Columns { get; }
    }
}
