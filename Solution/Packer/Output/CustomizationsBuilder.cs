using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;
using OneKosmos.Solution.Model;

namespace OneKosmos.Solution.Packer.Output
{
    /// <summary>
    /// Merges the split source back into the one customizations.xml Dataverse imports: tables with their forms and
    /// views, relationships, roles, global choices, web resources and classic plug-in assemblies go inline; components the
    /// 9.0-era schema does not know (environment variables, plug-in packages, custom APIs, cloud flow definitions) stay in their
    /// own folders of the zip.
    /// Steps are left out: they run types of the plug-in package, which an import cannot resolve before the package exists
    /// (their registration names a key Dataverse generates), so okos-deploy registers them from Solution/src after the import.
    /// </summary>
    internal static class CustomizationsBuilder
    {
        /// <summary>Each table's relationships, one file a table (Other/Relationships.xml indexes them by name).</summary>
        public const string RelationshipsFolder = "Other/Relationships";

        public static XDocument Build(SourceTree source)
        {
            var document = new XDocument(source.Document("Other/Customizations.xml")!);
            var root = document.Root!;
            Fill(root, "Entities", Entities(source));
            Fill(root, "Roles", Roots(source, "Roles"));
            Fill(root, "FieldSecurityProfiles", source.Document(SolutionMetadataReader.FieldSecurityProfilesFile)?.Root!.Elements("FieldSecurityProfile").Select(Copy) ?? Enumerable.Empty<XElement>());
            Fill(root, "EntityRelationships", source.Under(RelationshipsFolder).SelectMany(file => file.Document.Root!.Elements("EntityRelationship")).Select(Copy));
            Fill(root, "optionsets", Roots(source, "OptionSets"));
            Fill(root, "WebResources", Roots(source, "WebResources"));
            Fill(root, "SolutionPluginAssemblies", Roots(source, "PluginAssemblies"));
            // A cloud flow's process row joins <Workflows>; its definition goes into the zip as Workflows/{Name}-{GUID}.json.
            Fill(root, "Workflows", source.Under(Validation.SourceValidator.FlowsFolder).Where(file => file.Path.EndsWith(".json.data.xml", StringComparison.Ordinal)).Select(file => Copy(file.Document.Root!)));
            return document;
        }

        private static IEnumerable<XElement> Entities(SourceTree source)
        {
            foreach (var (path, document) in source.Under("Entities").Where(file => file.Path.EndsWith("/Entity.xml", StringComparison.Ordinal)))
            {
                var folder = path[..^"/Entity.xml".Length];
                var entity = Copy(document.Root!);
                var forms = source.Under(folder + "/FormXml").GroupBy(file => file.Path.Split('/')[^2], StringComparer.Ordinal)
                    .Select(group => new XElement("forms", new XAttribute("type", group.Key), group.SelectMany(file => file.Document.Root!.Elements("systemform")).Select(Copy)))
                    .ToList();
                Replace(entity, "FormXml", forms);
                var views = source.Under(folder + "/SavedQueries").SelectMany(file => file.Document.Root!.Elements("savedquery")).Select(Copy).ToList();
                Replace(entity, "SavedQueries", new List<XElement> { new("savedqueries", views) });
                yield return entity;
            }
        }

        private static IEnumerable<XElement> Roots(SourceTree source, string folder) => source.Under(folder).Select(file => Copy(file.Document.Root!));

        private static void Fill(XElement root, string container, IEnumerable<XElement> children)
        {
            var element = root.Element(container) ?? throw new InvalidOperationException($"Other/Customizations.xml has no <{container}> element to fill.");
            element.Add(children);
        }

        private static void Replace(XElement entity, string name, IEnumerable<XElement> children)
        {
            var element = entity.Element(name);
            if (element is null)
            {
                element = new XElement(name);
                entity.Add(element);
            }
            element.RemoveAll();
            element.Add(children);
        }

        /// <summary>A copy without the xmlns:xsi declarations each split file repeats.</summary>
        private static XElement Copy(XElement element)
        {
            var copy = new XElement(element);
            copy.DescendantsAndSelf().Attributes().Where(attribute => attribute.IsNamespaceDeclaration).Remove();
            return copy;
        }
    }
}
