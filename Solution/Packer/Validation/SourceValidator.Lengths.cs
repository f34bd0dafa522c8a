using System;
using System.Linq;
using System.Xml.Linq;

namespace OneKosmos.Solution.Packer.Validation
{
    /// <summary>Custom API texts fit the columns Dataverse stores them in: a longer one fails the import.</summary>
    internal sealed partial class SourceValidator
    {
        /// <remarks>
        /// Column sizes of the customapi, customapirequestparameter and customapiresponseproperty tables
        /// (learn.microsoft.com/power-apps/developer/data-platform/reference/entities/customapi, …/customapirequestparameter,
        /// …/customapiresponseproperty): unique name 128, name 100, display name 100, description 300.
        /// </remarks>
        private static readonly (string Element, int MaxLength)[] CustomApiTextLimits =
        {
            ("uniquename", 128), ("name", 100), ("displayname", 100), ("description", 300),
        };

        private void CheckLengths()
        {
            foreach (var (path, document) in _source.Under("customapis"))
            {
                var root = document.Root!;
                var table = root.Name.LocalName;
                foreach (var (element, maxLength) in CustomApiTextLimits)
                {
                    foreach (var (at, text) in Texts(root, element))
                    {
                        if (text.Length > maxLength)
                        {
                            Add(path, element, at, $"is {text.Length} characters; the {table} table holds at most {maxLength} (shorten it, or move the detail to the README)");
                        }
                    }
                }
            }
        }

        /// <summary>Every text of <paramref name="element"/>: the uniquename attribute, a plain element, or a label's default and its localized labels.</summary>
        private static (XElement At, string Text)[] Texts(XElement root, string element)
        {
            if (element == "uniquename")
            {
                return root.Attribute("uniquename") is { } unique ? new[] { (root, unique.Value) } : Array.Empty<(XElement, string)>();
            }
            if (root.Element(element) is not { } node)
            {
                return Array.Empty<(XElement, string)>();
            }
            var labels = node.Elements("label").Select(label => (label, (string?)label.Attribute("description") ?? ""));
            return (node.Attribute("default") is { } fallback ? new[] { (node, fallback.Value) } : node.HasElements ? Array.Empty<(XElement, string)>() : new[] { (node, node.Value) })
                .Concat(labels)
                .ToArray();
        }
    }
}
