using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Xml;
using System.Xml.Linq;

namespace OneKosmos.Solution.Model
{
    /// <summary>
    /// Reads what an unpacked solution (the SolutionPackager layout) declares: <c>Entities/</c>, <c>OptionSets/</c>,
    /// <c>Other/Relationships/</c>, <c>Roles/</c>, the field security profiles in <c>Other/Customizations.xml</c> and
    /// <c>environmentvariabledefinitions/</c>, <c>customapis/</c> and classic <c>PluginAssemblies/</c>. Tables the solution only extends (such as contact) are merged into the
    /// sandbox's declared standard tables.
    /// </summary>
    public static class SolutionMetadataReader
    {
        /// <exception cref="InvalidDataException">A file is malformed or declares something the sandbox cannot model; the message names the file.</exception>
        /// <summary>What an environment holds before any solution is imported: the platform's standard tables alone.</summary>
        public static SolutionMetadata Platform() => new(
            StandardTables.All().ToDictionary(table => table.LogicalName, StringComparer.Ordinal),
            new Dictionary<string, IReadOnlyCollection<int>>(StringComparer.Ordinal),
            Array.Empty<RoleMetadata>(),
            Array.Empty<FieldSecurityProfileMetadata>(),
            Array.Empty<EnvironmentVariableMetadata>(),
            Array.Empty<CustomApiMetadata>(),
            Array.Empty<PluginAssemblyMetadata>());

        public static SolutionMetadata Read(string solutionSourceDirectory)
        {
            if (!Directory.Exists(solutionSourceDirectory))
            {
                throw new DirectoryNotFoundException($"No solution source at {solutionSourceDirectory}.");
            }
            var source = new Source(solutionSourceDirectory);
            var choices = source.Files("OptionSets", "*.xml").ToDictionary(
                file => (string)file.Root.Attribute("Name")! ?? throw file.Error("the <optionset> has no Name attribute"),
                file => new GlobalChoice(OptionValues(file.Root.Element("options"), file), OptionLabels(file.Root.Element("options"))),
                StringComparer.Ordinal);
            var optionSets = choices.ToDictionary(pair => pair.Key, pair => pair.Value.Values, StringComparer.Ordinal);

            var tables = StandardTables.All().ToDictionary(table => table.LogicalName, StringComparer.Ordinal);
            foreach (var file in source.Files("Entities", "Entity.xml", recursive: true))
            {
                ReadTable(file, tables, choices);
            }
            foreach (var file in source.Files(Path.Combine("Other", "Relationships"), "*.xml"))
            {
                ReadRelationships(file, tables);
            }
            return new SolutionMetadata(
                tables,
                optionSets,
                source.Files("Roles", "*.xml").Select(ReadRole).ToList(),
                ReadFieldSecurityProfiles(source),
                source.Files("environmentvariabledefinitions", "environmentvariabledefinition.xml", recursive: true).Select(ReadEnvironmentVariable).ToList(),
                source.Files("customapis", "customapi.xml", recursive: true).Select(file => ReadCustomApi(file, source)).ToList(),
                source.Files("PluginAssemblies", "*.dll.data.xml", recursive: true).Select(ReadPluginAssembly).ToList());
        }

        private static PluginAssemblyMetadata ReadPluginAssembly(SourceFile file)
        {
            var fullName = (string?)file.Root.Attribute("FullName") ?? throw file.Error("<PluginAssembly> has no FullName");
            var types = file.Root.Element("PluginTypes")?.Elements("PluginType").Select(type => new PluginTypeMetadata(
                (string?)type.Attribute("Name") ?? throw file.Error("a <PluginType> has no Name"),
                (string?)type.Attribute("AssemblyQualifiedName") ?? throw file.Error("a <PluginType> has no AssemblyQualifiedName"),
                Text(type, "FriendlyName") ?? throw file.Error("a <PluginType> has no <FriendlyName>"),
                Text(type, "WorkflowActivityGroupName"))).ToList() ?? new List<PluginTypeMetadata>();
            return new PluginAssemblyMetadata(
                ((string?)file.Root.Attribute("PluginAssemblyId") ?? throw file.Error("<PluginAssembly> has no PluginAssemblyId")).Trim('{', '}').ToLowerInvariant(),
                fullName,
                Text(file.Root, "FileName") ?? throw file.Error("<PluginAssembly> has no <FileName>"),
                types);
        }

        /// <remarks>
        /// Request parameters and response properties live beside the API (<c>customapis/{api}/customapirequestparameters/{name}/</c>).
        /// What the platform refuses on import is refused here too: an unknown type, a response property marked optional.
        /// </remarks>
        private static CustomApiMetadata ReadCustomApi(SourceFile file, Source source)
        {
            var uniqueName = (string?)file.Root.Attribute("uniquename") ?? throw file.Error("<customapi> has no uniquename");
            var folder = Path.GetDirectoryName(file.RelativePath)!;
            var parameters = source.Files(Path.Combine(folder, "customapirequestparameters"), "customapirequestparameter.xml", recursive: true)
                .Select(parameter => ReadCustomApiField(parameter, uniqueName, response: false)).ToList();
            var properties = source.Files(Path.Combine(folder, "customapiresponseproperties"), "customapiresponseproperty.xml", recursive: true)
                .Select(property => ReadCustomApiField(property, uniqueName, response: true)).ToList();
            var exportKey = (string?)file.Root.Element("plugintypeid")?.Element("plugintypeexportkey");
            return new CustomApiMetadata(
                uniqueName,
                Text(file.Root, "executeprivilegename"),
                Integer(file.Root, "isfunction", file) == 1,
                Integer(file.Root, "bindingtype", file) ?? 0,
                Integer(file.Root, "isprivate", file) == 1,
                string.IsNullOrWhiteSpace(exportKey) ? null : exportKey!.Trim(),
                parameters,
                properties,
                Integer(file.Root, "allowedcustomprocessingsteptype", file) ?? 0);
        }

        private static CustomApiField ReadCustomApiField(SourceFile file, string api, bool response)
        {
            var kind = response ? "response property" : "request parameter";
            var uniqueName = (string?)file.Root.Attribute("uniquename") ?? throw file.Error($"the {kind} has no uniquename");
            var type = Integer(file.Root, "type", file) ?? throw file.Error($"the {kind} {uniqueName} has no <type>");
            if (!CustomApiField.IsKnownType(type))
            {
                throw file.Error($"the {kind} {uniqueName} has type {type}; custom API types are 0 (Boolean) to 12 (Guid)");
            }
            if (response && file.Root.Element("isoptional") is not null)
            {
                throw file.Error($"the response property {uniqueName} has <isoptional>, which Dataverse refuses on import");
            }
            var name = Text(file.Root, "name");
            if (name is not null && name != $"{api}.{uniqueName}")
            {
                throw file.Error($"<name> is '{name}', expected '{api}.{uniqueName}'");
            }
            return new CustomApiField(uniqueName, type, !response && Integer(file.Root, "isoptional", file) == 1, Text(file.Root, "logicalentityname"));
        }

        private static string? Text(XElement element, string name) =>
            (string?)element.Element(name) is { } text && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;

        private static void ReadTable(SourceFile file, Dictionary<string, TableMetadata> tables, IReadOnlyDictionary<string, GlobalChoice> choices)
        {
            var entity = file.Root.Element("EntityInfo")?.Element("entity") ?? throw file.Error("<EntityInfo><entity> is missing");
            var name = ((string?)entity.Attribute("Name") ?? throw file.Error("<entity> has no Name attribute")).ToLowerInvariant();
            var extendsExisting = (string?)entity.Attribute("unmodified") == "1";
            TableMetadata table;
            if (extendsExisting)
            {
                table = tables.TryGetValue(name, out var existing)
                    ? existing
                    : throw file.Error($"extends the table {name}, which is neither in this solution nor among the sandbox's declared standard tables");
            }
            else
            {
                var ownership = (string?)entity.Element("OwnershipTypeMask") switch
                {
                    "UserOwned" => Ownership.UserOwned,
                    "OrganizationOwned" => Ownership.OrganizationOwned,
                    var other => throw file.Error($"<OwnershipTypeMask> is '{other}'; use UserOwned or OrganizationOwned"),
                };
                table = new TableMetadata(name, ownership, file.RelativePath, privilegeName: name);
                tables[name] = table;
            }

            foreach (var attribute in entity.Element("attributes")?.Elements("attribute") ?? Enumerable.Empty<XElement>())
            {
                var column = ReadColumn(attribute, file, choices);
                table.Add(column);
                // An exported table marks its primary name column in the attribute's DisplayMask.
                if (((string?)attribute.Element("DisplayMask") ?? "").Split('|').Contains("PrimaryName"))
                {
                    table.PrimaryNameAttribute = column.LogicalName;
                }
            }
            foreach (var key in entity.Element("EntityKeys")?.Elements("EntityKey") ?? Enumerable.Empty<XElement>())
            {
                var keyName = (string?)key.Element("LogicalName") ?? (string?)key.Element("Name") ?? throw file.Error("an <EntityKey> has no <Name>");
                var columns = key.Element("EntityKeyAttributes")?.Elements("AttributeName").Select(column => column.Value.Trim()).ToList() ?? new List<string>();
                table.Add(new KeyMetadata(keyName, columns));
            }
        }

        private static ColumnMetadata ReadColumn(XElement attribute, SourceFile file, IReadOnlyDictionary<string, GlobalChoice> choices)
        {
            var name = (string?)attribute.Element("LogicalName") ?? throw file.Error("an <attribute> has no <LogicalName>");
            var typeName = (string?)attribute.Element("Type") ?? throw file.Error($"attribute {name} has no <Type>");
            var type = typeName switch
            {
                "primarykey" => ColumnType.PrimaryKey,
                "nvarchar" or "ntext" or "memo" => ColumnType.String,
                "int" => ColumnType.Integer,
                "bigint" => ColumnType.BigInt,
                "decimal" => ColumnType.Decimal,
                "float" => ColumnType.Double,
                "money" => ColumnType.Money,
                "bit" => ColumnType.Boolean,
                "datetime" => ColumnType.DateTime,
                "lookup" or "customer" or "owner" => ColumnType.Lookup,
                "picklist" or "state" or "status" => ColumnType.Choice,
                "multiselectpicklist" => ColumnType.MultiChoice,
                "uniqueidentifier" => ColumnType.UniqueIdentifier,
                _ => throw file.Error($"attribute {name} has <Type>{typeName}</Type>, which the sandbox does not model"),
            };
            var optionSetName = (string?)attribute.Element("OptionSetName");
            IReadOnlyCollection<int> options = Array.Empty<int>();
            IReadOnlyDictionary<int, string> labels = new Dictionary<int, string>();
            if (type is ColumnType.Choice or ColumnType.MultiChoice)
            {
                var choice = optionSetName is not null
                    ? choices.TryGetValue(optionSetName, out var global) ? global : throw file.Error($"attribute {name} uses the choice {optionSetName}, which OptionSets/ does not define")
                    : new GlobalChoice(OptionValues(attribute.Element("optionset"), file), OptionLabels(attribute.Element("optionset")));
                (options, labels) = (choice.Values, choice.Labels);
            }
            return new ColumnMetadata(name, type)
            {
                IsDateOnly = type == ColumnType.DateTime && (string?)attribute.Element("Format") == "date",
                MaxLength = Integer(attribute, "MaxLength", file),
                Precision = Integer(attribute, "Accuracy", file),
                MinValue = Number(attribute, "MinValue", file),
                MaxValue = Number(attribute, "MaxValue", file),
                OptionSetName = optionSetName,
                Options = options,
                OptionLabels = labels,
                Targets = typeName == "owner" ? new[] { "systemuser", "team" } : Array.Empty<string>(),
                IsSecured = (string?)attribute.Element("IsSecured") == "1",
                IsCustom = (string?)attribute.Element("IsCustomField") == "1",
                IsSystemManaged = SystemColumns.IsSystemManaged(name),
            };
        }

        private static void ReadRelationships(SourceFile file, Dictionary<string, TableMetadata> tables)
        {
            foreach (var relationship in file.Root.Elements("EntityRelationship"))
            {
                var name = (string?)relationship.Attribute("Name") ?? throw file.Error("an <EntityRelationship> has no Name");
                var type = (string?)relationship.Element("EntityRelationshipType");
                if (type == "ManyToMany")
                {
                    AddIntersectTable(file, relationship, name, tables);
                    continue;
                }
                if (type != "OneToMany")
                {
                    continue;
                }
                var referencing = ((string?)relationship.Element("ReferencingEntityName") ?? "").ToLowerInvariant();
                var referenced = ((string?)relationship.Element("ReferencedEntityName") ?? "").ToLowerInvariant();
                // Exports name the lookup by its schema name (contoso_ContactId) as often as by its logical name.
                var attribute = ((string?)relationship.Element("ReferencingAttributeName") ?? "").ToLowerInvariant();
                var column = tables.TryGetValue(referencing, out var table) ? table.Column(attribute) : null;
                if (column is null || column.Type != ColumnType.Lookup)
                {
                    throw file.Error($"relationship {name} names {referencing}.{attribute}, which is not a lookup column of this solution");
                }
                if ((string?)relationship.Element("IsHierarchical") == "1")
                {
                    table!.HierarchyColumn = referencing == referenced
                        ? column.LogicalName
                        : throw file.Error($"relationship {name} is hierarchical, so it relates {referencing} to itself, not to {referenced}");
                }
                table!.Add(new ColumnMetadata(column.LogicalName, ColumnType.Lookup)
                {
                    Targets = column.Targets.Append(referenced).Distinct().ToArray(),
                    IsSecured = column.IsSecured,
                    IsCustom = column.IsCustom,
                });
            }
        }

        /// <remarks>
        /// An export names the two tables (FirstEntityName, SecondEntityName, often by schema name) and the intersect table;
        /// the intersect columns follow from them (see <see cref="ManyToManyMetadata"/>).
        /// </remarks>
        private static void AddIntersectTable(SourceFile file, XElement relationship, string name, Dictionary<string, TableMetadata> tables)
        {
            string Table(string element)
            {
                var table = ((string?)relationship.Element(element) ?? throw file.Error($"the many-to-many relationship {name} has no <{element}>")).ToLowerInvariant();
                return tables.ContainsKey(table) ? table : throw file.Error($"the many-to-many relationship {name} names {table}, which neither this solution nor the platform tables the sandbox knows define");
            }
            var table1 = Table("FirstEntityName");
            var table2 = Table("SecondEntityName");
            var intersect = ((string?)relationship.Element("IntersectEntityName") ?? throw file.Error($"the many-to-many relationship {name} has no <IntersectEntityName>")).ToLowerInvariant();
            var (column1, column2) = table1 == table2
                ? (tables[table1].PrimaryIdAttribute + "one", tables[table2].PrimaryIdAttribute + "two")
                : (tables[table1].PrimaryIdAttribute, tables[table2].PrimaryIdAttribute);
            var table = new TableMetadata(intersect, Ownership.OrganizationOwned, file.RelativePath, privilegeName: null)
            {
                IntersectOf = new ManyToManyMetadata(name, intersect, table1, column1, table2, column2),
            };
            table.Add(new ColumnMetadata(table.PrimaryIdAttribute, ColumnType.PrimaryKey));
            table.Add(new ColumnMetadata(column1, ColumnType.UniqueIdentifier));
            table.Add(new ColumnMetadata(column2, ColumnType.UniqueIdentifier));
            tables[intersect] = tables.ContainsKey(intersect) ? throw file.Error($"the intersect table {intersect} of {name} has the name of another table") : table;
        }

        private static RoleMetadata ReadRole(SourceFile file)
        {
            var id = Guid.TryParse((string?)file.Root.Attribute("id"), out var parsed) ? parsed : throw file.Error("the <Role> id attribute is not a GUID");
            var name = (string?)file.Root.Attribute("name") ?? throw file.Error("the <Role> has no name");
            var privileges = new Dictionary<string, PrivilegeDepth>(StringComparer.OrdinalIgnoreCase);
            foreach (var privilege in file.Root.Element("RolePrivileges")?.Elements("RolePrivilege") ?? Enumerable.Empty<XElement>())
            {
                var privilegeName = (string?)privilege.Attribute("name") ?? throw file.Error("a <RolePrivilege> has no name");
                privileges[privilegeName] = Enum.TryParse<PrivilegeDepth>((string?)privilege.Attribute("level"), out var depth)
                    ? depth
                    : throw file.Error($"privilege {privilegeName} has level '{(string?)privilege.Attribute("level")}'; use Basic, Local, Deep or Global");
            }
            return new RoleMetadata(id, name, privileges);
        }

        /// <summary>Where an unpacked solution keeps its field security profiles (pac's layout: Other/FieldSecurityProfiles.xml).</summary>
        public const string FieldSecurityProfilesFile = "Other/FieldSecurityProfiles.xml";

        private static List<FieldSecurityProfileMetadata> ReadFieldSecurityProfiles(Source source)
        {
            var customizations = source.Files("Other", Path.GetFileName(FieldSecurityProfilesFile)).SingleOrDefault();
            if (customizations is null)
            {
                return new List<FieldSecurityProfileMetadata>();
            }
            return customizations.Root.Elements("FieldSecurityProfile").Select(profile =>
            {
                var name = (string?)profile.Attribute("name") ?? throw customizations.Error("a <FieldSecurityProfile> has no name");
                var id = Guid.TryParse((string?)profile.Attribute("fieldsecurityprofileid"), out var parsed)
                    ? parsed
                    : throw customizations.Error($"field security profile {name} has no valid fieldsecurityprofileid");
                var permissions = profile.Element("FieldPermissions")?.Elements("FieldPermission").Select(permission => new FieldPermission(
                    ((string?)permission.Element("EntityName") ?? "").ToLowerInvariant(),
                    (string?)permission.Element("AttributeName") ?? "",
                    (string?)permission.Element("CanRead") == "4",
                    (string?)permission.Element("CanUpdate") == "4",
                    (string?)permission.Element("CanCreate") == "4")).ToList() ?? new List<FieldPermission>();
                return new FieldSecurityProfileMetadata(id, name, permissions);
            }).ToList();
        }

        private static EnvironmentVariableMetadata ReadEnvironmentVariable(SourceFile file)
        {
            var schemaName = (string?)file.Root.Attribute("schemaname") ?? throw file.Error("<environmentvariabledefinition> has no schemaname");
            var type = Integer(file.Root, "type", file) ?? throw file.Error($"environment variable {schemaName} has no <type>");
            return new EnvironmentVariableMetadata(schemaName, type, (string?)file.Root.Element("defaultvalue"));
        }

        /// <summary>A choice's values and their labels, as an option set file or a column's local option set declares them.</summary>
        private sealed record GlobalChoice(IReadOnlyCollection<int> Values, IReadOnlyDictionary<int, string> Labels);

        /// <summary>Each option's label in 1033 (the base language of our solution), else its first label.</summary>
        private static Dictionary<int, string> OptionLabels(XElement? container) =>
            (container?.Descendants().Where(element => element.Name.LocalName is "option" or "state" or "status") ?? Enumerable.Empty<XElement>())
                .Select(option => (Value: int.TryParse((string?)option.Attribute("value"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : (int?)null,
                    Label: option.Element("labels")?.Elements("label").OrderBy(label => (string?)label.Attribute("languagecode") == "1033" ? 0 : 1).Select(label => (string?)label.Attribute("description")).FirstOrDefault()))
                .Where(option => option.Value is not null && option.Label is not null)
                .GroupBy(option => option.Value!.Value)
                .ToDictionary(group => group.Key, group => group.First().Label!);

        private static List<int> OptionValues(XElement? container, SourceFile file) =>
            container?.Descendants().Where(element => element.Name.LocalName is "option" or "state" or "status")
                .Select(option => int.TryParse((string?)option.Attribute("value"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                    ? value
                    : throw file.Error($"an option has the value '{(string?)option.Attribute("value")}', which is not a whole number"))
                .ToList() ?? new List<int>();

        private static int? Integer(XElement element, string name, SourceFile file)
        {
            var text = (string?)element.Element(name);
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : throw file.Error($"<{name}> is '{text}', not a whole number");
        }

        private static decimal? Number(XElement element, string name, SourceFile file)
        {
            var text = (string?)element.Element(name);
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }
            return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : throw file.Error($"<{name}> is '{text}', not a number");
        }

        /// <summary>The XML files of a solution source folder, parsed once, with errors that name them.</summary>
        internal sealed class Source
        {
            private readonly string _root;

            public Source(string root)
            {
                _root = root;
            }

            public IEnumerable<SourceFile> Files(string folder, string pattern, bool recursive = false)
            {
                var path = Path.Combine(_root, folder);
                if (!Directory.Exists(path))
                {
                    return Enumerable.Empty<SourceFile>();
                }
                return Directory.GetFiles(path, pattern, recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
                    .OrderBy(file => file, StringComparer.Ordinal)
                    .Select(file => SourceFile.Load(file, Path.GetRelativePath(_root, file)))
                    .ToList();
            }
        }

        internal sealed class SourceFile
        {
            private SourceFile(string relativePath, XElement root)
            {
                RelativePath = relativePath.Replace('\\', '/');
                Root = root;
            }

            public string RelativePath { get; }

            public XElement Root { get; }

            public static SourceFile Load(string path, string relativePath)
            {
                try
                {
                    return new SourceFile(relativePath, XDocument.Load(path, LoadOptions.SetLineInfo).Root!);
                }
                catch (XmlException exception)
                {
                    throw new InvalidDataException($"{relativePath.Replace('\\', '/')}: not well-formed XML ({exception.Message}).", exception);
                }
            }

            public InvalidDataException Error(string problem) => new($"{RelativePath}: {problem}.");
        }
    }
}
