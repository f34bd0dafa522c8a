using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using OneKosmos.Solution.Model;
using OneKosmos.Solution.Packer.Assemblies;

namespace OneKosmos.Solution.Packer.Validation
{
    /// <summary>Classic assemblies are built, signed and registered as declared.</summary>
    internal sealed partial class SourceValidator
    {
        /// <remarks>
        /// A classic assembly must be the one that was built (same name, version and key), named where its file sits, and
        /// every type it registers must exist: a workflow activity as a CodeActivity, in the sandbox isolation Dataverse online requires.
        /// </remarks>
        private void CheckClassicAssemblies(SolutionMetadata metadata)
        {
            foreach (var registration in metadata.PluginAssemblies)
            {
                var name = registration.FullName.Split(',')[0].Trim();
                var file = _source.Under("PluginAssemblies").First(pair => (string?)pair.Document.Root!.Attribute("FullName") == registration.FullName).Path;
                var folder = file[..file.LastIndexOf('/')];
                if (!string.Equals(registration.FileName, $"/{folder}/{Path.GetFileName(file)[..^".data.xml".Length]}", StringComparison.Ordinal))
                {
                    _problems.Add(new Problem(file, "FileName", $"is {registration.FileName}; the file this data file describes is /{folder}/{Path.GetFileName(file)[..^".data.xml".Length]}"));
                }
                var root = _source.Document(file)!.Root!;
                if ((string?)root.Element("IsolationMode") != "2")
                {
                    _problems.Add(new Problem(file, "IsolationMode", "must be 2 (sandbox): Dataverse online runs no other"));
                }
                ClassicAssembly built;
                try
                {
                    built = ClassicAssembly.Open(_classicAssemblyFolder, name);
                }
                catch (FileNotFoundException exception)
                {
                    _problems.Add(new Problem(file, "PluginAssembly", exception.Message));
                    continue;
                }
                using (built)
                {
                    if (!string.Equals(built.FullName, registration.FullName, StringComparison.OrdinalIgnoreCase))
                    {
                        _problems.Add(new Problem(file, "FullName", $"is '{registration.FullName}', but the built assembly is '{built.FullName}'"));
                    }
                    foreach (var type in registration.Types)
                    {
                        if (type.AssemblyQualifiedName != $"{type.Name}, {registration.FullName}")
                        {
                            _problems.Add(new Problem(file, "PluginType", $"{type.Name}: AssemblyQualifiedName must be '{type.Name}, {registration.FullName}'"));
                        }
                        if (built.WhyNotRegistrable(type.Name, activity: type.WorkflowActivityGroupName is not null) is { } reason)
                        {
                            _problems.Add(new Problem(file, "PluginType", reason));
                        }
                    }
                }
            }
        }
    }
}
