using System;
using System.Collections.Generic;
using System.IO;
using System.Xml;
using System.Xml.Linq;
using OneKosmos.Solution.Model;
using OneKosmos.Solution.Packer.Assemblies;

namespace OneKosmos.Solution.Packer.Validation
{
    /// <summary>Everything <c>pack --check</c> verifies before anything is written; each problem names its file and element.</summary>
    internal sealed partial class SourceValidator
    {
        private static readonly Dictionary<int, string> RootComponentTypes = new()
        {
            [1] = "table",
            [9] = "global choice",
            [20] = "security role",
            [29] = "cloud flow",
            [60] = "form",
            [61] = "web resource",
            [70] = "field security profile",
            [91] = "plug-in assembly",
            [380] = "environment variable definition",
        };

        private readonly SourceTree _source;
        private readonly SolutionConfig _config;
        private readonly PluginAssemblies? _assemblies;
        private readonly List<Problem> _problems = new();

        private readonly string _classicAssemblyFolder;
        private readonly string _webResourceFolder;

        public SourceValidator(SourceTree source, SolutionConfig config, PluginAssemblies? assemblies, string classicAssemblyFolder, string webResourceFolder)
        {
            _webResourceFolder = webResourceFolder;
            _classicAssemblyFolder = classicAssemblyFolder;
            _source = source;
            _config = config;
            _assemblies = assemblies;
        }

        private string Prefix => _config.Prefix + "_";

        public IReadOnlyList<Problem> Validate()
        {
            _problems.AddRange(_source.ParseProblems);
            if (_problems.Count > 0)
            {
                return _problems;
            }
            var metadata = Read(() => SolutionMetadataReader.Read(_source.Root), "metadata");
            var steps = Read(() => SolutionStepReader.Read(_source.Root), "SdkMessageProcessingStep");
            CheckPrefixes();
            CheckUniqueIds();
            CheckRootComponents();
            CheckPrimaryNames();
            CheckPluginPackages();
            CheckPacLayout();
            if (metadata is not null)
            {
                CheckLookups(metadata);
                CheckKeys(metadata);
                CheckRoles(metadata);
                CheckFieldSecurity(metadata);
                if (steps is not null)
                {
                    CheckSteps(metadata, steps);
                }
                CheckCustomApis(metadata);
                CheckFlows(metadata);
                CheckCatalogs(metadata);
                CheckLengths();
                CheckClassicAssemblies(metadata);
                CheckWebResources();
            }
            return _problems;
        }

        private T? Read<T>(Func<T> read, string element)
            where T : class
        {
            try
            {
                return read();
            }
            catch (InvalidDataException exception)
            {
                var separator = exception.Message.IndexOf(": ", StringComparison.Ordinal);
                _problems.Add(separator > 0
                    ? new Problem(exception.Message[..separator], element, exception.Message[(separator + 2)..])
                    : new Problem("Solution/src", element, exception.Message));
                return null;
            }
        }

        private void Add(string path, string element, XElement at, string message) =>
            _problems.Add(new Problem(path, element, message, ((IXmlLineInfo)at).LineNumber));
    }
}
