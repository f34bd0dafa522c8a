using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using YamlDotNet.RepresentationModel;

namespace OneKosmos.Sandbox.Host.Site
{
    /// <summary>A table permission's scope (mspp_entitypermission's scope choice, as pac pages download writes it).</summary>
    public enum PermissionScope
    {
        Global = 756150000,
        Contact = 756150001,
        Account = 756150002,
        Parent = 756150003,
        Self = 756150004,
    }

    /// <summary>What a web role's table permission grants on one table.</summary>
    public sealed record TablePermission(
        string Name, string Table, PermissionScope Scope, string? ContactRelationship, IReadOnlyList<Guid> WebRoles,
        bool Read, bool Create, bool Write, bool Delete, bool Append, bool AppendTo);

    /// <summary>
    /// The product's Power Pages package as pac pages download lays a site out (WebResources/dist/powerpages): table
    /// permissions (table-permissions/*.tablepermission.yml), site settings (sitesetting.yml) and web templates
    /// (web-templates/{name}/*.webtemplate.yml with its .webtemplate.source.html). The sandbox's site runs on exactly these
    /// files, so what the sandbox enforces is what ships.
    /// </summary>
    public sealed class SitePackage
    {
        private SitePackage(IReadOnlyList<TablePermission> permissions, IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string> templates)
        {
            Permissions = permissions;
            Settings = settings;
            Templates = templates;
        }

        public IReadOnlyList<TablePermission> Permissions { get; }

        /// <value>Site settings by name (case-insensitive, as Power Pages reads them).</value>
        public IReadOnlyDictionary<string, string> Settings { get; }

        /// <value>Web template sources by adx_name.</value>
        public IReadOnlyDictionary<string, string> Templates { get; }

        /// <exception cref="InvalidOperationException">The package is not built; the message says how to build it.</exception>
        /// <exception cref="InvalidDataException">A file is not in the shape pac pages download writes; the message names it.</exception>
        public static SitePackage Load(string folder)
        {
            if (!Directory.Exists(folder))
            {
                throw new InvalidOperationException($"The Power Pages package is not built at {folder}: run 'npm run build' in WebResources.");
            }
            var permissions = Directory.GetFiles(Path.Combine(folder, "table-permissions"), "*.tablepermission.yml").Order(StringComparer.Ordinal).Select(ReadPermission).ToList();
            var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (YamlMappingNode setting in (YamlSequenceNode)Document(Path.Combine(folder, "sitesetting.yml")))
            {
                settings[Text(setting, "adx_name", "sitesetting.yml")] = Text(setting, "adx_value", "sitesetting.yml");
            }
            var templates = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in Directory.GetFiles(Path.Combine(folder, "web-templates"), "*.webtemplate.yml", SearchOption.AllDirectories))
            {
                var source = file[..^".yml".Length] + ".source.html";
                templates[Text((YamlMappingNode)Document(file), "adx_name", file)] = File.ReadAllText(source);
            }
            return new SitePackage(permissions, settings, templates);
        }

        /// <summary>Whether the site's Web API serves the table (Webapi/{table}/enabled).</summary>
        public bool Enabled(string table) => Settings.TryGetValue($"Webapi/{table}/enabled", out var value) && string.Equals(value.Trim(), "true", StringComparison.OrdinalIgnoreCase);

        /// <summary>The columns the site's Web API reads and writes on the table (Webapi/{table}/fields); "*" is every column.</summary>
        public IReadOnlySet<string> Fields(string table) =>
            _fields.GetOrAdd(table, name => Settings.TryGetValue($"Webapi/{name}/fields", out var value)
                ? value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal)
                : new HashSet<string>(StringComparer.Ordinal));

        /// <summary>Each table's fields setting, split once: the site's Web API asks on every request.</summary>
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlySet<string>> _fields = new(StringComparer.Ordinal);

        private static TablePermission ReadPermission(string file)
        {
            var node = (YamlMappingNode)Document(file);
            var scope = int.Parse(Text(node, "scope", file), System.Globalization.CultureInfo.InvariantCulture);
            if (!Enum.IsDefined(typeof(PermissionScope), scope))
            {
                throw new InvalidDataException($"{file}: scope {scope} is not a table permission scope (756150000 Global … 756150004 Self).");
            }
            bool Flag(string key) => node.Children.TryGetValue(new YamlScalarNode(key), out var value) && ((YamlScalarNode)value).Value == "true";
            var roles = node.Children.TryGetValue(new YamlScalarNode("adx_entitypermission_webrole"), out var list)
                ? ((YamlSequenceNode)list).Children.Select(role => Guid.Parse(((YamlScalarNode)role).Value!)).ToList()
                : new List<Guid>();
            return new TablePermission(Text(node, "entityname", file), Text(node, "entitylogicalname", file), (PermissionScope)scope,
                node.Children.TryGetValue(new YamlScalarNode("contactrelationship"), out var relationship) ? ((YamlScalarNode)relationship).Value : null,
                roles, Flag("read"), Flag("create"), Flag("write"), Flag("delete"), Flag("append"), Flag("appendto"));
        }

        private static YamlNode Document(string file)
        {
            var stream = new YamlStream();
            using var reader = new StreamReader(file);
            stream.Load(reader);
            return stream.Documents.Count == 1 ? stream.Documents[0].RootNode : throw new InvalidDataException($"{file}: expected one YAML document.");
        }

        private static string Text(YamlMappingNode node, string key, string file) =>
            node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode { Value: { } text }
                ? text
                : throw new InvalidDataException($"{file}: '{key}' is missing.");
    }
}
