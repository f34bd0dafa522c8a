using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace OneKosmos.Plugins.Tests
{
    /// <summary>
    /// The shape docs/design.md §2 promises, checked on every run: product projects do not depend on the sandbox, no
    /// extern alias is needed anywhere, files stay small, steps and custom APIs stay thin, and product code cannot read
    /// ambient time.
    /// </summary>
    [TestClass]
    public sealed class LayoutTests
    {
        private static readonly string[] ProductProjects =
        {
            "Core/OneKosmos.Core.csproj", "Plugins/OneKosmos.Plugins.csproj", "CustomApis/OneKosmos.CustomApis.csproj",
            "Workflow/OneKosmos.Workflow.csproj", "Relay/OneKosmos.Relay.csproj", "Solution/Model/OneKosmos.Solution.Model.csproj",
        };

        private static string[] Sources(params string[] folders) =>
            folders.SelectMany(folder => Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, folder), "*.cs", SearchOption.AllDirectories))
                .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
                .ToArray();

        private static string Relative(string path) => Path.GetRelativePath(RepositoryPaths.Root, path);

        [TestMethod]
        public void ProductProjects_DoNotReferenceTheSandbox()
        {
            var offenders = ProductProjects.Append("Solution/Packer/OneKosmos.Solution.Packer.csproj")
                .Where(project => File.ReadAllText(Path.Combine(RepositoryPaths.Root, project)).Contains("Sandbox/", StringComparison.Ordinal));

            Assert.AreEqual("", string.Join(", ", offenders));
        }

        [TestMethod]
        public void ProductProjects_BanAmbientTime()
        {
            var offenders = ProductProjects.Where(project => !File.ReadAllText(Path.Combine(RepositoryPaths.Root, project)).Contains("<BanAmbientClock>true</BanAmbientClock>", StringComparison.Ordinal));

            Assert.AreEqual("", string.Join(", ", offenders));
        }

        [TestMethod]
        public void NoSourceInTheTree_NeedsAnExternAlias()
        {
            var offenders = Sources("Core", "Plugins", "CustomApis", "Workflow", "Relay", "Solution", "Sandbox", "Tests")
                .Where(path => Regex.IsMatch(File.ReadAllText(path), @"^\s*extern alias ", RegexOptions.Multiline));

            Assert.AreEqual("", string.Join(", ", offenders.Select(Relative)));
        }

        [TestMethod]
        public void ProductFiles_StayUnder300Lines()
        {
            var offenders = Sources("Core", "Plugins", "CustomApis", "Relay").Where(path => File.ReadAllLines(path).Length > 300);

            Assert.AreEqual("", string.Join(", ", offenders.Select(Relative)));
        }

        [TestMethod]
        public void StepsAndCustomApis_StayThin()
        {
            var classes = Sources("Plugins/Steps", "CustomApis")
                .Where(path => Regex.IsMatch(File.ReadAllText(path), @"class \w+ : (PluginBase|CustomApi)\b"));

            Assert.IsTrue(classes.Count() >= 10, "every step and custom API class is found");
            Assert.AreEqual("", string.Join(", ", classes.Where(path => File.ReadAllLines(path).Length > 40).Select(Relative)));
        }
    }
}
