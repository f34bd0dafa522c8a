using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Tests.Shared;

namespace OneKosmos.Sandbox.Dataverse.Tests.Query
{
    /// <summary>Lookups as Dataverse returns and orders them: by the primary name of the row they point to, which the metadata names.</summary>
    [TestClass]
    public sealed class LookupTests
    {
        private InMemoryDataverse _dataverse = null!;
        private IOrganizationService _service = null!;

        [TestInitialize]
        public void LoadProductSolution()
        {
            _dataverse = InMemoryDataverse.FromSolution(RepositoryPaths.SolutionSource);
            _service = _dataverse.CreateOrganizationService(null);
        }

        /// <summary>#20: a lookup comes back with the primary name of the row it points to (EntityReference.Name), from a query and from Retrieve.</summary>
        [TestMethod]
        public void ReturnedLookups_CarryTheirRowsPrimaryName()
        {
            var bank = _dataverse.Seed(new Entity("account") { ["name"] = "Contoso Bank" })[0];
            var jane = _dataverse.Seed(new Entity("contact") { ["firstname"] = "Jane", ["lastname"] = "Doe", ["parentcustomerid"] = new EntityReference("account", bank) })[0];
            _dataverse.Seed(new Entity("okos_verification") { ["okos_name"] = "V-1", ["okos_contactid"] = new EntityReference("contact", jane) });

            var fromQuery = _service.RetrieveMultiple(new QueryExpression("okos_verification") { ColumnSet = new ColumnSet("okos_contactid") })
                .Entities.Single().GetAttributeValue<EntityReference>("okos_contactid");
            var fromRetrieve = _service.Retrieve("contact", jane, new ColumnSet("parentcustomerid")).GetAttributeValue<EntityReference>("parentcustomerid");

            Assert.AreEqual("Jane Doe", fromQuery.Name);
            Assert.AreEqual("Contoso Bank", fromRetrieve.Name);
        }

        /// <summary>
        /// #20: ordering on a lookup sorts by the related row's primary name, not its id
        /// (learn.microsoft.com/power-apps/developer/data-platform/fetchxml/order-rows: lookup columns order by the primary name).
        /// </summary>
        [TestMethod]
        public void OrderingOnALookup_SortsByTheRelatedRowsPrimaryName()
        {
            // Ids in the opposite order of the names, so sorting by id gives the other order.
            var zed = _dataverse.Seed(new Entity("account", Guid.Parse("00000000-0000-0000-0000-000000000001")) { ["name"] = "Zed Insurance" })[0];
            var abc = _dataverse.Seed(new Entity("account", Guid.Parse("ffffffff-0000-0000-0000-000000000001")) { ["name"] = "ABC Health" })[0];
            _dataverse.Seed(
                new Entity("contact") { ["lastname"] = "Zed's", ["parentcustomerid"] = new EntityReference("account", zed) },
                new Entity("contact") { ["lastname"] = "ABC's", ["parentcustomerid"] = new EntityReference("account", abc) });
            var query = new QueryExpression("contact") { ColumnSet = new ColumnSet("lastname") };
            query.AddOrder("parentcustomerid", OrderType.Ascending);

            var names = _service.RetrieveMultiple(query).Entities.Select(row => row.GetAttributeValue<string>("lastname")).ToArray();

            CollectionAssert.AreEqual(new[] { "ABC's", "Zed's" }, names);
        }

        /// <summary>#20: ordering on a choice sorts by its label, not its number (the same page: choice columns order by label).</summary>
        [TestMethod]
        public void OrderingOnAChoice_SortsByItsLabel()
        {
            // Pending 715900000, Verified …001, Failed …002, Expired …003: by label Expired, Failed, Pending, Verified.
            foreach (var (name, status) in new[] { ("pending", 715900000), ("verified", 715900001), ("failed", 715900002), ("expired", 715900003) })
            {
                _dataverse.Seed(new Entity("okos_verification") { ["okos_name"] = name, ["okos_status"] = new OptionSetValue(status), ["okos_reservationkey"] = name });
            }
            var query = new QueryExpression("okos_verification") { ColumnSet = new ColumnSet("okos_name") };
            query.AddOrder("okos_status", OrderType.Ascending);

            var names = _service.RetrieveMultiple(query).Entities.Select(row => row.GetAttributeValue<string>("okos_name")).ToArray();

            CollectionAssert.AreEqual(new[] { "expired", "failed", "pending", "verified" }, names);
            Assert.AreEqual("Verified", _dataverse.Metadata!.Table("okos_verification")!.Column("okos_status")!.OptionLabels[715900001]);
        }

        /// <summary>
        /// #20: a link added to a link carries its grandparent's LinkFromEntityName (as LinkEntity.AddLink makes it); Dataverse
        /// joins it to its parent link all the same, and so does the in-memory Dataverse, metadata checks included.
        /// </summary>
        [TestMethod]
        public void ALinkAddedToALink_JoinsToItsParent()
        {
            var bank = _dataverse.Seed(new Entity("account") { ["name"] = "Contoso Bank" })[0];
            var jane = _dataverse.Seed(new Entity("contact") { ["lastname"] = "Doe", ["parentcustomerid"] = new EntityReference("account", bank) })[0];
            _dataverse.Seed(new Entity("okos_verification") { ["okos_name"] = "V-1", ["okos_contactid"] = new EntityReference("contact", jane) });
            var query = new QueryExpression("okos_verification") { ColumnSet = new ColumnSet("okos_name") };
            var contact = query.AddLink("contact", "okos_contactid", "contactid");
            var account = contact.AddLink("account", "parentcustomerid", "accountid");
            account.EntityAlias = "bank";
            account.Columns = new ColumnSet("name");

            var row = _service.RetrieveMultiple(query).Entities.Single();

            Assert.AreEqual("okos_verification", account.LinkFromEntityName);
            Assert.AreEqual("Contoso Bank", row.GetAttributeValue<AliasedValue>("bank.name").Value);
        }

        /// <summary>#20: returned rows carry formatted values: a lookup's name, a choice's label, a linked row's under its alias.</summary>
        [TestMethod]
        public void ReturnedRows_CarryFormattedValuesForLookupsAndChoices()
        {
            var jane = _dataverse.Seed(new Entity("contact") { ["firstname"] = "Jane", ["lastname"] = "Doe" })[0];
            _dataverse.Seed(new Entity("okos_verification") { ["okos_name"] = "V-1", ["okos_contactid"] = new EntityReference("contact", jane), ["okos_status"] = new OptionSetValue(715900001), ["okos_reservationkey"] = "k" });
            var query = new QueryExpression("contact") { ColumnSet = new ColumnSet("lastname") };
            var verification = query.AddLink("okos_verification", "contactid", "okos_contactid");
            verification.EntityAlias = "v";
            verification.Columns = new ColumnSet("okos_status");

            var row = _service.RetrieveMultiple(query).Entities.Single();
            var own = _service.Retrieve("okos_verification", _dataverse.Rows("okos_verification").Single().Id, new ColumnSet(true));

            Assert.AreEqual("Verified", row.FormattedValues["v.okos_status"]);
            Assert.AreEqual("Verified", own.FormattedValues["okos_status"]);
            Assert.AreEqual("Jane Doe", own.FormattedValues["okos_contactid"]);
        }

        /// <summary>#20: QueryByAttribute runs as "every attribute equals its value", with its columns, orders and top count.</summary>
        [TestMethod]
        public void QueryByAttribute_FindsRowsWhoseColumnsEqualTheValues()
        {
            _dataverse.Seed(
                new Entity("contact") { ["firstname"] = "Jane", ["lastname"] = "Doe" },
                new Entity("contact") { ["firstname"] = "John", ["lastname"] = "Doe" },
                new Entity("contact") { ["firstname"] = "Jane", ["lastname"] = "Roe" });
            var query = new QueryByAttribute("contact") { ColumnSet = new ColumnSet("firstname") };
            query.AddAttributeValue("lastname", "Doe");
            query.AddOrder("firstname", OrderType.Descending);

            var names = _service.RetrieveMultiple(query).Entities.Select(row => row.GetAttributeValue<string>("firstname")).ToArray();

            CollectionAssert.AreEqual(new[] { "John", "Jane" }, names);
        }

        [TestMethod]
        public void ThePrimaryName_ComesFromTheExportsDisplayMask_AndFromMicrosoftsTableReference()
        {
            Assert.AreEqual("okos_name", _dataverse.Metadata!.Table("okos_verification")!.PrimaryNameAttribute);
            Assert.AreEqual("fullname", _dataverse.Metadata.Table("contact")!.PrimaryNameAttribute);
            Assert.AreEqual("name", _dataverse.Metadata.Table("account")!.PrimaryNameAttribute);
        }
    }
}
