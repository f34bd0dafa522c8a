using System;
using System.Linq;
using System.Xml.Linq;

namespace OneKosmos.Solution.Packer.Validation
{
    /// <summary>Each table the solution creates names its primary name column the way exports do.</summary>
    internal sealed partial class SourceValidator
    {
        /// <remarks>
        /// An exported table marks its primary name column with PrimaryName in the column's DisplayMask (a required one also
        /// with RequiredForForm), e.g. <c>PrimaryName|ValidForAdvancedFind|ValidForForm|ValidForGrid|RequiredForForm</c>; an
        /// import without it cannot tell which column names the rows. Tables the solution only extends keep the platform's.
        /// </remarks>
        private void CheckPrimaryNames()
        {
            foreach (var (path, document) in _source.Under("Entities").Where(pair => pair.Path.EndsWith("/Entity.xml", StringComparison.Ordinal)))
            {
                var entity = document.Root!.Element("EntityInfo")?.Element("entity");
                if (entity is null || (string?)entity.Attribute("unmodified") == "1")
                {
                    continue;
                }
                var primary = entity.Element("attributes")?.Elements("attribute").Where(attribute => Mask(attribute).Contains("PrimaryName")).ToList() ?? new();
                if (primary.Count != 1)
                {
                    Add(path, "DisplayMask", entity, primary.Count == 0
                        ? "no column is the primary name: one nvarchar column's DisplayMask must include PrimaryName (as exports have it: PrimaryName|ValidForAdvancedFind|ValidForForm|ValidForGrid|RequiredForForm)"
                        : $"{primary.Count} columns carry PrimaryName in their DisplayMask; a table has exactly one primary name column");
                    continue;
                }
                var column = primary[0];
                if ((string?)column.Element("Type") != "nvarchar")
                {
                    Add(path, "DisplayMask", column, $"the primary name column {(string?)column.Element("LogicalName")} is a {(string?)column.Element("Type")}; it must be a single line of text (nvarchar)");
                }
                else if ((string?)column.Element("RequiredLevel") is "required" or "systemrequired" && !Mask(column).Contains("RequiredForForm"))
                {
                    Add(path, "DisplayMask", column, $"the required primary name column {(string?)column.Element("LogicalName")} lacks RequiredForForm in its DisplayMask, which exports of required primary names carry");
                }
            }
        }

        private static string[] Mask(XElement attribute) =>
            ((string?)attribute.Element("DisplayMask") ?? "").Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }
}
