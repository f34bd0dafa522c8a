using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace OneKosmos.Solution.Packer.Output
{
    /// <summary>
    /// Writes the plug-in package (a NuGet package of the plug-in assemblies and their dependencies) byte for byte
    /// the same for the same input: <c>dotnet pack</c> cannot, since it names its core-properties part at random and
    /// stamps times.
    /// </summary>
    internal static class PluginPackageWriter
    {
        public const string PackageId = "OneKosmos.Plugins";

        /// <remarks><paramref name="version"/> is the package's own version (pluginpackage.xml), not the solution's.</remarks>
        public static byte[] Write(IReadOnlyList<string> assemblyFiles, SolutionConfig config, string version)
        {
            XNamespace nuspec = "http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd";
            var manifest = Xml(new XElement(nuspec + "package",
                new XElement(nuspec + "metadata",
                    new XElement(nuspec + "id", PackageId),
                    new XElement(nuspec + "version", version),
                    new XElement(nuspec + "authors", config.PublisherDisplayName),
                    new XElement(nuspec + "description", config.Description),
                    new XElement(nuspec + "dependencies", new XElement(nuspec + "group", new XAttribute("targetFramework", ".NETFramework4.6.2"))))));
            var propertiesName = Convert.ToHexStringLower(SHA256.HashData(manifest))[..32] + ".psmdcp";
            XNamespace relationships = "http://schemas.openxmlformats.org/package/2006/relationships";
            XNamespace coreProperties = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";
            XNamespace dc = "http://purl.org/dc/elements/1.1/";
            XNamespace contentTypes = "http://schemas.openxmlformats.org/package/2006/content-types";

            var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal)
            {
                [PackageId + ".nuspec"] = manifest,
                ["_rels/.rels"] = Xml(new XElement(relationships + "Relationships",
                    Relationship(relationships, "R1", "http://schemas.microsoft.com/packaging/2010/07/manifest", "/" + PackageId + ".nuspec"),
                    Relationship(relationships, "R2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties", "/package/services/metadata/core-properties/" + propertiesName))),
                ["package/services/metadata/core-properties/" + propertiesName] = Xml(new XElement(coreProperties + "coreProperties",
                    new XAttribute(XNamespace.Xmlns + "dc", dc),
                    new XElement(dc + "creator", config.PublisherDisplayName),
                    new XElement(dc + "description", config.Description),
                    new XElement(dc + "identifier", PackageId),
                    new XElement(coreProperties + "version", version))),
                ["[Content_Types].xml"] = Xml(new XElement(contentTypes + "Types",
                    Default(contentTypes, "rels", "application/vnd.openxmlformats-package.relationships+xml"),
                    Default(contentTypes, "nuspec", "application/octet"),
                    Default(contentTypes, "dll", "application/octet"),
                    Default(contentTypes, "psmdcp", "application/vnd.openxmlformats-package.core-properties+xml"))),
            };
            foreach (var file in assemblyFiles)
            {
                entries["lib/net462/" + Path.GetFileName(file)] = File.ReadAllBytes(file);
            }
            return DeterministicZip.Create(entries);
        }

        private static XElement Relationship(XNamespace ns, string id, string type, string target) =>
            new(ns + "Relationship", new XAttribute("Type", type), new XAttribute("Target", target), new XAttribute("Id", id));

        private static XElement Default(XNamespace ns, string extension, string contentType) =>
            new(ns + "Default", new XAttribute("Extension", extension), new XAttribute("ContentType", contentType));

        private static byte[] Xml(XElement root) =>
            Encoding.UTF8.GetBytes(new XDocument(new XDeclaration("1.0", "utf-8", null), root).Declaration + "\n" + root.ToString(SaveOptions.None) + "\n");
    }
}
