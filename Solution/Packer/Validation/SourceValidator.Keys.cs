using System.Linq;
using OneKosmos.Solution.Model;

namespace OneKosmos.Solution.Packer.Validation
{
    /// <summary>Alternate keys name columns that exist.</summary>
    internal sealed partial class SourceValidator
    {
        private void CheckKeys(SolutionMetadata metadata)
        {
            foreach (var table in metadata.Tables.Values)
            {
                foreach (var key in table.Keys)
                {
                    foreach (var column in key.Columns.Where(column => table.Column(column) is null))
                    {
                        _problems.Add(new Problem(table.Source, "EntityKey", $"the alternate key {key.Name} names {column}, which {table.LogicalName} does not have"));
                    }
                }
            }
        }
    }
}
