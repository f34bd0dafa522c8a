using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml;
using System.Xml.Linq;
using Microsoft.Xrm.Sdk;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Dataverse.Deployment
{
    /// <summary>
    /// A solution zip as an import reads it, checked whole before anything is written: the manifest (unique name, version,
    /// managed), what customizations.xml and the component folders declare, the plug-in package with the assemblies that
    /// hold plug-in types, and the classic plug-in assemblies.
    /// </summary>
    internal sealed class SolutionPackage
    {
        private SolutionPackage(string uniqueName, string version, bool managed, SolutionMetadata metadata, PackageContent? package, IReadOnlyList<PackagedFlow> flows, IReadOnlyList<PackagedConnectionReference> connectionReferences)
        {
            UniqueName = uniqueName;
            Version = version;
            Managed = managed;
            Metadata = metadata;
            Package = package;
            Flows = flows;
            ConnectionReferences = connectionReferences;
        }

        /// <value>The cloud flows (customizations.xml &lt;Workflows&gt; of category 5, with the definitions their JsonFileName names).</value>
        public IReadOnlyList<PackagedFlow> Flows { get; }

        /// <value>The connection references customizations.xml declares (&lt;connectionreferences&gt;).</value>
        public IReadOnlyList<PackagedConnectionReference> ConnectionReferences { get; }

        public string UniqueName { get; }

        public string Version { get; }

        public bool Managed { get; }

        public SolutionMetadata Metadata { get; }

        /// <value>The plug-in package the zip carries; null when it carries none.</value>
        public PackageContent? Package { get; }

        /// <summary>Reads <paramref name="zip"/>; the plug-in code must be the build the sandbox was given in <paramref name="pluginAssemblies"/>.</summary>
        /// <exception cref="InvalidDataException">The zip is no solution, a file is malformed, or the package's code is not what the sandbox runs; the message says which.</exception>
        public static SolutionPackage Read(byte[] zip, IReadOnlyList<Assembly> pluginAssemblies)
        {
            var path = Path.Combine(Path.GetTempPath(), $"okos-import-{Guid.NewGuid():N}.zip");
            File.WriteAllBytes(path, zip);
            try
            {
                using var archive = OpenZip(path);
                var manifest = Document(archive, "solution.xml").Root!.Element("SolutionManifest")
                    ?? throw new InvalidDataException("solution.xml has no <SolutionManifest>.");
                var uniqueName = (string?)manifest.Element("UniqueName") is { Length: > 0 } name ? name : throw new InvalidDataException("solution.xml: <UniqueName> is missing.");
                var version = (string?)manifest.Element("Version") is { } text && System.Version.TryParse(text, out _) ? text : throw new InvalidDataException("solution.xml: <Version> is missing or not a version (major.minor.build.revision).");
                var managed = (string?)manifest.Element("Managed") == "1";
                var metadata = PackedSolution.Read(path);
                var customizations = Document(archive, "customizations.xml").Root!;
                return new SolutionPackage(uniqueName, version, managed, metadata, ReadPackage(archive, pluginAssemblies), ReadFlows(archive, customizations), ReadConnectionReferences(customizations));
            }
            catch (Exception exception) when (exception is XmlException or IOException)
            {
                throw new InvalidDataException($"The solution file is malformed: {exception.Message}", exception);
            }
            finally
            {
                File.Delete(path);
            }
        }

        private static IReadOnlyList<PackagedFlow> ReadFlows(ZipArchive archive, XElement customizations) =>
            (customizations.Element("Workflows")?.Elements("Workflow") ?? Enumerable.Empty<XElement>())
                .Where(row => (string?)row.Element("Category") == "5")
                .Select(row =>
                {
                    var name = (string?)row.Attribute("Name") ?? "";
                    var file = ((string?)row.Element("JsonFileName") ?? throw new InvalidDataException($"customizations.xml: the cloud flow {name} has no <JsonFileName>.")).TrimStart('/');
                    var entry = archive.GetEntry(file) ?? throw new InvalidDataException($"customizations.xml: the cloud flow {name} names {file}, which the zip does not hold.");
                    using var reader = new StreamReader(entry.Open());
                    return new PackagedFlow(
                        Guid.Parse((string?)row.Attribute("WorkflowId") ?? throw new InvalidDataException($"customizations.xml: the cloud flow {name} has no WorkflowId.")),
                        name,
                        reader.ReadToEnd(),
                        (string?)row.Element("StateCode") == "1",
                        (string?)row.Element("PrimaryEntity") ?? "none",
                        (string?)row.Element("Descriptions")?.Element("Description")?.Attribute("description"));
                })
                .ToList();

        private static IReadOnlyList<PackagedConnectionReference> ReadConnectionReferences(XElement customizations) =>
            (customizations.Element("connectionreferences")?.Elements("connectionreference") ?? Enumerable.Empty<XElement>())
                .Select(reference => new PackagedConnectionReference(
                    (string?)reference.Attribute("connectionreferencelogicalname") ?? throw new InvalidDataException("customizations.xml: a <connectionreference> has no connectionreferencelogicalname."),
                    (string?)reference.Element("connectionreferencedisplayname") ?? "",
                    (string?)reference.Element("connectorid") ?? ""))
                .ToList();

        private static ZipArchive OpenZip(string path)
        {
            try
            {
                return ZipFile.OpenRead(path);
            }
            catch (InvalidDataException exception)
            {
                throw new InvalidDataException($"The file is not a solution zip: {exception.Message}", exception);
            }
        }

        private static XDocument Document(ZipArchive archive, string entryName)
        {
            var entry = archive.GetEntry(entryName) ?? throw new InvalidDataException($"The zip has no {entryName}: it is not a solution.");
            using var stream = entry.Open();
            return XDocument.Load(stream);
        }

        private static PackageContent? ReadPackage(ZipArchive archive, IReadOnlyList<Assembly> pluginAssemblies)
        {
            var definition = archive.Entries.FirstOrDefault(entry => entry.FullName.StartsWith("pluginpackages/", StringComparison.Ordinal) && entry.Name == "pluginpackage.xml");
            if (definition is null)
            {
                return null;
            }
            var root = Document(archive, definition.FullName).Root!;
            var uniqueName = (string?)root.Attribute("uniquename") ?? throw new InvalidDataException($"{definition.FullName}: <pluginpackage> has no uniquename.");
            var folder = definition.FullName[..^definition.Name.Length];
            var nupkg = archive.GetEntry($"{folder}package/{uniqueName}.nupkg") ?? throw new InvalidDataException($"{definition.FullName}: the package file {folder}package/{uniqueName}.nupkg is missing.");
            using var buffer = new MemoryStream();
            using (var stream = nupkg.Open())
            {
                stream.CopyTo(buffer);
            }
            buffer.Position = 0;
            using var package = new ZipArchive(buffer, ZipArchiveMode.Read);
            var assemblies = new List<PackagedAssembly>();
            foreach (var entry in package.Entries.Where(entry => entry.FullName.StartsWith("lib/net462/", StringComparison.Ordinal) && entry.Name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)))
            {
                var (name, mvid) = Identity(entry);
                var loaded = pluginAssemblies.FirstOrDefault(assembly => assembly.GetName().Name == name);
                if (loaded is null)
                {
                    // A dependency: Dataverse keeps it in the package, and only assemblies that hold plug-in types get rows.
                    continue;
                }
                if (loaded.ManifestModule.ModuleVersionId != mvid)
                {
                    throw new InvalidDataException(
                        $"The package's {name}.dll is not the build the sandbox runs (it runs plug-in code from the assemblies it was started with): pack the solution from the same build.");
                }
                var types = loaded.GetExportedTypes().Where(type => type.IsClass && !type.IsAbstract && typeof(IPlugin).IsAssignableFrom(type)).Select(type => type.FullName!).OrderBy(type => type, StringComparer.Ordinal).ToList();
                assemblies.Add(new PackagedAssembly(loaded.GetName(), types));
            }
            return new PackageContent(uniqueName, (string?)root.Element("version") ?? "1.0.0", assemblies);
        }

        private static (string Name, Guid Mvid) Identity(ZipArchiveEntry entry)
        {
            using var buffer = new MemoryStream();
            using (var stream = entry.Open())
            {
                stream.CopyTo(buffer);
            }
            buffer.Position = 0;
            try
            {
                using var pe = new PEReader(buffer);
                var reader = pe.GetMetadataReader();
                return (reader.GetString(reader.GetAssemblyDefinition().Name), reader.GetGuid(reader.GetModuleDefinition().Mvid));
            }
            catch (Exception exception) when (exception is BadImageFormatException or InvalidOperationException)
            {
                throw new InvalidDataException($"The plug-in package's {entry.FullName} is not a .NET assembly.", exception);
            }
        }
    }

    /// <summary>A plug-in package: its unique name and version, and the assemblies in it that hold plug-in types.</summary>
    internal sealed record PackageContent(string UniqueName, string Version, IReadOnlyList<PackagedAssembly> Assemblies);

    /// <summary>An assembly of a plug-in package, with the full names of its plug-in types.</summary>
    internal sealed record PackagedAssembly(AssemblyName Name, IReadOnlyList<string> PluginTypes);

    /// <summary>A cloud flow of a solution zip: its process row's id, name, definition (clientdata) and whether the export had it on.</summary>
    internal sealed record PackagedFlow(Guid Id, string Name, string ClientData, bool On, string PrimaryEntity, string? Description);

    /// <summary>A connection reference of a solution zip: what a flow's connection is bound through.</summary>
    internal sealed record PackagedConnectionReference(string LogicalName, string DisplayName, string ConnectorId);
}
