using System;
using System.IO;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace OneKosmos.Solution.Packer.Assemblies
{
    /// <summary>
    /// A plug-in assembly registered the classic way (the workflow activity's), read as metadata: its identity, and
    /// whether a named class can serve as a workflow activity or a plug-in.
    /// </summary>
    internal sealed class ClassicAssembly : IDisposable
    {
        private readonly PEReader _file;
        private readonly MetadataReader _reader;

        private ClassicAssembly(string path)
        {
            Path = path;
            _file = new PEReader(File.OpenRead(path));
            _reader = _file.GetMetadataReader();
            var definition = _reader.GetAssemblyDefinition();
            Identity = definition.GetAssemblyName();
        }

        public string Path { get; }

        public AssemblyName Identity { get; }

        /// <value>As Dataverse writes it: name, version, culture, public key token.</value>
        public string FullName =>
            $"{Identity.Name}, Version={Identity.Version}, Culture={(string.IsNullOrEmpty(Identity.CultureName) ? "neutral" : Identity.CultureName)}, PublicKeyToken={Token()}";

        /// <exception cref="FileNotFoundException">The assembly was not built.</exception>
        public static ClassicAssembly Open(string folder, string assemblyName)
        {
            var path = System.IO.Path.Combine(folder, assemblyName + ".dll");
            return File.Exists(path)
                ? new ClassicAssembly(path)
                : throw new FileNotFoundException($"{assemblyName}.dll is not in {folder}: build the solution (dotnet build -c Release) first.", path);
        }

        public void Dispose() => _file.Dispose();

        /// <summary>Why the named class cannot be registered (as a workflow activity when <paramref name="activity"/>), or null when it can.</summary>
        public string? WhyNotRegistrable(string fullTypeName, bool activity)
        {
            foreach (var handle in _reader.TypeDefinitions)
            {
                var type = _reader.GetTypeDefinition(handle);
                if (PluginAssemblies.FullName(_reader, type) != fullTypeName)
                {
                    continue;
                }
                if ((type.Attributes & TypeAttributes.VisibilityMask) != TypeAttributes.Public || (type.Attributes & TypeAttributes.Abstract) != 0)
                {
                    return $"{fullTypeName} is not a public, non-abstract class";
                }
                var baseType = type.BaseType.IsNil ? null : PluginAssemblies.NameOf(_reader, type.BaseType);
                return activity && baseType != "System.Activities.CodeActivity"
                    ? $"{fullTypeName} has a WorkflowActivityGroupName but does not derive from System.Activities.CodeActivity"
                    : null;
            }
            return $"{System.IO.Path.GetFileName(Path)} contains no class {fullTypeName}";
        }

        private string Token()
        {
            var token = Identity.GetPublicKeyToken();
            return token is { Length: > 0 } ? Convert.ToHexString(token).ToLowerInvariant() : "null";
        }
    }
}
