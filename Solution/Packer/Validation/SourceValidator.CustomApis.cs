using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using OneKosmos.Solution.Model;

namespace OneKosmos.Solution.Packer.Validation
{
    /// <summary>Custom APIs are well formed and run a real plug-in type.</summary>
    internal sealed partial class SourceValidator
    {
        /// <remarks>
        /// What import would refuse or what would fail at the first call: a name without the prefix, an execute privilege no
        /// table of the solution generates, a main operation the assemblies do not provide, a function with nothing to return,
        /// an entity parameter naming an unknown table.
        /// </remarks>
        private void CheckCustomApis(SolutionMetadata metadata)
        {
            foreach (var (path, document) in _source.Under("customapis").Where(pair => pair.Path.EndsWith("/customapi.xml", StringComparison.Ordinal)))
            {
                var root = document.Root!;
                Require(path, root, "customapi", (string?)root.Attribute("uniquename"), "custom API");
            }
            var privileges = new HashSet<string>(
                metadata.Tables.Values.Where(table => table.LogicalName.StartsWith(Prefix, StringComparison.Ordinal))
                    .SelectMany(table => TablePrivileges.Select(privilege => $"prv{privilege}{table.LogicalName}")),
                StringComparer.OrdinalIgnoreCase);
            foreach (var api in metadata.CustomApis)
            {
                var file = $"customapis/{api.UniqueName}/customapi.xml";
                if (api.ExecutePrivilegeName is { } privilege && !privileges.Contains(privilege))
                {
                    _problems.Add(new Problem(file, "executeprivilegename", $"{privilege} is not a privilege of a table this solution defines; Dataverse only accepts existing privileges"));
                }
                if (api.PluginTypeExportKey is null && !api.IsBusinessEvent)
                {
                    _problems.Add(new Problem(file, "plugintypeid", $"{api.UniqueName} names no main-operation plug-in type: it would answer every call with empty outputs (a business event has none, but lets only asynchronous steps follow it and returns nothing: allowedcustomprocessingsteptype 1)"));
                }
                else if (_assemblies is not null && api.PluginTypeExportKey is { } exportKey && _assemblies.WhyNotAPlugin(exportKey) is { } reason)
                {
                    _problems.Add(new Problem(file, "plugintypeexportkey", reason));
                }
                if (api.IsFunction && api.ResponseProperties.Count == 0)
                {
                    _problems.Add(new Problem(file, "isfunction", $"{api.UniqueName} is a function with no response property; Dataverse does not publish such a function"));
                }
                foreach (var field in api.RequestParameters.Concat(api.ResponseProperties).Where(field => field.LogicalEntityName is not null))
                {
                    if (field.TypeName is not ("Entity" or "EntityReference"))
                    {
                        _problems.Add(new Problem(file, "logicalentityname", $"{field.UniqueName} is a {field.TypeName}; only Entity and EntityReference name a table"));
                    }
                    else if (metadata.Table(field.LogicalEntityName!) is null)
                    {
                        _problems.Add(new Problem(file, "logicalentityname", $"{field.UniqueName} names the table {field.LogicalEntityName}, which neither the solution nor the standard tables define"));
                    }
                }
            }
        }
    }
}
