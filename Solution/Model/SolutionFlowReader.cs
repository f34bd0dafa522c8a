using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;

namespace OneKosmos.Solution.Model
{
    /// <summary>A solution cloud flow as its process row declares it: id, display name, whether the solution ships it on, and its definition's file.</summary>
    public sealed record FlowMetadata(Guid Id, string Name, bool ShippedOn, string DefinitionFile);

    /// <summary>Reads the cloud flows of an unpacked solution: Workflows/{Name}-{GUID}.json.data.xml, as pac unpacks them.</summary>
    public static class SolutionFlowReader
    {
        public static IReadOnlyList<FlowMetadata> Read(string solutionSource)
        {
            var folder = Path.Combine(solutionSource, "Workflows");
            if (!Directory.Exists(folder))
            {
                return Array.Empty<FlowMetadata>();
            }
            return Directory.GetFiles(folder, "*.json.data.xml").OrderBy(file => file, StringComparer.Ordinal).Select(file =>
            {
                var row = XDocument.Load(file).Root!;
                var id = (string?)row.Attribute("WorkflowId") is { } text && Guid.TryParse(text, out var parsed)
                    ? parsed
                    : throw new InvalidDataException($"{file}: the process row has no WorkflowId.");
                return new FlowMetadata(id, (string?)row.Attribute("Name") ?? Path.GetFileName(file), (string?)row.Element("StateCode") == "1", file[..^".data.xml".Length]);
            }).ToList();
        }
    }
}
