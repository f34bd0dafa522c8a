using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace OneKosmos.Sandbox.Dataverse.Tests.Query
{
    /// <summary>
    /// #20: FetchXML aggregates and aliases, against the worked example of "Aggregate data using FetchXml"
    /// (learn.microsoft.com/power-apps/developer/data-platform/fetchxml/aggregate-data): ten accounts, one without a head
    /// count or a city, three in Redmond, two with 2,900 employees.
    /// </summary>
    [TestClass]
    public sealed class FetchXmlAggregateTests
    {
        private InMemoryDataverse _dataverse = null!;
        private IOrganizationService _service = null!;

        [TestInitialize]
        public void SeedTheDocumentedAccounts()
        {
            _dataverse = TestDataverse.Create();
            _service = _dataverse.CreateOrganizationService(null);
            var march = new DateTime(2023, 3, 25, 12, 0, 0, DateTimeKind.Utc);
            _dataverse.Seed(
                Account("Example Account", null, null, new DateTime(2023, 8, 27, 12, 0, 0, DateTimeKind.Utc)),
                Account("Contoso Pharmaceuticals (sample)", 1500, "Redmond", march),
                Account("Fabrikam, Inc. (sample)", 2700, "Lynnwood", march),
                Account("Blue Yonder Airlines (sample)", 2900, "Los Angeles", march),
                Account("City Power & Light (sample)", 2900, "Redmond", march),
                Account("Coho Winery (sample)", 3900, "Phoenix", march),
                Account("Adventure Works (sample)", 4300, "Santa Cruz", march),
                Account("Alpine Ski House (sample)", 4800, "Missoula", march),
                Account("Litware, Inc. (sample)", 6000, "Dallas", march),
                Account("A. Datum Corporation (sample)", 6200, "Redmond", march));
        }

        private static Entity Account(string name, int? employees, string? city, DateTime opened)
        {
            var account = new Entity("account") { ["name"] = name, ["okos_openedon"] = opened, ["okos_revenue"] = new Money(employees ?? 0) };
            if (employees.HasValue)
            {
                account["numberofemployees"] = employees.Value;
            }
            if (city is not null)
            {
                account["address1_city"] = city;
            }
            return account;
        }

        private EntityCollection Fetch(string fetchXml) => _service.RetrieveMultiple(new FetchExpression(FetchXmlSchema.Valid(fetchXml)));

        private static object? Value(Entity row, string alias) => row.Contains(alias) ? ((AliasedValue)row[alias]).Value : null;

        [TestMethod]
        public void EveryFunction_GivesTheDocumentedFigures()
        {
            var row = Fetch("""
                <fetch aggregate="true">
                  <entity name="account">
                    <attribute name="numberofemployees" alias="Average" aggregate="avg" />
                    <attribute name="numberofemployees" alias="Count" aggregate="count" />
                    <attribute name="numberofemployees" alias="ColumnCount" aggregate="countcolumn" />
                    <attribute name="numberofemployees" alias="Maximum" aggregate="max" />
                    <attribute name="numberofemployees" alias="Minimum" aggregate="min" />
                    <attribute name="numberofemployees" alias="Sum" aggregate="sum" />
                  </entity>
                </fetch>
                """).Entities.Single();

            Assert.AreEqual((3911, 10, 9, 6200, 1500, 35200), ((int)Value(row, "Average")!, (int)Value(row, "Count")!, (int)Value(row, "ColumnCount")!, (int)Value(row, "Maximum")!, (int)Value(row, "Minimum")!, (int)Value(row, "Sum")!));
            Assert.AreEqual("numberofemployees", ((AliasedValue)row["Sum"]).AttributeLogicalName);
        }

        [TestMethod]
        public void CountColumnDistinct_CountsEachValueOnce()
        {
            var row = Fetch("""
                <fetch aggregate="true">
                  <entity name="account">
                    <attribute name="numberofemployees" alias="ColumnCount" aggregate="countcolumn" distinct="true" />
                  </entity>
                </fetch>
                """).Entities.Single();

            Assert.AreEqual(8, Value(row, "ColumnCount"));
        }

        [TestMethod]
        public void GroupBy_GivesOneRowPerValue_TheEmptyOneFirst_InTheOrderOfItsAlias()
        {
            var rows = Fetch("""
                <fetch aggregate="true">
                  <entity name="account">
                    <attribute name="numberofemployees" alias="Total" aggregate="sum" />
                    <attribute name="address1_city" alias="Count" aggregate="count" />
                    <attribute name="address1_city" alias="City" groupby="true" />
                    <order alias="City" />
                  </entity>
                </fetch>
                """).Entities;

            CollectionAssert.AreEqual(
                new[] { "(none):0:1", "Dallas:6000:1", "Los Angeles:2900:1", "Lynnwood:2700:1", "Missoula:4800:1", "Phoenix:3900:1", "Redmond:10600:3", "Santa Cruz:4300:1" },
                rows.Select(row => $"{Value(row, "City") ?? "(none)"}:{Value(row, "Total")}:{Value(row, "Count")}").ToArray());
        }

        [TestMethod]
        public void DescendingOrder_OnAnAggregateAlias()
        {
            var rows = Fetch("""
                <fetch aggregate="true">
                  <entity name="account">
                    <attribute name="numberofemployees" alias="Total" aggregate="sum" />
                    <attribute name="address1_city" alias="City" groupby="true" />
                    <order alias="Total" descending="true" />
                  </entity>
                </fetch>
                """).Entities;

            Assert.AreEqual("Redmond", Value(rows[0], "City"));
            Assert.AreEqual(0, Value(rows[^1], "Total"), "a group whose values are all empty sums to 0, as the page's NULL city row shows");
        }

        [TestMethod]
        public void DateGrouping_ByYearQuarterMonthWeekAndDay()
        {
            var rows = Fetch("""
                <fetch aggregate="true">
                  <entity name="account">
                    <attribute name="numberofemployees" alias="Total" aggregate="sum" />
                    <attribute name="okos_openedon" alias="Day" groupby="true" dategrouping="day" />
                    <attribute name="okos_openedon" alias="Week" groupby="true" dategrouping="week" />
                    <attribute name="okos_openedon" alias="Month" groupby="true" dategrouping="month" />
                    <attribute name="okos_openedon" alias="Quarter" groupby="true" dategrouping="quarter" />
                    <attribute name="okos_openedon" alias="Year" groupby="true" dategrouping="year" />
                    <order alias="Month" />
                  </entity>
                </fetch>
                """).Entities;

            CollectionAssert.AreEqual(
                new[] { "35200: 25/12/3/1/2023", "0: 27/35/8/3/2023" },
                rows.Select(row => $"{Value(row, "Total")}: {Value(row, "Day")}/{Value(row, "Week")}/{Value(row, "Month")}/{Value(row, "Quarter")}/{Value(row, "Year")}").ToArray());
        }

        [TestMethod]
        public void SumAndAverageOfMoney_AreMoney()
        {
            var row = Fetch("""
                <fetch aggregate="true">
                  <entity name="account">
                    <attribute name="okos_revenue" alias="Total" aggregate="sum" />
                    <attribute name="okos_revenue" alias="Mean" aggregate="avg" />
                    <filter><condition attribute="address1_city" operator="eq" value="Redmond" /></filter>
                  </entity>
                </fetch>
                """).Entities.Single();

            Assert.AreEqual(new Money(10600m), Value(row, "Total"));
            Assert.AreEqual(new Money(10600m / 3), Value(row, "Mean"));
        }

        [TestMethod]
        public void AnAggregateOverNoRows_IsOneRowCountingNothing()
        {
            var row = Fetch("""
                <fetch aggregate="true">
                  <entity name="account">
                    <attribute name="accountid" alias="Count" aggregate="count" />
                    <attribute name="numberofemployees" alias="Maximum" aggregate="max" />
                    <filter><condition attribute="address1_city" operator="eq" value="Atlantis" /></filter>
                  </entity>
                </fetch>
                """).Entities.Single();

            Assert.AreEqual(0, Value(row, "Count"));
            Assert.IsFalse(row.Contains("Maximum"), "no value, no column");
        }

        [TestMethod]
        public void ALinkedTablesColumn_CanBeGroupedAndCounted()
        {
            var redmond = _dataverse.Rows("account").Where(account => account.GetAttributeValue<string>("address1_city") == "Redmond").ToList();
            _dataverse.Seed(
                new Entity("contact") { ["lastname"] = "Doe", ["parentcustomerid"] = redmond[0].ToEntityReference() },
                new Entity("contact") { ["lastname"] = "Roe", ["parentcustomerid"] = redmond[1].ToEntityReference() },
                new Entity("contact") { ["lastname"] = "Poe" });

            var rows = Fetch("""
                <fetch aggregate="true">
                  <entity name="contact">
                    <attribute name="contactid" alias="People" aggregate="count" />
                    <link-entity name="account" from="accountid" to="parentcustomerid" link-type="outer" alias="employer">
                      <attribute name="address1_city" alias="City" groupby="true" />
                    </link-entity>
                    <order alias="City" />
                  </entity>
                </fetch>
                """).Entities;

            CollectionAssert.AreEqual(new[] { "(none):1", "Redmond:2" }, rows.Select(row => $"{Value(row, "City") ?? "(none)"}:{Value(row, "People")}").ToArray());
        }

        [TestMethod]
        public void AnAggregateTakingInMoreRowsThanItsLimit_FaultsWithAggregateQueryRecordLimit()
        {
            var fault = AssertFault.Throws(DataverseErrorCodes.AggregateQueryRecordLimit, () => _service.RetrieveMultiple(new FetchExpression("""
                <fetch aggregate="true" aggregatelimit="5">
                  <entity name="account"><attribute name="accountid" alias="Count" aggregate="count" /></entity>
                </fetch>
                """)));

            StringAssert.Contains(fault.Message, "AggregateQueryRecordLimit exceeded");
        }

        [TestMethod]
        [DataRow("<fetch aggregate='true'><entity name='account'><attribute name='numberofemployees' aggregate='sum' /></entity></fetch>", "needs an alias")]
        [DataRow("<fetch aggregate='true'><entity name='account'><attribute name='name' alias='n' /></entity></fetch>", "has aggregate or groupby")]
        [DataRow("<fetch><entity name='account'><attribute name='numberofemployees' alias='s' aggregate='sum' /></entity></fetch>", "aggregate=\"true\" on <fetch>")]
        [DataRow("<fetch aggregate='true'><entity name='account'><attribute name='name' alias='c' aggregate='count' /><order attribute='name' /></entity></fetch>", "orders by the alias")]
        [DataRow("<fetch aggregate='true'><entity name='account'><attribute name='name' alias='c' aggregate='median' /></entity></fetch>", "'median' is not a FetchXML aggregate")]
        [DataRow("<fetch aggregate='true'><entity name='account'><attribute name='name' alias='c' aggregate='count' /><order alias='d' /></entity></fetch>", "no group or aggregate")]
        [DataRow("<fetch aggregate='true'><entity name='account'><all-attributes /></entity></fetch>", "<all-attributes>")]
        public void AMalformedAggregate_IsRefusedSayingWhy(string fetchXml, string expected)
        {
            StringAssert.Contains(AssertFault.Throws(DataverseErrorCodes.InvalidArgument, () => _service.RetrieveMultiple(new FetchExpression(fetchXml))).Message, expected);
        }

        [TestMethod]
        public void AnAliasedAttribute_ComesBackUnderItsAlias_FromTheTableAndFromALink()
        {
            var redmond = _dataverse.Rows("account").First(account => account.GetAttributeValue<string>("address1_city") == "Redmond");
            _dataverse.Seed(new Entity("contact") { ["lastname"] = "Doe", ["parentcustomerid"] = redmond.ToEntityReference() });

            var row = Fetch("""
                <fetch>
                  <entity name="contact">
                    <attribute name="lastname" alias="surname" />
                    <link-entity name="account" from="accountid" to="parentcustomerid">
                      <attribute name="address1_city" alias="town" />
                    </link-entity>
                  </entity>
                </fetch>
                """).Entities.Single();

            Assert.AreEqual(("Doe", "Redmond"), ((string)Value(row, "surname")!, (string)Value(row, "town")!));
            Assert.AreEqual("account", ((AliasedValue)row["town"]).EntityLogicalName);
            Assert.IsFalse(row.Contains("lastname"), "the column is returned under its alias only");
            Assert.IsTrue(row.Contains("contactid"), "the primary key still comes back");
        }
    }
}
