using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml;
using System.Xml.Linq;
using OneKosmos.Solution.Packer.Validation;

namespace OneKosmos.Solution.Packer
{
    /// <summary>Every XML file of the solution source, parsed once, by path relative to the source folder.</summary>
    internal sealed class SourceTree
    {
        private readonly Dictionary<string, XDocument> _documents = new(StringComparer.Ordinal);
        private readonly List<Problem> _problems = new();

        public SourceTree(string root)
        {
            Root = root;
            foreach (var path in Directory.GetFiles(root, "*.xml", SearchOption.AllDirectories).OrderBy(path => path, StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
                try
                {
                    _documents[relative] = XDocument.Load(path, LoadOptions.SetLineInfo);
                }
                catch (XmlException exception)
                {
                    _problems.Add(new Problem(relative, "document", $"not well-formed XML: {exception.Message}", exception.LineNumber));
                }
            }
        }

        public string Root { get; }

        /// <value>Files that could not be parsed.</value>
        public IReadOnlyList<Problem> ParseProblems => _problems;

        public IEnumerable<(string Path, XDocument Document)> Under(string folder) =>
            _documents.Where(pair => pair.Key.StartsWith(folder + "/", StringComparison.Ordinal)).Select(pair => (pair.Key, pair.Value));

        public XDocument? Document(string path) => _documents.TryGetValue(path, out var document) ? document : null;
    }
}
