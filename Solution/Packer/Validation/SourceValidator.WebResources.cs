using System;
using System.Collections.Generic;
using System.IO;
using System.Xml.Linq;

namespace OneKosmos.Solution.Packer.Validation
{
    /// <summary>Web resources exist and have the type their file says.</summary>
    internal sealed partial class SourceValidator
    {
        private static readonly Dictionary<string, int> WebResourceTypes = new(StringComparer.OrdinalIgnoreCase)
        {
            [".html"] = 1, [".htm"] = 1, [".css"] = 2, [".js"] = 3, [".xml"] = 4, [".png"] = 5, [".jpg"] = 6, [".gif"] = 7, [".xsl"] = 9, [".ico"] = 10, [".svg"] = 11, [".resx"] = 12,
        };

        /// <remarks>Each web resource's content comes from the web resources' build; its type must match its extension and its file its name.</remarks>
        private void CheckWebResources()
        {
            foreach (var (path, document) in _source.Under("WebResources"))
            {
                var root = document.Root!;
                var name = (string?)root.Element("Name") ?? "";
                Require(path, root, "WebResource", name, "web resource");
                if ((string?)root.Element("FileName") != "/WebResources/" + name)
                {
                    Add(path, "FileName", root, $"must be /WebResources/{name}, where the zip carries the content");
                }
                var type = (int?)root.Element("WebResourceType");
                if (!WebResourceTypes.TryGetValue(Path.GetExtension(name), out var expected) || type != expected)
                {
                    Add(path, "WebResourceType", root, $"is {type}, but a {Path.GetExtension(name)} web resource is type {(WebResourceTypes.TryGetValue(Path.GetExtension(name), out var known) ? known : 0)}");
                }
                if (!File.Exists(Path.Combine(_webResourceFolder, name)))
                {
                    Add(path, "Name", root, $"{name} is not in {_webResourceFolder}: build the web resources first (cd WebResources && npm ci && npm run build)");
                }
            }
        }
    }
}
