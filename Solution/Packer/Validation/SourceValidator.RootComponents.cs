using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using OneKosmos.Solution.Model;
using OneKosmos.Solution.Packer.Assemblies;

namespace OneKosmos.Solution.Packer.Validation
{
    /// <summary>Solution.xml lists every component, and only those.</summary>
    internal sealed partial class SourceValidator
    {
        private const int StepComponentType = 92;

        private void CheckRootComponents()
        {
            const string manifest = "Other/Solution.xml";
            var roots = _source.Document(manifest)?.Root?.Element("SolutionManifest")?.Element("RootComponents");
            if (roots is null)
            {
                _problems.Add(new Problem(manifest, "RootComponents", "the solution manifest has no <SolutionManifest><RootComponents>"));
                return;
            }
            var declared = new HashSet<(int, string)>();
            foreach (var root in roots.Elements("RootComponent"))
            {
                var type = (int?)root.Attribute("type") ?? 0;
                var key = ((string?)root.Attribute("schemaName") ?? (string?)root.Attribute("id") ?? "").Trim('{', '}').ToLowerInvariant();
                if (type == StepComponentType)
                {
                    Add(manifest, "RootComponent", root, "a plug-in step (type 92) is not a component of the zip: steps run types of the plug-in package, which an import cannot resolve, so okos-deploy registers them after the import and adds them to the solution");
                    continue;
                }
                if (!RootComponentTypes.ContainsKey(type))
                {
                    Add(manifest, "RootComponent", root, $"type {type} is not a component type the packer knows ({string.Join(", ", RootComponentTypes.Select(pair => $"{pair.Key} {pair.Value}"))})");
                    continue;
                }
                declared.Add((type, key));
            }
            var present = Components().ToList();
            foreach (var (type, key, path) in present.Where(component => !declared.Contains((component.Type, component.Key))))
            {
                _problems.Add(new Problem(manifest, "RootComponents", $"{path} defines the {RootComponentTypes[type]} {key}, which has no <RootComponent type=\"{type}\">"));
            }
            foreach (var (type, key) in declared.Where(root => !present.Any(component => component.Type == root.Item1 && component.Key == root.Item2)))
            {
                _problems.Add(new Problem(manifest, "RootComponent", $"the {RootComponentTypes[type]} {key} is a root component but the source does not define it"));
            }
        }

        private IEnumerable<(int Type, string Key, string Path)> Components()
        {
            foreach (var (path, document) in _source.Under("Entities").Where(file => file.Path.EndsWith("/Entity.xml", StringComparison.Ordinal)))
            {
                yield return (1, ((string?)document.Root?.Element("EntityInfo")?.Element("entity")?.Attribute("Name") ?? "").ToLowerInvariant(), path);
            }
            foreach (var (path, document) in _source.Under("OptionSets"))
            {
                yield return (9, ((string?)document.Root!.Attribute("Name") ?? "").ToLowerInvariant(), path);
            }
            foreach (var (path, document) in _source.Under("Roles"))
            {
                yield return (20, ((string?)document.Root!.Attribute("id") ?? "").Trim('{', '}').ToLowerInvariant(), path);
            }
            foreach (var profile in FieldSecurityProfiles())
            {
                yield return (70, ((string?)profile.Attribute("fieldsecurityprofileid") ?? "").Trim('{', '}').ToLowerInvariant(), SolutionMetadataReader.FieldSecurityProfilesFile);
            }
            // A form of a table the solution only extends (contact, opportunity) is a root component of its own.
            foreach (var (path, document) in _source.Under("Entities").Where(file => file.Path.Contains("/FormXml/", StringComparison.Ordinal)))
            {
                var entity = _source.Document(path[..path.IndexOf("/FormXml/", StringComparison.Ordinal)] + "/Entity.xml")?.Root?.Element("EntityInfo")?.Element("entity");
                if ((string?)entity?.Attribute("unmodified") == "1")
                {
                    foreach (var form in document.Root!.Elements("systemform"))
                    {
                        yield return (60, ((string?)form.Element("formid") ?? "").Trim('{', '}').ToLowerInvariant(), path);
                    }
                }
            }
            foreach (var (path, document) in _source.Under("WebResources"))
            {
                yield return (61, ((string?)document.Root!.Element("Name") ?? "").ToLowerInvariant(), path);
            }
            foreach (var (path, document) in _source.Under("PluginAssemblies"))
            {
                yield return (91, ((string?)document.Root!.Attribute("FullName") ?? "").ToLowerInvariant(), path);
            }
            foreach (var (path, document) in _source.Under(FlowsFolder).Where(file => file.Path.EndsWith(".json.data.xml", StringComparison.Ordinal)))
            {
                yield return (29, ((string?)document.Root!.Attribute("WorkflowId") ?? "").Trim('{', '}').ToLowerInvariant(), path);
            }
            foreach (var (path, document) in _source.Under("environmentvariabledefinitions"))
            {
                yield return (380, ((string?)document.Root!.Attribute("schemaname") ?? "").ToLowerInvariant(), path);
            }
        }
    }
}
