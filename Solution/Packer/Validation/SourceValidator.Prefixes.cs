using System;
using System.Linq;
using System.Xml.Linq;

namespace OneKosmos.Solution.Packer.Validation
{
    /// <summary>Every component name carries the publisher prefix.</summary>
    internal sealed partial class SourceValidator
    {
        private void CheckPrefixes()
        {
            foreach (var (path, document) in _source.Under("Entities"))
            {
                var entity = document.Root?.Element("EntityInfo")?.Element("entity");
                if (entity is null)
                {
                    continue;
                }
                var extends = (string?)entity.Attribute("unmodified") == "1";
                if (!extends)
                {
                    Require(path, entity, "entity", (string?)entity.Attribute("Name"), "table");
                }
                foreach (var attribute in entity.Element("attributes")?.Elements("attribute") ?? Enumerable.Empty<XElement>())
                {
                    if ((string?)attribute.Element("IsCustomField") == "1")
                    {
                        Require(path, attribute, "attribute", (string?)attribute.Element("LogicalName"), "column");
                    }
                }
                foreach (var key in entity.Descendants("EntityKey"))
                {
                    Require(path, key, "EntityKey", (string?)key.Element("Name"), "alternate key");
                }
            }
            foreach (var (path, document) in _source.Under("OptionSets"))
            {
                Require(path, document.Root!, "optionset", (string?)document.Root!.Attribute("Name"), "global choice");
            }
            foreach (var (path, document) in _source.Under("environmentvariabledefinitions"))
            {
                Require(path, document.Root!, "environmentvariabledefinition", (string?)document.Root!.Attribute("schemaname"), "environment variable");
            }
            foreach (var (path, document) in _source.Under("pluginpackages"))
            {
                Require(path, document.Root!, "pluginpackage", (string?)document.Root!.Attribute("uniquename"), "plug-in package");
            }
            foreach (var (path, document) in _source.Under("Other/Relationships"))
            {
                foreach (var relationship in document.Root!.Elements("EntityRelationship"))
                {
                    Require(path, relationship, "EntityRelationship", (string?)relationship.Attribute("Name"), "relationship");
                }
            }
        }

        private void Require(string path, XElement element, string elementName, string? name, string what)
        {
            if (name is null || !name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                Add(path, elementName, element, $"the {what} name '{name}' must start with the publisher prefix '{Prefix}'");
            }
        }
    }
}
