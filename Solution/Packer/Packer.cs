using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml.Linq;
using OneKosmos.Solution.Packer.Assemblies;
using OneKosmos.Solution.Packer.Output;
using OneKosmos.Solution.Packer.Validation;
using OneKosmos.Solution.Model;

namespace OneKosmos.Solution.Packer
{
    /// <summary>Validates the solution source and writes the unmanaged and managed zips Dataverse imports.</summary>
    internal sealed class Packer
    {
        /// <value>The assemblies whose plug-in types the solution registers; the package carries them and their dependencies.</value>
        public static readonly string[] PluginAssemblyNames = { "OneKosmos.Plugins", "OneKosmos.CustomApis" };

        private readonly string _sourceFolder;
        private readonly string _assemblyFolder;
        private readonly SolutionConfig _config;
        private readonly string _classicAssemblyFolder;
        private readonly string _webResourceFolder;

        /// <remarks>
        /// <paramref name="assemblyFolder"/> holds the plug-in package's assemblies; <paramref name="classicAssemblyFolder"/> the
        /// ones registered the classic way (the workflow activity's), each file shipped as the solution's PluginAssemblies name it;
        /// <paramref name="webResourceFolder"/> the built web resources (WebResources/dist), by their names.
        /// </remarks>
        public Packer(string sourceFolder, string assemblyFolder, SolutionConfig config, string classicAssemblyFolder, string webResourceFolder)
        {
            _webResourceFolder = webResourceFolder;
            _sourceFolder = sourceFolder;
            _assemblyFolder = assemblyFolder;
            _config = config;
            _classicAssemblyFolder = classicAssemblyFolder;
        }

        public IReadOnlyList<Problem> Check()
        {
            using var assemblies = LoadAssemblies(out var problem);
            return Check(new SourceTree(_sourceFolder), assemblies, problem);
        }

        /// <summary>Writes both zips into <paramref name="outputFolder"/> and returns their paths; nothing is written when a check fails.</summary>
        public (IReadOnlyList<Problem> Problems, IReadOnlyList<string> Written) Pack(string outputFolder)
        {
            var (problems, zips) = Build(false, true);
            if (problems.Count > 0)
            {
                return (problems, Array.Empty<string>());
            }
            var site = Path.Combine(_webResourceFolder, "powerpages");
            if (!Directory.Exists(site))
            {
                return (new[] { new Problem("WebResources/dist/powerpages", "powerpages", "The Power Pages package is not built: run 'npm run build' in WebResources.") }, Array.Empty<string>());
            }
            Directory.CreateDirectory(outputFolder);
            var written = new List<string>();
            foreach (var (managed, zip) in zips)
            {
                var path = Path.Combine(outputFolder, $"{_config.UniqueName}_{_config.FileVersion}{(managed ? "_managed" : "")}.zip");
                File.WriteAllBytes(path, zip);
                written.Add(path);
            }
            var sitePath = Path.Combine(outputFolder, $"{_config.UniqueName}_{_config.FileVersion}_PowerPages.zip");
            File.WriteAllBytes(sitePath, DeterministicZip.Create(SitePackage(site)));
            written.Add(sitePath);
            return (problems, written);
        }

        /// <summary>
        /// The Power Pages package (README: Self-service on a Power Pages site): the files pac pages download would hold for the
        /// product's web template, table permissions and site settings, to merge into a downloaded site and upload.
        /// </summary>
        private static Dictionary<string, byte[]> SitePackage(string folder) =>
            Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
                .ToDictionary(file => Path.GetRelativePath(folder, file).Replace('\\', '/'), File.ReadAllBytes, StringComparer.Ordinal);

        /// <summary>The zips of the given kinds (false unmanaged, true managed), in memory; none when a check fails.</summary>
        /// <remarks>The source and the assemblies are read once, for the check and every zip alike.</remarks>
        public (IReadOnlyList<Problem> Problems, IReadOnlyList<(bool Managed, byte[] Zip)> Zips) Build(params bool[] kinds)
        {
            using var assemblies = LoadAssemblies(out var problem);
            var source = new SourceTree(_sourceFolder);
            var problems = Check(source, assemblies, problem);
            if (problems.Count > 0)
            {
                return (problems, Array.Empty<(bool, byte[])>());
            }
            var package = PluginPackageWriter.Write(assemblies!.PackageFiles, _config, PackageVersion(source));
            return (problems, kinds.Select(managed => (managed, DeterministicZip.Create(Entries(source, package, managed)))).ToList());
        }

        private IReadOnlyList<Problem> Check(SourceTree source, PluginAssemblies? assemblies, Problem? assemblyProblem)
        {
            var problems = new SourceValidator(source, _config, assemblies, _classicAssemblyFolder, _webResourceFolder).Validate().ToList();
            if (assemblyProblem is not null)
            {
                problems.Add(assemblyProblem);
            }
            return problems;
        }

        private Dictionary<string, byte[]> Entries(SourceTree source, byte[] package, bool managed)
        {
            var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal)
            {
                ["solution.xml"] = Xml(ManifestBuilder.Build(source, _config, managed)),
                ["customizations.xml"] = Xml(CustomizationsBuilder.Build(source)),
            };
            foreach (var (path, document) in source.Under("environmentvariabledefinitions"))
            {
                entries[path] = Xml(document);
            }
            foreach (var assembly in SolutionMetadataReader.Read(source.Root).PluginAssemblies)
            {
                var name = assembly.FullName.Split(',')[0].Trim();
                entries[assembly.FileName.TrimStart('/')] = File.ReadAllBytes(Path.Combine(_classicAssemblyFolder, name + ".dll"));
            }
            foreach (var (_, document) in source.Under("WebResources"))
            {
                var name = (string)document.Root!.Element("Name")!;
                entries[((string)document.Root!.Element("FileName")!).TrimStart('/')] = File.ReadAllBytes(Path.Combine(_webResourceFolder, name));
            }
            foreach (var path in CopiedAsIs(source.Root))
            {
                entries[path] = File.ReadAllBytes(Path.Combine(source.Root, path));
            }
            foreach (var (path, document) in source.Under("customapis").Where(file => file.Path.EndsWith("/customapi.xml", StringComparison.Ordinal)))
            {
                entries[path] = Xml(WithoutPluginType(document));
            }
            foreach (var (path, document) in source.Under("pluginpackages"))
            {
                // As the source has it: the package keeps its own version, which the solution's releases never rewrite.
                entries[path] = Xml(document);
                var folder = path[..path.LastIndexOf('/')];
                entries[$"{folder}/package/{(string?)document.Root!.Attribute("uniquename")}.nupkg"] = package;
            }
            entries["[Content_Types].xml"] = ContentTypes(entries.Keys);
            return entries;
        }

        /// <summary>The plug-in package's own version (pluginpackages/*/pluginpackage.xml), which its nuspec carries too.</summary>
        private static string PackageVersion(SourceTree source) =>
            source.Under("pluginpackages").Select(pair => (string?)pair.Document.Root!.Element("version")).FirstOrDefault()
            ?? throw new InvalidDataException("pluginpackages/*/pluginpackage.xml has no <version>: pack --check names the fix.");

        /// <summary>
        /// Declares every file extension the zip holds (an Open Packaging Conventions part needs a content type, and the zip
        /// carries .resx, .css, .svg… web resources as well as XML and the package); exports declare them all as octet-stream.
        /// </summary>
        private static byte[] ContentTypes(IEnumerable<string> paths)
        {
            XNamespace types = "http://schemas.openxmlformats.org/package/2006/content-types";
            var extensions = paths.Select(path => Path.GetExtension(path).TrimStart('.').ToLowerInvariant()).Append("xml")
                .Where(extension => extension.Length > 0).Distinct(StringComparer.Ordinal).OrderBy(extension => extension, StringComparer.Ordinal);
            return Xml(new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement(types + "Types",
                extensions.Select(extension => new XElement(types + "Default", new XAttribute("Extension", extension), new XAttribute("ContentType", "application/octet-stream"))))));
        }

        /// <summary>
        /// A custom API ships without its main-operation type: inside a plug-in package the type is named by an export key
        /// Dataverse generates when the package is first imported, so no zip can name it before that (an import would fail
        /// with "Lookup value … is not resolvable"). okos-deploy binds each API to its type after the import, from the source.
        /// </summary>
        private static XDocument WithoutPluginType(XDocument customApi)
        {
            var copy = new XDocument(customApi);
            copy.Root!.Element("plugintypeid")?.Remove();
            return copy;
        }

        /// <summary>Request parameters and response properties go into the zip exactly as the source holds them, each in its own folder.</summary>
        private static IEnumerable<string> CopiedAsIs(string root)
        {
            var apis = Path.Combine(root, "customapis");
            var flows = Path.Combine(root, Validation.SourceValidator.FlowsFolder);
            // Business event catalogs and their assignments, in the files SolutionPackager keeps them in (catalogs/{name}/catalog.xml,
            // Assets/catalogassignments.xml): learn.microsoft.com/power-apps/developer/data-platform/catalog-catalogassignment.
            var catalogs = Path.Combine(root, Validation.SourceValidator.CatalogsFolder);
            var assignments = Path.Combine(root, Validation.SourceValidator.CatalogAssignmentsFile);
            return (Directory.Exists(apis)
                    ? Directory.GetFiles(apis, "*", SearchOption.AllDirectories).Where(path => Path.GetFileName(path) != "customapi.xml")
                    : Enumerable.Empty<string>())
                .Concat(Directory.Exists(flows) ? Directory.GetFiles(flows, "*.json") : Enumerable.Empty<string>())
                .Concat(Directory.Exists(catalogs) ? Directory.GetFiles(catalogs, "catalog.xml", SearchOption.AllDirectories) : Enumerable.Empty<string>())
                .Concat(File.Exists(assignments) ? new[] { assignments } : Enumerable.Empty<string>())
                .Select(file => Path.GetRelativePath(root, file).Replace('\\', '/'));
        }

        private PluginAssemblies? LoadAssemblies(out Problem? problem)
        {
            try
            {
                problem = null;
                return PluginAssemblies.Load(_assemblyFolder, PluginAssemblyNames);
            }
            catch (FileNotFoundException exception)
            {
                problem = new Problem(_assemblyFolder, "assemblies", exception.Message);
                return null;
            }
        }

        private static byte[] Xml(XDocument document)
        {
            using var buffer = new MemoryStream();
            using (var writer = System.Xml.XmlWriter.Create(buffer, new System.Xml.XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, IndentChars = "  ", NewLineChars = "\n" }))
            {
                document.Save(writer);
            }
            return buffer.ToArray();
        }
    }
}
