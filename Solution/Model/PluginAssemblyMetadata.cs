using System.Collections.Generic;

namespace OneKosmos.Solution.Model
{
    /// <summary>
    /// A plug-in assembly registered the classic way (its own file in <c>PluginAssemblies/</c>, not in a plug-in package):
    /// what a solution ships for custom workflow activities, which plug-in packages cannot hold.
    /// </summary>
    public sealed class PluginAssemblyMetadata
    {
        internal PluginAssemblyMetadata(string id, string fullName, string fileName, IReadOnlyList<PluginTypeMetadata> types)
        {
            Id = id;
            FullName = fullName;
            FileName = fileName;
            Types = types;
        }

        public string Id { get; }

        /// <value>The assembly's full name: name, version, culture and public key token.</value>
        public string FullName { get; }

        /// <value>Where the solution zip carries the file, from its root (<c>/PluginAssemblies/{folder}/{name}.dll</c>).</value>
        public string FileName { get; }

        public IReadOnlyList<PluginTypeMetadata> Types { get; }
    }

    /// <summary>One class of a classic plug-in assembly; a workflow activity has a group name.</summary>
    public sealed class PluginTypeMetadata
    {
        internal PluginTypeMetadata(string name, string assemblyQualifiedName, string friendlyName, string? workflowActivityGroupName)
        {
            Name = name;
            AssemblyQualifiedName = assemblyQualifiedName;
            FriendlyName = friendlyName;
            WorkflowActivityGroupName = workflowActivityGroupName;
        }

        public string Name { get; }

        public string AssemblyQualifiedName { get; }

        public string FriendlyName { get; }

        public string? WorkflowActivityGroupName { get; }
    }
}
