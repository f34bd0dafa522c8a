using System;
using System.Collections.Concurrent;
using System.IO;
using System.IO.Compression;
using OneKosmos.Tests.Shared;

namespace OneKosmos.Deploy.Tests
{
    /// <summary>Solution zips packed from this build, once a process each: the repository's version, or another one.</summary>
    internal static class Solutions
    {
        private static readonly ConcurrentDictionary<string, Lazy<byte[]>> Packed = new(StringComparer.Ordinal);

        /// <value>The solution at pac.config's version.</value>
        public static byte[] Current => Packed.GetOrAdd("", _ => new Lazy<byte[]>(() => SolutionZip.Pack(RepositoryPaths.Root, managed: true))).Value;

        /// <value>The unmanaged solution, as a development environment takes it.</value>
        public static byte[] Unmanaged => Packed.GetOrAdd("unmanaged", _ => new Lazy<byte[]>(() => SolutionZip.Pack(RepositoryPaths.Root, managed: false))).Value;

        /// <summary>The same solution at <paramref name="version"/>: a release after (or before) this one.</summary>
        public static byte[] AtVersion(string version) => Packed.GetOrAdd(version, _ => new Lazy<byte[]>(() =>
        {
            var folder = Path.Combine(Path.GetTempPath(), $"okos-release-{Guid.NewGuid():N}");
            var source = Path.Combine(folder, "src");
            foreach (var file in Directory.GetFiles(RepositoryPaths.SolutionSource, "*", SearchOption.AllDirectories))
            {
                var copy = Path.Combine(source, Path.GetRelativePath(RepositoryPaths.SolutionSource, file));
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(file, copy);
            }
            var manifest = Path.Combine(source, "Other", "Solution.xml");
            File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("<Version>1.0.0.0</Version>", $"<Version>{version}</Version>", StringComparison.Ordinal));
            var config = Path.Combine(folder, "pac.config");
            File.WriteAllText(config, File.ReadAllText(Path.Combine(RepositoryPaths.Root, "pac.config")).Replace("\"version\": \"1.0.0.0\"", $"\"version\": \"{version}\"", StringComparison.Ordinal));
            try
            {
                return SolutionZip.Pack(RepositoryPaths.Root, managed: true, config, source);
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        })).Value;

        /// <summary>The current solution with one entry's bytes replaced: a zip whose import fails.</summary>
        public static byte[] WithEntry(string entryName, string content)
        {
            var copy = new MemoryStream();
            copy.Write(Current);
            using (var archive = new ZipArchive(copy, ZipArchiveMode.Update, leaveOpen: true))
            {
                archive.GetEntry(entryName)!.Delete();
                using var writer = new StreamWriter(archive.CreateEntry(entryName).Open());
                writer.Write(content);
            }
            return copy.ToArray();
        }
    }
}
