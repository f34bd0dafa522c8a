using System.IO;
using System.Linq;
using System.Reflection;

namespace OneKosmos.Solution.Packer
{
    /// <summary>Where the repository is and which build configuration a tool was built in: what okos-pack and okos-deploy both ask.</summary>
    internal static class Repository
    {
        /// <summary>The nearest folder holding pac.config, from <paramref name="start"/> up; null when there is none.</summary>
        public static string? FindRoot(string start)
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "pac.config")))
                {
                    return folder.FullName;
                }
            }
            return null;
        }

        /// <summary>The configuration <paramref name="tool"/> was built in: the plug-in assemblies it packs are built with it, in the same one.</summary>
        public static string BuildConfiguration(Assembly tool) =>
            tool.GetCustomAttributes(typeof(AssemblyConfigurationAttribute), false).OfType<AssemblyConfigurationAttribute>().Single().Configuration;
    }
}
