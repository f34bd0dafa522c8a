using System;
using System.IO;

namespace OneKosmos.Tests.Shared
{
    /// <summary>Paths into the repository the tests were built from.</summary>
    internal static class RepositoryPaths
    {
        public static string Root { get; } = FindRoot();

        /// <value>The product's unpacked solution source.</value>
        public static string SolutionSource => Path.Combine(Root, "Solution", "src");

        private static string FindRoot()
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "OneKosmos.Plugins.sln")))
                {
                    return folder.FullName;
                }
            }
            throw new InvalidOperationException($"No OneKosmos.Plugins.sln above {AppContext.BaseDirectory}.");
        }
    }
}
