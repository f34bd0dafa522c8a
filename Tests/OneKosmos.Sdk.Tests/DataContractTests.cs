using System;
using System.IO;
using System.Linq;
using System.Runtime.Serialization;
using System.Xml.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Client;

namespace OneKosmos.Sdk.Tests
{
    /// <summary>
    /// #20: the stand-in's types carry the official data contracts, so an Entity serializes as the official one does: the
    /// shape the organization service's SOAP messages show (an Entity in http://schemas.microsoft.com/xrm/2011/Contracts, its
    /// Attributes as KeyValuePairOfstringanyType items with key and value in the System.Collections.Generic contract
    /// namespace, members in alphabetical order), and back again with every value type plug-ins use.
    /// </summary>
    [TestClass]
    public sealed class DataContractTests
    {
        private const string Xrm = "http://schemas.microsoft.com/xrm/2011/Contracts";
        private const string Generic = "http://schemas.datacontract.org/2004/07/System.Collections.Generic";

        private static readonly Guid ContactId = Guid.Parse("6f1c7a52-0d7e-4a53-9d6b-6d5d2f0c1a01");

        private static Entity Sample() => new("okos_verification", Guid.Parse("0d3e0c55-7a5c-4f3e-8b0d-2b7b6c4c9e10"))
        {
            ["okos_name"] = "Jane Doe · IdentityProofing",
            ["okos_attempts"] = 2,
            ["okos_matchconfidence"] = 0.9731m,
            ["okos_verifiedon"] = new DateTime(2026, 3, 1, 9, 30, 0, DateTimeKind.Utc),
            ["okos_contactid"] = new EntityReference("contact", ContactId) { Name = "Jane Doe" },
            ["okos_status"] = new OptionSetValue(715900001),
            ["okos_fee"] = new Money(12.50m),
            ["okos_channels"] = new OptionSetValueCollection { new OptionSetValue(1), new OptionSetValue(2) },
            ["person.fullname"] = new AliasedValue("contact", "fullname", "Jane Doe"),
            ["okos_isbound"] = true,
        };

        private static string Serialize(Entity entity)
        {
            using var stream = new MemoryStream();
            new DataContractSerializer(typeof(Entity)).WriteObject(stream, entity);
            return System.Text.Encoding.UTF8.GetString(stream.ToArray());
        }

        private static Entity Deserialize(string xml)
        {
            using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(xml));
            return (Entity)new DataContractSerializer(typeof(Entity)).ReadObject(stream)!;
        }

        [TestMethod]
        public void AnEntity_SerializesInTheShapeOfTheOfficialContracts()
        {
            var entity = Sample();
            entity.FormattedValues["okos_status"] = "Verified";

            var root = XElement.Parse(Serialize(entity));

            Assert.AreEqual(XName.Get("Entity", Xrm), root.Name);
            CollectionAssert.AreEqual(
                new[] { "Attributes", "EntityState", "FormattedValues", "Id", "KeyAttributes", "LogicalName", "RelatedEntities", "RowVersion" },
                root.Elements().Select(element => element.Name.LocalName).ToArray());
            Assert.IsTrue(root.Elements().All(element => element.Name.NamespaceName == Xrm));
            var name = root.Element(XName.Get("Attributes", Xrm))!.Elements(XName.Get("KeyValuePairOfstringanyType", Xrm))
                .Single(pair => (string?)pair.Element(XName.Get("key", Generic)) == "okos_name");
            Assert.AreEqual("Jane Doe · IdentityProofing", (string?)name.Element(XName.Get("value", Generic)));
            Assert.AreEqual("okos_verification", (string?)root.Element(XName.Get("LogicalName", Xrm)));
        }

        [TestMethod]
        public void AnEntity_RoundTrips_WithEveryValueTypeItHolds()
        {
            var original = Sample();
            original.FormattedValues["okos_status"] = "Verified";
            original.KeyAttributes["okos_sessionid"] = "S-1";

            var copy = Deserialize(Serialize(original));

            Assert.AreEqual((original.LogicalName, original.Id), (copy.LogicalName, copy.Id));
            foreach (var (column, value) in original.Attributes)
            {
                var restored = copy[column];
                switch (value)
                {
                    case OptionSetValueCollection options:
                        CollectionAssert.AreEqual(options.ToArray(), ((OptionSetValueCollection)restored).ToArray(), column);
                        break;
                    case AliasedValue aliased:
                        var restoredAlias = (AliasedValue)restored;
                        Assert.AreEqual((aliased.EntityLogicalName, aliased.AttributeLogicalName, aliased.Value), (restoredAlias.EntityLogicalName, restoredAlias.AttributeLogicalName, restoredAlias.Value), column);
                        break;
                    default:
                        Assert.AreEqual(value, restored, column);
                        break;
                }
            }
            Assert.AreEqual("Jane Doe", copy.GetAttributeValue<EntityReference>("okos_contactid").Name);
            Assert.AreEqual("Verified", copy.FormattedValues["okos_status"]);
            Assert.AreEqual("S-1", copy.KeyAttributes["okos_sessionid"]);
        }

        [EntityLogicalName("contact")]
        private sealed class Contact : Entity
        {
            public Contact()
                : base("contact")
            {
            }

            public string? LastName => GetAttributeValue<string>("lastname");
        }

        private sealed class Unnamed : Entity
        {
        }

        /// <summary>Entity.ToEntity&lt;T&gt; (learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.entity.toentity): the row as its early-bound class.</summary>
        [TestMethod]
        public void ToEntity_GivesTheEarlyBoundClassOfTheRowsTable()
        {
            var row = new Entity("contact", ContactId) { ["lastname"] = "Doe" };

            var contact = row.ToEntity<Contact>();

            Assert.AreEqual(("Doe", ContactId), (contact.LastName, contact.Id));
            Assert.AreEqual("Doe", row.ToEntity<Entity>()["lastname"]);
        }

        [TestMethod]
        public void ToEntity_RefusesAClassOfAnotherTable_OrOfNone()
        {
            StringAssert.Contains(Assert.ThrowsExactly<NotSupportedException>(() => new Entity("account").ToEntity<Contact>()).Message, "account");
            Assert.ThrowsExactly<NotSupportedException>(() => new Entity("contact").ToEntity<Unnamed>());
            Assert.ThrowsExactly<NotSupportedException>(() => new Entity().ToEntity<Contact>());
        }
    }
}
