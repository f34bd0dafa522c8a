using System;
using System.Collections.Generic;
using System.IO;
using System.Xml.Linq;
using System.Xml.Schema;
using OneKosmos.Tests.Shared;

namespace OneKosmos.Sandbox.Dataverse.Tests.Query
{
    /// <summary>Microsoft's FetchXML schema (shared/schemas/Fetch.xsd): the queries of the tests are checked against it, so they speak real FetchXML.</summary>
    internal static class FetchXmlSchema
    {
        private static readonly Lazy<XmlSchemaSet> Schema = new(() =>
        {
            var schemas = new XmlSchemaSet();
            schemas.Add(null, Path.Combine(RepositoryPaths.Root, "..", "shared", "schemas", "Fetch.xsd"));
            return schemas;
        });

        public static string Valid(string fetchXml)
        {
            var errors = new List<string>();
            XDocument.Parse(fetchXml).Validate(Schema.Value, (_, error) => errors.Add(error.Message));
            Assert.AreEqual(0, errors.Count, "not valid FetchXML: " + string.Join("; ", errors));
            return fetchXml;
        }
    }
}
