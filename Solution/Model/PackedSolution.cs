using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;

namespace OneKosmos.Solution.Model
{
    /// <summary>
    /// Turns a packed solution zip (what Dataverse imports and exports) back into the unpacked source layout, so the
    /// sandbox reads a zip exactly as it reads <c>Solution/src</c>: tables, choices, relationships, roles and field
    /// security from customizations.xml; environment variables and custom APIs from their own files.
    /// </summary>
    public static class PackedSolution
    {
        /// <value>Components a zip keeps in files of their own, in the same layout as the source.</value>
        private static readonly string[] FileFolders = { "environmentvariabledefinitions/", "customapis/", "PluginAssemblies/" };

        /// <summary>Extracts <paramref name="zipPath"/> into <paramref name="folder"/> in the source layout.</summary>
        /// <exception cref="InvalidDataException">The zip has no customizations.xml, or it is malformed.</exception>
        public static void Unpack(string zipPath, string folder)
        {
            using var archive = ZipFile.OpenRead(zipPath);
            var customizationsEntry = archive.GetEntry("customizations.xml") ?? throw new InvalidDataException($"{zipPath} has no customizations.xml: it is not a solution zip.");
            XElement customizations;
            using (var stream = customizationsEntry.Open())
            {
                customizations = XDocument.Load(stream).Root!;
            }

            foreach (var entity in customizations.Element("Entities")?.Elements("Entity") ?? Enumerable.Empty<XElement>())
            {
                var name = (string?)entity.Element("EntityInfo")?.Element("entity")?.Attribute("Name") ?? entity.Element("Name")!.Value;
                Save(folder, Path.Combine("Entities", name, "Entity.xml"), entity);
            }
            foreach (var optionSet in customizations.Element("optionsets")?.Elements("optionset") ?? Enumerable.Empty<XElement>())
            {
                Save(folder, Path.Combine("OptionSets", (string)optionSet.Attribute("Name")! + ".xml"), optionSet);
            }
            foreach (var role in customizations.Element("Roles")?.Elements("Role") ?? Enumerable.Empty<XElement>())
            {
                Save(folder, Path.Combine("Roles", (string)role.Attribute("name")! + ".xml"), role);
            }
            foreach (var step in customizations.Element("SdkMessageProcessingSteps")?.Elements("SdkMessageProcessingStep") ?? Enumerable.Empty<XElement>())
            {
                Save(folder, Path.Combine("SdkMessageProcessingSteps", (string)step.Attribute("SdkMessageProcessingStepId")! + ".xml"), step);
            }
            foreach (var assembly in customizations.Element("SolutionPluginAssemblies")?.Elements("PluginAssembly") ?? Enumerable.Empty<XElement>())
            {
                var file = ((string?)assembly.Element("FileName") ?? throw new InvalidDataException($"{zipPath}: a PluginAssembly has no FileName.")).TrimStart('/');
                Save(folder, file + ".data.xml", assembly);
            }
            Save(folder, Path.Combine("Other", "Relationships", "relationships.xml"),
                new XElement("EntityRelationships", customizations.Element("EntityRelationships")?.Elements("EntityRelationship")));
            Save(folder, SolutionMetadataReader.FieldSecurityProfilesFile,
                new XElement(customizations.Element("FieldSecurityProfiles") ?? new XElement("FieldSecurityProfiles")));

            foreach (var entry in archive.Entries.Where(entry => FileFolders.Any(prefix => entry.FullName.StartsWith(prefix, StringComparison.Ordinal)) && entry.Name.Length > 0))
            {
                var target = Path.Combine(folder, entry.FullName);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                entry.ExtractToFile(target, overwrite: true);
            }
        }

        /// <summary>Reads what a packed solution zip declares, as <see cref="SolutionMetadataReader.Read"/> reads an unpacked one.</summary>
        public static SolutionMetadata Read(string zipPath)
        {
            var folder = Path.Combine(Path.GetTempPath(), "okos-solution-" + Guid.NewGuid().ToString("N"));
            try
            {
                Unpack(zipPath, folder);
                return SolutionMetadataReader.Read(folder);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        private static void Save(string folder, string relativePath, XElement element)
        {
            var path = Path.Combine(folder, relativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            new XDocument(element).Save(path);
        }
    }
}
