using System.Linq;
using System.Xml.Linq;

namespace OneKosmos.Solution.Packer.Output
{
    /// <summary>Writes solution.xml: identity and publisher from pac.config, root components from the source manifest.</summary>
    internal static class ManifestBuilder
    {
        private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

        public static XDocument Build(SourceTree source, SolutionConfig config, bool managed)
        {
            var sourceManifest = source.Document("Other/Solution.xml")!.Root!;
            var roots = sourceManifest.Element("SolutionManifest")!.Element("RootComponents")!;
            var manifest = new XElement("SolutionManifest",
                new XElement("UniqueName", config.UniqueName),
                Localized("LocalizedNames", "LocalizedName", config.DisplayName),
                Localized("Descriptions", "Description", config.Description),
                new XElement("Version", config.Version),
                new XElement("Managed", managed ? "1" : "0"),
                new XElement("Publisher",
                    new XElement("UniqueName", config.PublisherUniqueName),
                    Localized("LocalizedNames", "LocalizedName", config.PublisherDisplayName),
                    Localized("Descriptions", "Description", config.PublisherDescription),
                    Nil("EMailAddress"),
                    Nil("SupportingWebsiteUrl"),
                    new XElement("CustomizationPrefix", config.Prefix),
                    new XElement("CustomizationOptionValuePrefix", config.OptionValuePrefix),
                    new XElement("Addresses", Enumerable.Range(1, 2).Select(Address))),
                new XElement("RootComponents", roots.Elements("RootComponent").Select(root => new XElement(root))),
                new XElement("MissingDependencies"));
            return new XDocument(
                new XDeclaration("1.0", "utf-8", null),
                new XElement("ImportExportXml",
                    sourceManifest.Attributes().Where(attribute => !attribute.IsNamespaceDeclaration),
                    new XAttribute(XNamespace.Xmlns + "xsi", Xsi),
                    manifest));
        }

        private static XElement Localized(string container, string item, string text) =>
            new(container, new XElement(item, new XAttribute("description", text), new XAttribute("languagecode", "1033")));

        private static XElement Nil(string name) => new(name, new XAttribute(Xsi + "nil", "true"));

        private static XElement Address(int number) =>
            new("Address",
                new XElement("AddressNumber", number),
                new XElement("AddressTypeCode", 1),
                Nil("City"), Nil("County"), Nil("Country"), Nil("Fax"), Nil("FreightTermsCode"), Nil("ImportSequenceNumber"),
                Nil("Latitude"), Nil("Line1"), Nil("Line2"), Nil("Line3"), Nil("Longitude"), Nil("Name"), Nil("PostalCode"),
                Nil("PostOfficeBox"), Nil("PrimaryContactName"), new XElement("ShippingMethodCode", 1), Nil("StateOrProvince"),
                Nil("Telephone1"), Nil("Telephone2"), Nil("Telephone3"), Nil("TimeZoneRuleVersionNumber"), Nil("UPSZone"),
                Nil("UTCOffset"), Nil("UTCConversionTimeZoneCode"));
    }
}
