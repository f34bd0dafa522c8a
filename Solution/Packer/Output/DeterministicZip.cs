using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;

namespace OneKosmos.Solution.Packer.Output
{
    /// <summary>Writes a zip whose bytes depend only on its entries: sorted names, one fixed timestamp, no extra fields.</summary>
    internal static class DeterministicZip
    {
        /// <value>The timestamp every entry carries (zip cannot store dates before 1980).</value>
        private static readonly DateTimeOffset Timestamp = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public static byte[] Create(IReadOnlyDictionary<string, byte[]> entries)
        {
            using var buffer = new MemoryStream();
            using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach (var (name, content) in entries.OrderBy(entry => entry.Key, StringComparer.Ordinal))
                {
                    var entry = archive.CreateEntry(name, CompressionLevel.Optimal);
                    entry.LastWriteTime = Timestamp;
                    using var stream = entry.Open();
                    stream.Write(content);
                }
            }
            return buffer.ToArray();
        }
    }
}
