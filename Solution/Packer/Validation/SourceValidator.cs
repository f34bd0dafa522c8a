using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml;
using System.Xml.Linq;
using OneKosmos.Solution.Model;
using OneKosmos.Solution.Packer.Assemblies;

namespace OneKosmos.Solution.Packer.Validation
{
    /// <summary>Everything <c>pack --check</c> verifies before anything is written; each problem names its file and element.</summary>
    internal sealed class SourceValidator
    {
        private static readonly Dictionary<int, string> RootComponentTypes = new()
        {
            [1] = "table",
            [9] = "global choice",
            [20] = "security role",
            [60] = "form",
            [61] = "web resource",
            [70] = "field security profile",
            [91] = "plug-in assembly",
            [92] = "plug-in step",
            [380] = "environment variable definition",
        };

        private readonly SourceTree _source;
        private readonly SolutionConfig _config;
        private readonly PluginAssemblies? _assemblies;
        private readonly List<Problem> _problems = new();

        private readonly string _classicAssemblyFolder;
        private readonly string _webResourceFolder;

        public SourceValidator(SourceTree source, SolutionConfig config, PluginAssemblies? assemblies, string classicAssemblyFolder, string webResourceFolder)
        {
            _webResourceFolder = webResourceFolder;
            _classicAssemblyFolder = classicAssemblyFolder;
            _source = source;
            _config = config;
            _assemblies = assemblies;
        }

        private string Prefix => _config.Prefix + "_";

        public IReadOnlyList<Problem> Validate()
        {
            _problems.AddRange(_source.ParseProblems);
            if (_problems.Count > 0)
            {
                return _problems;
            }
            var metadata = Read(() => SolutionMetadataReader.Read(_source.Root), "metadata");
            var steps = Read(() => SolutionStepReader.Read(_source.Root), "SdkMessageProcessingStep");
            CheckPrefixes();
            CheckUniqueIds();
            CheckRootComponents();
            if (metadata is not null)
            {
                CheckLookups(metadata);
                CheckKeys(metadata);
                CheckRoles(metadata);
                CheckFieldSecurity(metadata);
                if (steps is not null)
                {
                    CheckSteps(metadata, steps);
                }
                CheckCustomApis(metadata);
                CheckClassicAssemblies(metadata);
                CheckWebResources();
            }
            return _problems;
        }

        private T? Read<T>(Func<T> read, string element)
            where T : class
        {
            try
            {
                return read();
            }
            catch (InvalidDataException exception)
            {
                var separator = exception.Message.IndexOf(": ", StringComparison.Ordinal);
                _problems.Add(separator > 0
                    ? new Problem(exception.Message[..separator], element, exception.Message[(separator + 2)..])
                    : new Problem("Solution/src", element, exception.Message));
                return null;
            }
        }

        private void CheckPrefixes()
        {
            foreach (var (path, document) in _source.Under("Entities"))
            {
                var entity = document.Root?.Element("EntityInfo")?.Element("entity");
                if (entity is null)
                {
                    continue;
                }
                var extends = (string?)entity.Attribute("unmodified") == "1";
                if (!extends)
                {
                    Require(path, entity, "entity", (string?)entity.Attribute("Name"), "table");
                }
                foreach (var attribute in entity.Element("attributes")?.Elements("attribute") ?? Enumerable.Empty<XElement>())
                {
                    if ((string?)attribute.Element("IsCustomField") == "1")
                    {
                        Require(path, attribute, "attribute", (string?)attribute.Element("LogicalName"), "column");
                    }
                }
                foreach (var key in entity.Descendants("EntityKey"))
                {
                    Require(path, key, "EntityKey", (string?)key.Element("Name"), "alternate key");
                }
            }
            foreach (var (path, document) in _source.Under("OptionSets"))
            {
                Require(path, document.Root!, "optionset", (string?)document.Root!.Attribute("Name"), "global choice");
            }
            foreach (var (path, document) in _source.Under("environmentvariabledefinitions"))
            {
                Require(path, document.Root!, "environmentvariabledefinition", (string?)document.Root!.Attribute("schemaname"), "environment variable");
            }
            foreach (var (path, document) in _source.Under("pluginpackages"))
            {
                Require(path, document.Root!, "pluginpackage", (string?)document.Root!.Attribute("uniquename"), "plug-in package");
            }
            foreach (var (path, document) in _source.Under("Other/Relationships"))
            {
                foreach (var relationship in document.Root!.Elements("EntityRelationship"))
                {
                    Require(path, relationship, "EntityRelationship", (string?)relationship.Attribute("Name"), "relationship");
                }
            }
        }

        private void Require(string path, XElement element, string elementName, string? name, string what)
        {
            if (name is null || !name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                Add(path, elementName, element, $"the {what} name '{name}' must start with the publisher prefix '{Prefix}'");
            }
        }

        private void CheckUniqueIds()
        {
            var seen = new Dictionary<Guid, string>();
            foreach (var (path, element, id) in Ids())
            {
                if (!Guid.TryParse(id, out var guid))
                {
                    Add(path, element.Name.LocalName, element, $"'{id}' is not a GUID");
                }
                else if (seen.TryGetValue(guid, out var first))
                {
                    Add(path, element.Name.LocalName, element, $"the id {guid} is already used by {first}");
                }
                else
                {
                    seen[guid] = path;
                }
            }
        }

        private IEnumerable<(string Path, XElement Element, string Id)> Ids()
        {
            foreach (var (path, document) in _source.Under("Entities"))
            {
                foreach (var element in document.Descendants().Where(element => element.Name.LocalName is "formid" or "savedqueryid"))
                {
                    yield return (path, element, element.Value);
                }
            }
            foreach (var (path, document) in _source.Under("Roles"))
            {
                yield return (path, document.Root!, (string?)document.Root!.Attribute("id") ?? "");
            }
            foreach (var profile in FieldSecurityProfiles())
            {
                yield return ("Other/Customizations.xml", profile, (string?)profile.Attribute("fieldsecurityprofileid") ?? "");
            }
            foreach (var (path, document) in _source.Under(SolutionStepReader.StepsFolder))
            {
                yield return (path, document.Root!, (string?)document.Root!.Attribute("SdkMessageProcessingStepId") ?? "");
            }
        }

        private IEnumerable<XElement> FieldSecurityProfiles() =>
            _source.Document("Other/Customizations.xml")?.Root?.Element("FieldSecurityProfiles")?.Elements("FieldSecurityProfile") ?? Enumerable.Empty<XElement>();

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
                yield return (70, ((string?)profile.Attribute("fieldsecurityprofileid") ?? "").Trim('{', '}').ToLowerInvariant(), "Other/Customizations.xml");
            }
            foreach (var (path, document) in _source.Under(SolutionStepReader.StepsFolder))
            {
                yield return (92, ((string?)document.Root!.Attribute("SdkMessageProcessingStepId") ?? "").Trim('{', '}').ToLowerInvariant(), path);
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
            foreach (var (path, document) in _source.Under("environmentvariabledefinitions"))
            {
                yield return (380, ((string?)document.Root!.Attribute("schemaname") ?? "").ToLowerInvariant(), path);
            }
        }

        private void CheckLookups(SolutionMetadata metadata)
        {
            foreach (var table in metadata.Tables.Values.Where(table => table.Source.StartsWith("Entities/", StringComparison.Ordinal)))
            {
                foreach (var column in table.Columns.Values.Where(column => column.Type == ColumnType.Lookup && column.IsCustom && column.Targets.Count == 0))
                {
                    _problems.Add(new Problem(table.Source, "attribute", $"the lookup {column.LogicalName} has no relationship in Other/Relationships naming the table it points to"));
                }
            }
        }

        private void CheckKeys(SolutionMetadata metadata)
        {
            foreach (var table in metadata.Tables.Values)
            {
                foreach (var key in table.Keys)
                {
                    foreach (var column in key.Columns.Where(column => table.Column(column) is null))
                    {
                        _problems.Add(new Problem(table.Source, "EntityKey", $"the alternate key {key.Name} names {column}, which {table.LogicalName} does not have"));
                    }
                }
            }
        }

        private void CheckRoles(SolutionMetadata metadata)
        {
            string[] actions = { "Create", "Read", "Write", "Delete", "Append", "AppendTo", "Assign", "Share" };
            foreach (var (path, document) in _source.Under("Roles"))
            {
                foreach (var privilege in document.Root!.Descendants("RolePrivilege"))
                {
                    var name = (string?)privilege.Attribute("name") ?? "";
                    var action = actions.OrderByDescending(candidate => candidate.Length).FirstOrDefault(candidate => name.StartsWith("prv" + candidate, StringComparison.Ordinal));
                    var table = action is null ? null : name[(3 + action.Length)..];
                    if (table is null || !table.StartsWith(Prefix, StringComparison.Ordinal))
                    {
                        continue;
                    }
                    var tableMetadata = metadata.Table(table);
                    if (tableMetadata is null)
                    {
                        Add(path, "RolePrivilege", privilege, $"{name} is a privilege on {table}, which the solution does not define");
                    }
                    else if (tableMetadata.Ownership == Ownership.OrganizationOwned && action is "Assign" or "Share")
                    {
                        Add(path, "RolePrivilege", privilege, $"{table} is organization-owned: it has no {action} privilege");
                    }
                    else if (tableMetadata.Ownership == Ownership.OrganizationOwned && (string?)privilege.Attribute("level") != "Global")
                    {
                        Add(path, "RolePrivilege", privilege, $"{table} is organization-owned: {name} can only be granted at level Global");
                    }
                }
            }
        }

        private void CheckFieldSecurity(SolutionMetadata metadata)
        {
            foreach (var profile in metadata.FieldSecurityProfiles)
            {
                foreach (var permission in profile.Permissions)
                {
                    var column = metadata.Table(permission.Table)?.Column(permission.Column);
                    if (column is null || !column.IsSecured)
                    {
                        _problems.Add(new Problem("Other/Customizations.xml", "FieldPermission",
                            $"profile '{profile.Name}' grants {permission.Table}.{permission.Column}, which is not a field-secured column of the solution"));
                    }
                }
            }
        }

        private void CheckSteps(SolutionMetadata metadata, IReadOnlyList<StepRegistration> steps)
        {
            foreach (var step in steps)
            {
                var file = $"{SolutionStepReader.StepsFolder}/{{{step.Id}}}.xml";
                if (step.PrimaryEntity is { } table)
                {
                    var tableMetadata = metadata.Table(table);
                    if (tableMetadata is null)
                    {
                        _problems.Add(new Problem(file, "PrimaryEntity", $"step '{step}' is registered on {table}, a table neither the solution nor the sandbox's standard tables define"));
                    }
                    else
                    {
                        foreach (var column in step.FilteringAttributes.Where(column => tableMetadata.Column(column) is null))
                        {
                            _problems.Add(new Problem(file, "FilteringAttributes", $"{table} has no column {column}"));
                        }
                        foreach (var image in step.Images)
                        {
                            foreach (var column in image.Attributes.Where(column => tableMetadata.Column(column) is null))
                            {
                                _problems.Add(new Problem(file, "SdkMessageProcessingStepImage", $"image {image.EntityAlias}: {table} has no column {column}"));
                            }
                        }
                    }
                }
                if (_assemblies is not null && _assemblies.WhyNotAPlugin(step.PluginTypeName) is { } reason)
                {
                    _problems.Add(new Problem(file, "PluginTypeName", reason));
                }
            }
        }

        private static readonly string[] TablePrivileges = { "Create", "Read", "Write", "Delete", "Append", "AppendTo", "Assign", "Share" };

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
                if (api.PluginTypeExportKey is null)
                {
                    _problems.Add(new Problem(file, "plugintypeid", $"{api.UniqueName} names no main-operation plug-in type: it would answer every call with empty outputs"));
                }
                else if (_assemblies is not null && _assemblies.WhyNotAPlugin(api.PluginTypeExportKey) is { } reason)
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

        /// <remarks>
        /// A classic assembly must be the one that was built (same name, version and key), named where its file sits, and
        /// every type it registers must exist: a workflow activity as a CodeActivity, in the sandbox isolation Dataverse online requires.
        /// </remarks>
        private void CheckClassicAssemblies(SolutionMetadata metadata)
        {
            foreach (var registration in metadata.PluginAssemblies)
            {
                var name = registration.FullName.Split(',')[0].Trim();
                var file = _source.Under("PluginAssemblies").First(pair => (string?)pair.Document.Root!.Attribute("FullName") == registration.FullName).Path;
                var folder = file[..file.LastIndexOf('/')];
                if (!string.Equals(registration.FileName, $"/{folder}/{Path.GetFileName(file)[..^".data.xml".Length]}", StringComparison.Ordinal))
                {
                    _problems.Add(new Problem(file, "FileName", $"is {registration.FileName}; the file this data file describes is /{folder}/{Path.GetFileName(file)[..^".data.xml".Length]}"));
                }
                var root = _source.Document(file)!.Root!;
                if ((string?)root.Element("IsolationMode") != "2")
                {
                    _problems.Add(new Problem(file, "IsolationMode", "must be 2 (sandbox): Dataverse online runs no other"));
                }
                ClassicAssembly built;
                try
                {
                    built = ClassicAssembly.Open(_classicAssemblyFolder, name);
                }
                catch (FileNotFoundException exception)
                {
                    _problems.Add(new Problem(file, "PluginAssembly", exception.Message));
                    continue;
                }
                using (built)
                {
                    if (!string.Equals(built.FullName, registration.FullName, StringComparison.OrdinalIgnoreCase))
                    {
                        _problems.Add(new Problem(file, "FullName", $"is '{registration.FullName}', but the built assembly is '{built.FullName}'"));
                    }
                    foreach (var type in registration.Types)
                    {
                        if (type.AssemblyQualifiedName != $"{type.Name}, {registration.FullName}")
                        {
                            _problems.Add(new Problem(file, "PluginType", $"{type.Name}: AssemblyQualifiedName must be '{type.Name}, {registration.FullName}'"));
                        }
                        if (built.WhyNotRegistrable(type.Name, activity: type.WorkflowActivityGroupName is not null) is { } reason)
                        {
                            _problems.Add(new Problem(file, "PluginType", reason));
                        }
                    }
                }
            }
        }

        private static readonly Dictionary<string, int> WebResourceTypes = new(StringComparer.OrdinalIgnoreCase)
        {
            [".html"] = 1, [".htm"] = 1, [".css"] = 2, [".js"] = 3, [".xml"] = 4, [".png"] = 5, [".jpg"] = 6, [".gif"] = 7, [".xsl"] = 9, [".ico"] = 10, [".svg"] = 11, [".resx"] = 12,
        };

        /// <remarks>Each web resource's content comes from the web resources' build; its type must match its extension and its file its name.</remarks>
        private void CheckWebResources()
        {
            foreach (var (path, document) in _source.Under("WebResources"))
            {
                var root = document.Root!;
                var name = (string?)root.Element("Name") ?? "";
                Require(path, root, "WebResource", name, "web resource");
                if ((string?)root.Element("FileName") != "/WebResources/" + name)
                {
                    Add(path, "FileName", root, $"must be /WebResources/{name}, where the zip carries the content");
                }
                var type = (int?)root.Element("WebResourceType");
                if (!WebResourceTypes.TryGetValue(Path.GetExtension(name), out var expected) || type != expected)
                {
                    Add(path, "WebResourceType", root, $"is {type}, but a {Path.GetExtension(name)} web resource is type {(WebResourceTypes.TryGetValue(Path.GetExtension(name), out var known) ? known : 0)}");
                }
                if (!File.Exists(Path.Combine(_webResourceFolder, name)))
                {
                    Add(path, "Name", root, $"{name} is not in {_webResourceFolder}: build the web resources first (cd WebResources && npm ci && npm run build)");
                }
            }
        }

        private void Add(string path, string element, XElement at, string message) =>
            _problems.Add(new Problem(path, element, message, ((IXmlLineInfo)at).LineNumber));
    }
}
