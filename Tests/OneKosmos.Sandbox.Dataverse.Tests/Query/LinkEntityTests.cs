using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace OneKosmos.Sandbox.Dataverse.Tests.Query
{
    [TestClass]
    public sealed class LinkEntityTests
    {
        private InMemoryDataverse _dataverse = null!;
        private IOrganizationService _service = null!;
        private Guid _jane;
        private Guid _john;

        [TestInitialize]
        public void Seed()
        {
            _dataverse = TestDataverse.Create();
            _service = _dataverse.CreateOrganizationService(null);
            var account = _dataverse.Seed(new Entity("account") { ["name"] = "Contoso Bank" })[0];
            _jane = _dataverse.Seed(new Entity("contact") { ["lastname"] = "Doe", ["parentcustomerid"] = new EntityReference("account", account) })[0];
            _john = _dataverse.Seed(new Entity("contact") { ["lastname"] = "Smith" })[0];
            _dataverse.Seed(
                Verification(_jane, "S-1", 2),
                Verification(_jane, "S-2", 3),
                Verification(_john, "S-3", 2));
        }

        private static Entity Verification(Guid contact, string session, int status) =>
            new("okos_verification")
            {
                ["okos_contactid"] = new EntityReference("contact", contact),
                ["okos_sessionid"] = session,
                ["okos_status"] = new OptionSetValue(status),
            };

        [TestMethod]
        public void InnerJoin_ReturnsOneRowPerMatchWithAliasedColumns()
        {
            var query = new QueryExpression("okos_verification") { ColumnSet = new ColumnSet("okos_sessionid") };
            var contact = query.AddLink("contact", "okos_contactid", "contactid");
            contact.EntityAlias = "person";
            contact.Columns = new ColumnSet("lastname");
            query.AddOrder("okos_sessionid", OrderType.Ascending);

            var rows = _service.RetrieveMultiple(query).Entities;

            Assert.AreEqual(3, rows.Count);
            var aliased = rows[0].GetAttributeValue<AliasedValue>("person.lastname");
            Assert.AreEqual("Doe", aliased.Value);
            Assert.AreEqual("contact", aliased.EntityLogicalName);
            Assert.AreEqual("lastname", aliased.AttributeLogicalName);
        }

        /// <summary>#20: a linked table returns the columns its ColumnSet asks for and no others, its primary key included (LinkEntity.Columns).</summary>
        [TestMethod]
        public void ALinkedTable_GivesOnlyTheColumnsAskedFor_NotItsPrimaryKey()
        {
            var query = new QueryExpression("okos_verification") { ColumnSet = new ColumnSet("okos_sessionid") };
            var contact = query.AddLink("contact", "okos_contactid", "contactid");
            contact.EntityAlias = "person";
            contact.Columns = new ColumnSet("lastname");

            var row = _service.RetrieveMultiple(query).Entities.First();

            CollectionAssert.AreEquivalent(new[] { "okos_verificationid", "okos_sessionid", "person.lastname" }, row.Attributes.Keys.ToArray());
        }

        /// <summary>#20: with Distinct, rows that differ only in a linked row's key they did not ask for (two contacts named Doe) are one row.</summary>
        [TestMethod]
        public void Distinct_OverLinkedColumns_IsNotDefeatedByAnUnaskedKey()
        {
            var query = new QueryExpression("okos_verification") { ColumnSet = new ColumnSet(false), Distinct = true };
            var contact = query.AddLink("contact", "okos_contactid", "contactid");
            contact.EntityAlias = "person";
            contact.Columns = new ColumnSet("lastname");
            var anotherDoe = _dataverse.Seed(new Entity("contact") { ["lastname"] = "Doe" })[0];
            _dataverse.Seed(Verification(anotherDoe, "S-4", 2));

            var names = _service.RetrieveMultiple(query).Entities.Select(row => (string)row.GetAttributeValue<AliasedValue>("person.lastname").Value).OrderBy(name => name).ToArray();

            CollectionAssert.AreEqual(new[] { "Doe", "Smith" }, names);
        }

        private string[] ContactsLinkedBy(JoinOperator joinOperator, int status)
        {
            var query = new QueryExpression("contact") { ColumnSet = new ColumnSet("lastname") };
            var verification = query.AddLink("okos_verification", "contactid", "okos_contactid", joinOperator);
            verification.Columns = new ColumnSet("okos_sessionid");
            verification.LinkCriteria.AddCondition("okos_status", ConditionOperator.Equal, status);
            query.AddOrder("lastname", OrderType.Ascending);
            var rows = _service.RetrieveMultiple(query).Entities;
            Assert.IsFalse(rows.Any(row => row.Attributes.Keys.Any(key => key.Contains('.'))), $"{joinOperator} returns no linked columns");
            return rows.Select(row => row.GetAttributeValue<string>("lastname")).ToArray();
        }

        /// <summary>
        /// #20: the filtering link types as "Filter rows" and "Join tables" (learn.microsoft.com/power-apps/developer/data-platform/fetchxml)
        /// give them: each parent row once, without the link's columns; All is "has linked rows, none meeting the criteria".
        /// </summary>
        [TestMethod]
        [DataRow(JoinOperator.Exists, "Doe")]
        [DataRow(JoinOperator.In, "Doe")]
        [DataRow(JoinOperator.Any, "Doe")]
        [DataRow(JoinOperator.NotAll, "Doe")]
        [DataRow(JoinOperator.NotAny, "Smith")]
        [DataRow(JoinOperator.All, "Smith")]
        public void FilteringLinkTypes_KeepEachParentOnce(JoinOperator joinOperator, string expected)
        {
            CollectionAssert.AreEqual(new[] { expected }, ContactsLinkedBy(joinOperator, 3));
        }

        [TestMethod]
        public void Exists_OverSeveralMatches_KeepsTheParentOnce() =>
            CollectionAssert.AreEqual(new[] { "Doe", "Smith" }, ContactsLinkedBy(JoinOperator.Exists, 2));

        [TestMethod]
        public void MatchFirstRowUsingCrossApply_JoinsOnlyTheFirstMatch()
        {
            var query = new QueryExpression("contact") { ColumnSet = new ColumnSet("lastname") };
            var verification = query.AddLink("okos_verification", "contactid", "okos_contactid", JoinOperator.MatchFirstRowUsingCrossApply);
            verification.EntityAlias = "v";
            verification.Columns = new ColumnSet("okos_sessionid");

            var rows = _service.RetrieveMultiple(query).Entities;

            Assert.AreEqual(2, rows.Count, "Doe has two verifications, one row");
            Assert.IsTrue(rows.All(row => row.Contains("v.okos_sessionid")));
        }

        [TestMethod]
        public void InnerJoin_LinkCriteriaFilterTheMainRows()
        {
            var query = new QueryExpression("contact") { ColumnSet = new ColumnSet("lastname"), Distinct = true };
            var verification = query.AddLink("okos_verification", "contactid", "okos_contactid");
            verification.LinkCriteria.AddCondition("okos_status", ConditionOperator.Equal, 3);

            var rows = _service.RetrieveMultiple(query).Entities;

            Assert.AreEqual(_jane, rows.Single().Id);
        }

        [TestMethod]
        public void LeftOuterJoin_KeepsRowsWithoutAMatch()
        {
            var query = new QueryExpression("contact") { ColumnSet = new ColumnSet("lastname") };
            var account = query.AddLink("account", "parentcustomerid", "accountid", JoinOperator.LeftOuter);
            account.EntityAlias = "employer";
            account.Columns = new ColumnSet("name");
            query.AddOrder("lastname", OrderType.Ascending);

            var rows = _service.RetrieveMultiple(query).Entities;

            Assert.AreEqual(2, rows.Count);
            Assert.AreEqual("Contoso Bank", rows[0].GetAttributeValue<AliasedValue>("employer.name").Value);
            Assert.IsFalse(rows[1].Contains("employer.name"));
        }

        [TestMethod]
        public void LeftOuterJoin_ConditionOnAliasNull_FindsRowsWithoutAMatch()
        {
            var query = new QueryExpression("contact") { ColumnSet = new ColumnSet("lastname") };
            var verification = query.AddLink("okos_verification", "contactid", "okos_contactid", JoinOperator.LeftOuter);
            verification.EntityAlias = "v";
            verification.LinkCriteria.AddCondition("okos_status", ConditionOperator.Equal, 3);
            query.Criteria.AddCondition("v", "okos_verificationid", ConditionOperator.Null);

            var rows = _service.RetrieveMultiple(query).Entities;

            Assert.AreEqual(_john, rows.Single().Id);
        }

        [TestMethod]
        public void LinkWithoutAlias_IsNamedAfterItsTableAndPosition()
        {
            var query = new QueryExpression("okos_verification") { ColumnSet = new ColumnSet("okos_sessionid") };
            query.AddLink("contact", "okos_contactid", "contactid").Columns = new ColumnSet("lastname");
            query.Criteria.AddCondition("okos_sessionid", ConditionOperator.Equal, "S-3");

            var row = _service.RetrieveMultiple(query).Entities.Single();

            Assert.AreEqual("Smith", row.GetAttributeValue<AliasedValue>("contact1.lastname").Value);
        }

        [TestMethod]
        public void NestedLink_JoinsFromTheLinkedRow()
        {
            var query = new QueryExpression("okos_verification") { ColumnSet = new ColumnSet("okos_sessionid") };
            var contact = query.AddLink("contact", "okos_contactid", "contactid");
            var account = contact.AddLink("account", "parentcustomerid", "accountid");
            account.EntityAlias = "employer";
            account.Columns = new ColumnSet("name");
            query.AddOrder("okos_sessionid", OrderType.Descending);

            var rows = _service.RetrieveMultiple(query).Entities;

            CollectionAssert.AreEqual(new[] { "S-2", "S-1" }, rows.Select(row => row.GetAttributeValue<string>("okos_sessionid")).ToArray());
            Assert.AreEqual("Contoso Bank", rows[0].GetAttributeValue<AliasedValue>("employer.name").Value);
        }

        [TestMethod]
        public void OrderByLinkedColumn_SortsByTheAliasedValue()
        {
            var query = new QueryExpression("okos_verification") { ColumnSet = new ColumnSet("okos_sessionid") };
            var contact = query.AddLink("contact", "okos_contactid", "contactid");
            contact.EntityAlias = "person";
            query.Orders.Add(new OrderExpression("lastname", OrderType.Descending, null, "person"));
            query.AddOrder("okos_sessionid", OrderType.Ascending);

            var sessions = _service.RetrieveMultiple(query).Entities.Select(row => row.GetAttributeValue<string>("okos_sessionid")).ToArray();

            CollectionAssert.AreEqual(new[] { "S-3", "S-1", "S-2" }, sessions);
        }

        [TestMethod]
        public void UnsupportedJoinOperator_ThrowsNotSupportedNamingIt()
        {
            var query = new QueryExpression("contact");
            query.AddLink("okos_verification", "contactid", "okos_contactid", JoinOperator.Natural);

            var exception = Assert.ThrowsExactly<NotSupportedException>(() => _service.RetrieveMultiple(query));

            StringAssert.Contains(exception.Message, "Natural");
        }

        [TestMethod]
        public void SameAliasTwice_FaultsWithInvalidArgument()
        {
            var query = new QueryExpression("okos_verification");
            query.AddLink("contact", "okos_contactid", "contactid").EntityAlias = "x";
            query.AddLink("account", "okos_accountid", "accountid").EntityAlias = "x";

            AssertFault.Throws(DataverseErrorCodes.InvalidArgument, () => _service.RetrieveMultiple(query));
        }
    }
}
