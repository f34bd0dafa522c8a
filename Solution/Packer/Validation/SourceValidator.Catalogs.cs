using System;
using System.Linq;
using System.Xml.Linq;
using OneKosmos.Solution.Model;

namespace OneKosmos.Solution.Packer.Validation
{
    /// <summary>
    /// Business event catalogs as "Catalog and CatalogAssignment tables" gives their solution files
    /// (learn.microsoft.com/power-apps/developer/data-platform/catalog-catalogassignment): each catalog in
    /// catalogs/{uniquename}/catalog.xml, a category naming its parent, and every assignment in Assets/catalogassignments.xml
    /// placing one of our business events in a category, so a flow's "When an action is performed" finds it.
    /// </summary>
    internal sealed partial class SourceValidator
    {
        public const string CatalogsFolder = "catalogs";

        public const string CatalogAssignmentsFile = "Assets/catalogassignments.xml";

        private void CheckCatalogs(SolutionMetadata metadata)
        {
            var catalogs = _source.Under(CatalogsFolder).Where(file => file.Path.EndsWith("/catalog.xml", StringComparison.Ordinal)).ToList();
            var names = catalogs.Select(file => (string?)file.Document.Root!.Attribute("uniquename")).ToHashSet(StringComparer.Ordinal);
            foreach (var (path, document) in catalogs)
            {
                var root = document.Root!;
                var name = (string?)root.Attribute("uniquename");
                Require(path, root, "catalog", name, "catalog");
                if (path != $"{CatalogsFolder}/{name}/catalog.xml")
                {
                    Add(path, "catalog", root, $"the catalog {name} must be in {CatalogsFolder}/{name}/catalog.xml: the folder is named after the unique name");
                }
                if (root.Element("parentcatalogid")?.Element("uniquename")?.Value is { } parent && !names.Contains(parent))
                {
                    Add(path, "parentcatalogid", root, $"names the parent catalog {parent}, which {CatalogsFolder}/ does not define");
                }
            }
            foreach (var assignment in _source.Document(CatalogAssignmentsFile)?.Root?.Elements("catalogassignment") ?? Enumerable.Empty<XElement>())
            {
                var catalog = (string?)assignment.Attribute("catalogid.uniquename");
                var kind = (string?)assignment.Attribute("objectidtype");
                var target = (string?)assignment.Attribute("object.uniquename");
                if (catalog is null || !names.Contains(catalog))
                {
                    Add(CatalogAssignmentsFile, "catalogassignment", assignment, $"assigns to the catalog '{catalog}', which {CatalogsFolder}/ does not define");
                }
                else if (catalogs.First(file => (string?)file.Document.Root!.Attribute("uniquename") == catalog).Document.Root!.Element("parentcatalogid") is null)
                {
                    Add(CatalogAssignmentsFile, "catalogassignment", assignment, $"assigns to the root catalog {catalog}; events go in a category (a catalog with a parent)");
                }
                if (kind != "customapi" || metadata.CustomApis.FirstOrDefault(api => api.UniqueName == target) is not { IsBusinessEvent: true })
                {
                    Add(CatalogAssignmentsFile, "catalogassignment", assignment, $"assigns the {kind} '{target}', which is no business event of this solution (a custom API with allowedcustomprocessingsteptype 1, no plug-in and nothing to return)");
                }
            }
        }
    }
}
