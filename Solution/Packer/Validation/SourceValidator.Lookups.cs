using System;
using System.Linq;
using OneKosmos.Solution.Model;

namespace OneKosmos.Solution.Packer.Validation
{
    /// <summary>Every custom lookup has a relationship naming the table it points to.</summary>
    internal sealed partial class SourceValidator
    {
        private void CheckLookups(SolutionMetadata metadata)
        {
            foreach (var table in metadata.Tables.Values.Where(table => table.Source.StartsWith("Entities/", StringComparison.Ordinal)))
            {
                foreach (var column in table.Columns.Values.Where(column => column.Type == ColumnType.Lookup && column.IsCustom && column.Targets.Count == 0))
                {
                    _problems.Add(new Problem(table.Source, "attribute", $"the lookup {column.LogicalName} has no relationship in Other/Relationships naming the table it points to"));
                }
            }
        }
    }
}
