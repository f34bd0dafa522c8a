using System;
using System.Collections.Generic;
using System.Linq;
using OneKosmos.Sandbox.Dataverse.Query;

namespace OneKosmos.Sandbox.Dataverse.Storage
{
    /// <summary>An alternate key: a named set of columns whose values identify at most one row.</summary>
    /// <remarks>
    /// Values compare as Dataverse's default collation does (strings case-insensitively). A null is a value
    /// like any other: whether Dataverse lets several rows hold a null key is not documented, so the sandbox
    /// takes the strict reading and code that depends on it fails here first.
    /// </remarks>
    internal sealed class AlternateKey
    {
        public AlternateKey(string name, IReadOnlyList<string> columns)
        {
            Name = name;
            Columns = columns;
        }

        public string Name { get; }

        public IReadOnlyList<string> Columns { get; }

        public bool Matches(IEnumerable<string> columnNames) =>
            new HashSet<string>(columnNames, StringComparer.Ordinal).SetEquals(Columns);

        public string Identity(Func<string, object?> valueOf) =>
            string.Join("\u001f", Columns.Select(column => ValueSemantics.KeyText(valueOf(column))));
    }
}
