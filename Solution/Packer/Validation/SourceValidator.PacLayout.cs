using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;
using OneKosmos.Solution.Model;
using OneKosmos.Solution.Packer.Output;

namespace OneKosmos.Solution.Packer.Validation
{
    /// <summary>
    /// Solution/src is the tree <c>pac solution unpack</c> makes, so teams whose pipelines use <c>pac solution pack</c> can
    /// pack it too: the manifest names the solution and its publisher, field security profiles and the relationship index
    /// sit in their own files of Other/, as in real unpacked exports (juergenbeck/D365TestCenter solution/src/Other;
    /// HamzehMari/CaseSystem-PowerApps src/Other/FieldSecurityProfiles.xml).
    /// </summary>
    internal sealed partial class SourceValidator
    {
        private const string ManifestFile = "Other/Solution.xml";
        private const string RelationshipIndexFile = "Other/Relationships.xml";

        private void CheckPacLayout()
        {
            CheckManifestIdentity();
            if (_source.Document("Other/Customizations.xml")?.Root?.Element("FieldSecurityProfiles") is { HasElements: true } inline)
            {
                Add("Other/Customizations.xml", "FieldSecurityProfiles", inline, $"field security profiles belong in {SolutionMetadataReader.FieldSecurityProfilesFile}, where pac puts them; leave <FieldSecurityProfiles /> empty here");
            }
            foreach (var permission in FieldSecurityProfiles().SelectMany(profile => profile.Descendants("FieldPermission")).Where(permission => permission.Element("CanReadUnmasked") is null))
            {
                Add(SolutionMetadataReader.FieldSecurityProfilesFile, "CanReadUnmasked", permission,
                    $"the permission on {(string?)permission.Element("AttributeName")} has no <CanReadUnmasked> (after <CanCreate>), which exported field permissions carry; 0 unless the column is masked");
            }
            CheckRelationshipIndex();
        }

        private void CheckManifestIdentity()
        {
            var manifest = _source.Document(ManifestFile)?.Root?.Element("SolutionManifest");
            if (manifest is null)
            {
                return;
            }
            var publisher = manifest.Element("Publisher");
            var expected = new (string Element, string? Found, string Wanted)[]
            {
                ("UniqueName", (string?)manifest.Element("UniqueName"), _config.UniqueName),
                ("Version", (string?)manifest.Element("Version"), _config.Version),
                ("Publisher/UniqueName", (string?)publisher?.Element("UniqueName"), _config.PublisherUniqueName),
                ("Publisher/CustomizationPrefix", (string?)publisher?.Element("CustomizationPrefix"), _config.Prefix),
                ("Publisher/CustomizationOptionValuePrefix", (string?)publisher?.Element("CustomizationOptionValuePrefix"), _config.OptionValuePrefix.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            };
            foreach (var (element, found, wanted) in expected.Where(item => item.Found != item.Wanted))
            {
                Add(ManifestFile, element, manifest, found is null
                    ? $"the manifest names no {element}: pac solution pack needs it; set it to '{wanted}' (pac.config)"
                    : $"is '{found}' while pac.config says '{wanted}': keep the two the same");
            }
        }

        private void CheckRelationshipIndex()
        {
            var defined = _source.Under(CustomizationsBuilder.RelationshipsFolder)
                .SelectMany(file => file.Document.Root!.Elements("EntityRelationship"))
                .Select(relationship => (string?)relationship.Attribute("Name") ?? "")
                .ToHashSet(StringComparer.Ordinal);
            var index = _source.Document(RelationshipIndexFile)?.Root;
            if (index is null)
            {
                if (defined.Count > 0)
                {
                    _problems.Add(new Problem(RelationshipIndexFile, "EntityRelationships", $"is missing: pac lists every relationship of {CustomizationsBuilder.RelationshipsFolder}/ here by name ({string.Join(", ", defined.OrderBy(name => name, StringComparer.Ordinal))})"));
                }
                return;
            }
            var listed = index.Elements("EntityRelationship").Select(relationship => (string?)relationship.Attribute("Name") ?? "").ToHashSet(StringComparer.Ordinal);
            foreach (var missing in defined.Except(listed).OrderBy(name => name, StringComparer.Ordinal))
            {
                Add(RelationshipIndexFile, "EntityRelationship", index, $"{missing} is defined in {CustomizationsBuilder.RelationshipsFolder}/ but not listed here");
            }
            foreach (var extra in listed.Except(defined).OrderBy(name => name, StringComparer.Ordinal))
            {
                Add(RelationshipIndexFile, "EntityRelationship", index, $"{extra} is listed but no file of {CustomizationsBuilder.RelationshipsFolder}/ defines it");
            }
        }
    }
}
