using System;
using System.Linq;
using System.Text.RegularExpressions;
using OneKosmos.Solution.Packer.Output;

namespace OneKosmos.Solution.Packer.Validation
{
    /// <summary>The plug-in package is named and versioned once, the way Dataverse keeps it.</summary>
    internal sealed partial class SourceValidator
    {
        /// <remarks>
        /// A plug-in package's name cannot change once created (learn.microsoft.com/power-apps/developer/data-platform/dependent-assembly-plugins):
        /// its unique name and name are the publisher prefix and the package id, and its version is its own (the nuspec
        /// carries the same), never the solution's.
        /// </remarks>
        private void CheckPluginPackages()
        {
            var expected = $"{Prefix}{PluginPackageWriter.PackageId}";
            foreach (var (path, document) in _source.Under("pluginpackages").Where(pair => pair.Path.EndsWith("/pluginpackage.xml", StringComparison.Ordinal)))
            {
                var root = document.Root!;
                if ((string?)root.Attribute("uniquename") != expected || (string?)root.Element("name") != expected)
                {
                    Add(path, "name", root, $"the package's unique name and name must both be {expected}: a package's name cannot change once it exists in an environment");
                }
                var version = (string?)root.Element("version");
                if (version is null || !Regex.IsMatch(version, @"^\d+\.\d+\.\d+(\.\d+)?$"))
                {
                    Add(path, "version", root, $"'{version}' is not a package version (major.minor.patch): give the package its own version, independent of the solution's");
                }
            }
        }
    }
}
