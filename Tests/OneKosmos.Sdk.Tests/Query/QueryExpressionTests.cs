using Microsoft.Xrm.Sdk.Query;

namespace OneKosmos.Sdk.Tests.Query
{
    [TestClass]
    public sealed class QueryExpressionTests
    {
        [TestMethod]
        public void ColumnSet_AllColumnsOrNamedColumns()
        {
            Assert.IsTrue(new ColumnSet(true).AllColumns);
            var named = new ColumnSet("okos_status", "okos_iallevel");
            Assert.IsFalse(named.AllColumns);
            CollectionAssert.AreEqual(new[] { "okos_status", "okos_iallevel" }, named.Columns);
        }

        [TestMethod]
        public void AddLink_OnALink_CopiesTheParentsLinkFromEntityName_AsTheOfficialAssemblyDoes()
        {
            var query = new QueryExpression("okos_verification");

            var contact = query.AddLink("contact", "okos_contactid", "contactid");
            var account = contact.AddLink("account", "parentcustomerid", "accountid", JoinOperator.LeftOuter);

            Assert.AreEqual("okos_verification", contact.LinkFromEntityName);
            Assert.AreEqual(JoinOperator.Inner, contact.JoinOperator);
            Assert.AreEqual("okos_verification", account.LinkFromEntityName, "the parent's own LinkFromEntityName, not its target");
            Assert.AreEqual(JoinOperator.LeftOuter, account.JoinOperator);
            Assert.AreSame(account, contact.LinkEntities[0]);
        }

        [TestMethod]
        public void NewQuery_HasEmptyCriteriaColumnsAndPaging()
        {
            var query = new QueryExpression("contact");

            Assert.AreEqual(0, query.Criteria.Conditions.Count);
            Assert.IsFalse(query.ColumnSet.AllColumns);
            Assert.AreEqual(0, query.PageInfo.Count);
            Assert.IsNull(query.TopCount);
        }

        [TestMethod]
        public void AddFilter_ReturnsTheChildItAdded()
        {
            var filter = new FilterExpression(LogicalOperator.And);

            var child = filter.AddFilter(LogicalOperator.Or);

            Assert.AreSame(child, filter.Filters[0]);
            Assert.AreEqual(LogicalOperator.Or, child.FilterOperator);
        }

        [TestMethod]
        public void ConditionValues_FromParamsOrCollection()
        {
            var fromParams = new ConditionExpression("okos_status", ConditionOperator.In, 1, 2, 3);
            var fromCollection = new ConditionExpression("okos_status", ConditionOperator.In, new[] { 4, 5 });
            var single = new ConditionExpression("lastname", ConditionOperator.Equal, "Doe");

            CollectionAssert.AreEqual(new object[] { 1, 2, 3 }, fromParams.Values);
            CollectionAssert.AreEqual(new object[] { 4, 5 }, fromCollection.Values);
            CollectionAssert.AreEqual(new object[] { "Doe" }, single.Values);
        }
    }
}
