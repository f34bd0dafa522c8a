using System;
using System.IO;
using System.Reflection;
using OneKosmos.Tests.Shared;

namespace OneKosmos.Solution.Packer.Tests
{
    /// <summary>A packer over a copy of the product's solution source, so a test may break its copy.</summary>
    internal sealed class PackerFixture : IDisposable
    {
        public PackerFixture()
        {
            Folder = Path.Combine(Path.GetTempPath(), "okos-pack-" + Guid.NewGuid().ToString("N"));
            Source = Path.Combine(Folder, "src");
            CopyDirectory(RepositoryPaths.SolutionSource, Source);
            Config = SolutionConfig.Load(Path.Combine(RepositoryPaths.Root, "pac.config"));
        }

        public string Folder { get; }

        public string Source { get; }

        public SolutionConfig Config { get; }

        /// <value>The built plug-in assemblies, in the configuration these tests were built in.</value>
        public static string Assemblies
        {
            get
            {
                var configuration = typeof(PackerFixture).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
                return Path.Combine(RepositoryPaths.Root, "CustomApis", "bin", configuration, "net462");
            }
        }

        /// <value>The built workflow assembly's folder, in the same configuration.</value>
        public static string WorkflowAssemblies => Path.Combine(Assemblies, "..", "..", "..", "..", "Workflow", "bin", Path.GetFileName(Path.GetDirectoryName(Assemblies)!), "net462");

        /// <value>The built web resources (npm run build in WebResources/).</value>
        public static string WebResources => Path.Combine(RepositoryPaths.Root, "WebResources", "dist");

        public Packer Packer(string? assemblies = null, string? workflowAssemblies = null, string? webResources = null) =>
            new(Source, assemblies ?? Assemblies, Config, workflowAssemblies ?? WorkflowAssemblies, webResources ?? WebResources);

        public string PathOf(string relative) => Path.Combine(Source, relative);

        public void Edit(string relative, Func<string, string> change)
        {
            var path = PathOf(relative);
            var before = File.ReadAllText(path);
            var after = change(before);
            Assert.AreNotEqual(before, after, $"the edit of {relative} changed nothing: the test no longer breaks what it means to");
            File.WriteAllText(path, after);
        }

        public void Dispose() => Directory.Delete(Folder, recursive: true);

        private static void CopyDirectory(string from, string to)
        {
            Directory.CreateDirectory(to);
            foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(to, Path.GetRelativePath(from, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }
    }
}
