using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using OneKosmos.Solution.Packer;

namespace OneKosmos.Deploy
{
    /// <summary>The solution okos-deploy imports: packed from the repository's source and build, or a zip given to it.</summary>
    public static class SolutionZip
    {
        /// <summary>Packs Solution/src with the plug-in assemblies built with okos-deploy (both zips are written; one is returned).</summary>
        /// <remarks>
        /// <paramref name="root"/> is the repository (the folder holding pac.config); <paramref name="pacConfig"/> gives the solution's
        /// identity and version (default the repository's pac.config); <paramref name="source"/> is the solution source (default Solution/src).
        /// </remarks>
        /// <exception cref="DeployFailure">The source has problems (pack --check lists the same) or the build is missing.</exception>
        public static byte[] Pack(string root, bool managed, string? pacConfig = null, string? source = null)
        {
            var config = SolutionConfig.Load(pacConfig ?? Path.Combine(root, "pac.config"));
            var configuration = Repository.BuildConfiguration(typeof(SolutionZip).Assembly);
            var packer = new Packer(
                source ?? Path.Combine(root, "Solution", "src"),
                Path.Combine(root, "CustomApis", "bin", configuration, "net462"),
                config,
                Path.Combine(root, "Workflow", "bin", configuration, "net462"),
                Path.Combine(root, "WebResources", "dist"));
            var (problems, zips) = packer.Build(managed);
            return problems.Count == 0
                ? zips.Single().Zip
                : throw new DeployFailure("Pack the solution", string.Join(Environment.NewLine, problems), "Fix Solution/src (dotnet run --project Solution/Packer -- pack --check lists the same problems), or build in Release first.");
        }

        /// <summary>The unique name, version and kind (managed or not) a solution zip declares (its solution.xml).</summary>
        /// <exception cref="DeployFailure">The file is not a solution zip.</exception>
        public static (string UniqueName, Version Version, bool Managed) IdentityOf(byte[] zip)
        {
            try
            {
                using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
                using var stream = (archive.GetEntry("solution.xml") ?? throw new InvalidDataException("it has no solution.xml")).Open();
                var manifest = XDocument.Load(stream).Root?.Element("SolutionManifest") ?? throw new InvalidDataException("solution.xml has no <SolutionManifest>");
                return ((string?)manifest.Element("UniqueName") ?? throw new InvalidDataException("solution.xml has no <UniqueName>"),
                    Version.Parse((string?)manifest.Element("Version") ?? throw new InvalidDataException("solution.xml has no <Version>")),
                    (string?)manifest.Element("Managed") == "1");
            }
            catch (Exception exception) when (exception is InvalidDataException or System.Xml.XmlException or FormatException or ArgumentException)
            {
                throw new DeployFailure("Read the solution", $"The solution file is not a solution zip: {exception.Message}.", "Pass a zip written by okos-pack (or exported from Dataverse), or leave --solution out to pack one.");
            }
        }
    }
}
