using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace OneKosmos.Solution.Packer.Assemblies
{
    /// <summary>
    /// The built plug-in assemblies, read as metadata (never loaded: they are .NET Framework assemblies), with the
    /// dependencies the plug-in package must carry. The platform's own assemblies (the framework and the Dataverse
    /// SDK) are never packaged: the sandbox provides them.
    /// </summary>
    internal sealed class PluginAssemblies : IDisposable
    {
        private readonly Dictionary<string, (string Path, MetadataReader Reader)> _assemblies = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<PEReader> _readers = new();

        private PluginAssemblies(string folder)
        {
            Folder = folder;
        }

        public string Folder { get; }

        /// <value>Every file the package carries: the roots and their non-platform dependencies, ordered by name.</value>
        public IReadOnlyList<string> PackageFiles => _assemblies.Values.Select(assembly => assembly.Path).OrderBy(path => Path.GetFileName(path), StringComparer.Ordinal).ToList();

        /// <exception cref="FileNotFoundException">A root assembly or one of its dependencies is not in the folder.</exception>
        public static PluginAssemblies Load(string folder, IEnumerable<string> rootAssemblyNames)
        {
            var assemblies = new PluginAssemblies(folder);
            foreach (var name in rootAssemblyNames)
            {
                assemblies.Add(name, requiredBy: null);
            }
            return assemblies;
        }

        public void Dispose()
        {
            foreach (var reader in _readers)
            {
                reader.Dispose();
            }
        }

        public static bool IsPlatform(string assemblyName) =>
            assemblyName is "mscorlib" or "netstandard" or "System" or "Microsoft.Crm.Sdk.Proxy" or "Microsoft.CSharp"
            || assemblyName.StartsWith("System.", StringComparison.Ordinal)
            || assemblyName.StartsWith("Microsoft.Xrm.Sdk", StringComparison.Ordinal);

        /// <summary>Why the named class cannot serve as a plug-in, or null when it can.</summary>
        public string? WhyNotAPlugin(string fullTypeName)
        {
            foreach (var (path, reader) in _assemblies.Values)
            {
                foreach (var handle in reader.TypeDefinitions)
                {
                    var type = reader.GetTypeDefinition(handle);
                    if (FullName(reader, type) != fullTypeName)
                    {
                        continue;
                    }
                    if ((type.Attributes & TypeAttributes.VisibilityMask) != TypeAttributes.Public)
                    {
                        return $"{fullTypeName} in {Path.GetFileName(path)} is not public";
                    }
                    if ((type.Attributes & TypeAttributes.Abstract) != 0 || (type.Attributes & TypeAttributes.Interface) != 0)
                    {
                        return $"{fullTypeName} in {Path.GetFileName(path)} is abstract";
                    }
                    return Implements(reader, type, "Microsoft.Xrm.Sdk.IPlugin") ? null : $"{fullTypeName} does not implement Microsoft.Xrm.Sdk.IPlugin";
                }
            }
            return $"no assembly of the plug-in package ({string.Join(", ", _assemblies.Keys.Order(StringComparer.Ordinal))}) contains {fullTypeName}";
        }

        private bool Implements(MetadataReader reader, TypeDefinition type, string interfaceName)
        {
            foreach (var implementation in type.GetInterfaceImplementations().Select(reader.GetInterfaceImplementation))
            {
                if (NameOf(reader, implementation.Interface) == interfaceName)
                {
                    return true;
                }
            }
            var baseName = type.BaseType.IsNil ? null : NameOf(reader, type.BaseType);
            if (baseName is null || baseName == "System.Object")
            {
                return false;
            }
            foreach (var (_, other) in _assemblies.Values)
            {
                foreach (var handle in other.TypeDefinitions)
                {
                    var candidate = other.GetTypeDefinition(handle);
                    if (FullName(other, candidate) == baseName)
                    {
                        return Implements(other, candidate, interfaceName);
                    }
                }
            }
            return false;
        }

        private void Add(string assemblyName, string? requiredBy)
        {
            if (_assemblies.ContainsKey(assemblyName))
            {
                return;
            }
            var path = Path.Combine(Folder, assemblyName + ".dll");
            if (!File.Exists(path))
            {
                throw new FileNotFoundException(requiredBy is null
                    ? $"{path} does not exist: build the plug-in assemblies first (dotnet build OneKosmos.Plugins.sln -c Release)."
                    : $"{assemblyName}.dll, which {requiredBy} depends on, is not in {Folder}.");
            }
            var pe = new PEReader(File.OpenRead(path));
            _readers.Add(pe);
            var reader = pe.GetMetadataReader();
            _assemblies[assemblyName] = (path, reader);
            foreach (var reference in reader.AssemblyReferences.Select(reader.GetAssemblyReference))
            {
                var name = reader.GetString(reference.Name);
                if (!IsPlatform(name))
                {
                    Add(name, assemblyName);
                }
            }
        }

        internal static string FullName(MetadataReader reader, TypeDefinition type)
        {
            var name = reader.GetString(type.Name);
            var ns = reader.GetString(type.Namespace);
            return ns.Length == 0 ? name : ns + "." + name;
        }

        internal static string? NameOf(MetadataReader reader, EntityHandle handle) => handle.Kind switch
        {
            HandleKind.TypeDefinition => FullName(reader, reader.GetTypeDefinition((TypeDefinitionHandle)handle)),
            HandleKind.TypeReference => ReferenceName(reader, reader.GetTypeReference((TypeReferenceHandle)handle)),
            _ => null,
        };

        private static string ReferenceName(MetadataReader reader, TypeReference reference)
        {
            var name = reader.GetString(reference.Name);
            var ns = reader.GetString(reference.Namespace);
            return ns.Length == 0 ? name : ns + "." + name;
        }
    }
}
