using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using System.Xml.Schema;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Tests.Shared;

namespace OneKosmos.Sandbox.Dataverse.Tests.Query
{
    /// <summary>
    /// #20: FetchXML runs through the same engine as QueryExpression. Every query here is first checked against Microsoft's
    /// FetchXML schema (shared/schemas/Fetch.xsd), so the tests speak real FetchXML.
    /// </summary>
    [TestClass]
    public sealed class FetchXmlTests
    {
        private InMemoryDataverse _dataverse = null!;
        private IOrganizationService _service = null!;
        private Guid _jane;

        [TestInitialize]
        public void Seed()
        {
            _dataverse = InMemoryDataverse.FromSolution(RepositoryPaths.SolutionSource);
            _service = _dataverse.CreateOrganizationService(null);
            var bank = _dataverse.Seed(new Entity("account") { ["name"] = "Contoso Bank" })[0];
            _jane = _dataverse.Seed(new Entity("contact") { ["firstname"] = "Jane", ["lastname"] = "Doe", ["parentcustomerid"] = new EntityReference("account", bank) })[0];
            var john = _dataverse.Seed(new Entity("contact") { ["firstname"] = "John", ["lastname"] = "Smith" })[0];
            _dataverse.Seed(new Entity("contact") { ["firstname"] = "Ada", ["lastname"] = "Ada" });
            _dataverse.Seed(
                Verification("V-1", _jane, 715900001),
                Verification("V-2", _jane, 715900002),
                Verification("V-3", john, 715900000));
        }

        private static Entity Verification(string name, Guid contact, int status) => new("okos_verification")
        {
            ["okos_name"] = name,
            ["okos_contactid"] = new EntityReference("contact", contact),
            ["okos_status"] = new OptionSetValue(status),
            ["okos_reservationkey"] = name,
        };

        /// <remarks>
        /// <paramref name="newerThanTheSchema"/>: the query uses what Microsoft added after the schema we hold was published
        /// (valueof, column comparison); the FetchXML reference documents it, and the reference wins (shared/schemas/README.md).
        /// </remarks>
        private EntityCollection Fetch(string fetchXml, bool newerThanTheSchema = false)
        {
            return _service.RetrieveMultiple(new FetchExpression(newerThanTheSchema ? fetchXml : FetchXmlSchema.Valid(fetchXml)));
        }

        private static string[] Texts(EntityCollection rows, string column) => rows.Entities.Select(row => row.GetAttributeValue<string>(column)).ToArray();

        [TestMethod]
        public void AttributesFilterOrderAndTop_RunAsTheirQueryExpression()
        {
            var rows = Fetch("""
                <fetch top="2">
                  <entity name="contact">
                    <attribute name="lastname" />
                    <filter type="or">
                      <condition attribute="lastname" operator="eq" value="Doe" />
                      <condition attribute="lastname" operator="begins-with" value="Sm" />
                    </filter>
                    <order attribute="lastname" descending="true" />
                  </entity>
                </fetch>
                """);

            CollectionAssert.AreEqual(new[] { "Smith", "Doe" }, Texts(rows, "lastname"));
            CollectionAssert.AreEquivalent(new[] { "contactid", "lastname" }, rows.Entities[0].Attributes.Keys.ToArray());
        }

        [TestMethod]
        public void AConditionsTextValue_TakesItsColumnsType()
        {
            var rows = Fetch("""
                <fetch>
                  <entity name="okos_verification">
                    <attribute name="okos_name" />
                    <filter>
                      <condition attribute="okos_status" operator="in">
                        <value>715900001</value>
                        <value>715900000</value>
                      </condition>
                      <condition attribute="okos_contactid" operator="not-null" />
                    </filter>
                    <order attribute="okos_name" />
                  </entity>
                </fetch>
                """);

            CollectionAssert.AreEqual(new[] { "V-1", "V-3" }, Texts(rows, "okos_name"));
        }

        /// <summary>In FetchXML a link's "from" is the linked table's column and "to" the parent's.</summary>
        [TestMethod]
        public void ALinkEntity_JoinsWithItsAliasFilterAndColumns()
        {
            var rows = Fetch($"""
                <fetch>
                  <entity name="okos_verification">
                    <attribute name="okos_name" />
                    <link-entity name="contact" from="contactid" to="okos_contactid" alias="person" link-type="inner">
                      <attribute name="lastname" />
                      <filter>
                        <condition attribute="contactid" operator="eq" value="{_jane}" />
                      </filter>
                    </link-entity>
                    <order attribute="okos_name" />
                  </entity>
                </fetch>
                """);

            CollectionAssert.AreEqual(new[] { "V-1", "V-2" }, Texts(rows, "okos_name"));
            Assert.AreEqual("Doe", rows.Entities[0].GetAttributeValue<AliasedValue>("person.lastname").Value);
        }

        [TestMethod]
        public void CountAndPage_PageTheResults()
        {
            var rows = Fetch("""
                <fetch count="1" page="2">
                  <entity name="okos_verification">
                    <attribute name="okos_name" />
                    <order attribute="okos_name" />
                  </entity>
                </fetch>
                """);

            CollectionAssert.AreEqual(new[] { "V-2" }, Texts(rows, "okos_name"));
            Assert.IsTrue(rows.MoreRecords);
        }

        [TestMethod]
        public void NotAny_AndValueof_AreRead()
        {
            var withoutVerification = Fetch("""
                <fetch>
                  <entity name="contact">
                    <attribute name="lastname" />
                    <link-entity name="okos_verification" from="okos_contactid" to="contactid" link-type="not any" />
                  </entity>
                </fetch>
                """);
            var sameNames = Fetch("""
                <fetch>
                  <entity name="contact">
                    <attribute name="lastname" />
                    <filter>
                      <condition attribute="firstname" operator="eq" valueof="lastname" />
                    </filter>
                  </entity>
                </fetch>
                """, newerThanTheSchema: true);

            CollectionAssert.AreEqual(new[] { "Ada" }, Texts(withoutVerification, "lastname"));
            CollectionAssert.AreEqual(new[] { "Ada" }, Texts(sameNames, "lastname"));
        }

        [TestMethod]
        public void FiscalDateGrouping_IsRefusedByName_AndNonsenseWithTheReason()
        {
            StringAssert.Contains(Assert.ThrowsExactly<NotSupportedException>(() => _service.RetrieveMultiple(new FetchExpression(
                "<fetch aggregate='true'><entity name='contact'><attribute name='createdon' alias='p' groupby='true' dategrouping='fiscal-period' /></entity></fetch>"))).Message, "fiscal-period");
            StringAssert.Contains(AssertFault.Throws(DataverseErrorCodes.InvalidArgument, () => _service.RetrieveMultiple(new FetchExpression(
                "<fetch><entity name='contact'><filter><condition attribute='lastname' operator='equals' value='x' /></filter></entity></fetch>"))).Message, "'equals'");
            AssertFault.Throws(DataverseErrorCodes.InvalidArgument, () => _service.RetrieveMultiple(new FetchExpression("<fetch><entity name='contact'>")));
        }
    }
}
