using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace OneKosmos.Sandbox.Dataverse.Tests.Query
{
    [TestClass]
    public sealed class PagingTests
    {
        private static (InMemoryDataverse Dataverse, IOrganizationService Service) WithContacts(int count)
        {
            var dataverse = TestDataverse.Create();
            dataverse.Seed(Enumerable.Range(1, count).Select(i => new Entity("contact") { ["okos_number"] = i }).ToArray());
            return (dataverse, dataverse.CreateOrganizationService(null));
        }

        private static QueryExpression Numbers() =>
            new("contact") { ColumnSet = new ColumnSet("okos_number"), Orders = { new OrderExpression("okos_number", OrderType.Ascending) } };

        private static int[] NumbersOf(EntityCollection rows) => rows.Entities.Select(row => row.GetAttributeValue<int>("okos_number")).ToArray();

        [TestMethod]
        public void PageInfo_ReturnsTheRequestedPageAndSaysWhetherMoreFollow()
        {
            var (_, service) = WithContacts(5);
            var query = Numbers();
            query.PageInfo = new PagingInfo { Count = 2, PageNumber = 2, ReturnTotalRecordCount = true };

            var page = service.RetrieveMultiple(query);

            CollectionAssert.AreEqual(new[] { 3, 4 }, NumbersOf(page));
            Assert.IsTrue(page.MoreRecords);
            Assert.IsNotNull(page.PagingCookie);
            Assert.AreEqual(5, page.TotalRecordCount);
        }

        [TestMethod]
        public void PageInfo_LastPage_HasNoMoreRecords()
        {
            var (_, service) = WithContacts(5);
            var query = Numbers();
            query.PageInfo = new PagingInfo { Count = 2, PageNumber = 3 };

            var page = service.RetrieveMultiple(query);

            CollectionAssert.AreEqual(new[] { 5 }, NumbersOf(page));
            Assert.IsFalse(page.MoreRecords);
            Assert.AreEqual(-1, page.TotalRecordCount);
        }

        /// <summary>
        /// #20: "Page large result sets with QueryExpression" (learn.microsoft.com/power-apps/developer/data-platform/org-service/page-large-result-sets-with-queryexpression):
        /// without a Count the page size is 5,000 and PageNumber still moves through the pages, so the standard loop ends.
        /// </summary>
        [TestMethod]
        public void PageNumberWithoutACount_MovesThroughPagesOf5000_SoAPagingLoopEnds()
        {
            var (_, service) = WithContacts(5003);
            var query = Numbers();
            query.PageInfo = new PagingInfo { PageNumber = 1 };
            var seen = 0;
            var pages = 0;

            while (true)
            {
                var page = service.RetrieveMultiple(query);
                seen += page.Entities.Count;
                pages++;
                Assert.IsTrue(pages <= 2, "the loop must end");
                if (!page.MoreRecords)
                {
                    CollectionAssert.AreEqual(new[] { 5001, 5002, 5003 }, NumbersOf(page));
                    break;
                }
                query.PageInfo.PageNumber++;
                query.PageInfo.PagingCookie = page.PagingCookie;
            }

            Assert.AreEqual(5003, seen);
        }

        /// <summary>
        /// "Page results using QueryExpression" / "… FetchXml": hand the page's cookie back with the next page number and the
        /// next page continues after the rows already read, even when a row was added before them since.
        /// </summary>
        [TestMethod]
        public void ThePagingCookie_ContinuesAfterTheLastRowRead_WhereThePageNumberAloneWouldRepeatOne()
        {
            var (dataverse, service) = WithContacts(6);
            var query = Numbers();
            query.PageInfo = new PagingInfo { Count = 3, PageNumber = 1 };
            var first = service.RetrieveMultiple(query);
            dataverse.Seed(new Entity("contact") { ["okos_number"] = 0 });

            query.PageInfo.PageNumber = 2;
            var byNumberAlone = NumbersOf(service.RetrieveMultiple(query));
            query.PageInfo.PagingCookie = first.PagingCookie;
            var byCookie = NumbersOf(service.RetrieveMultiple(query));

            CollectionAssert.AreEqual(new[] { 3, 4, 5 }, byNumberAlone);
            CollectionAssert.AreEqual(new[] { 4, 5, 6 }, byCookie);
            StringAssert.StartsWith(first.PagingCookie, "<cookie page=\"1\"><contactid last=\"{");
        }

        [TestMethod]
        public void APagingCookieThatIsNotXml_IsRefused()
        {
            var (_, service) = WithContacts(3);
            var query = Numbers();
            query.PageInfo = new PagingInfo { Count = 1, PageNumber = 2, PagingCookie = "page two please" };

            AssertFault.Throws(DataverseErrorCodes.InvalidArgument, () => service.RetrieveMultiple(query));
        }

        [TestMethod]
        public void NoPaging_ReturnsAtMost5000RowsAndSetsMoreRecords()
        {
            var (_, service) = WithContacts(5001);

            var rows = service.RetrieveMultiple(Numbers());

            Assert.AreEqual(5000, rows.Entities.Count);
            Assert.IsTrue(rows.MoreRecords);
        }

        [TestMethod]
        public void TopCount_LimitsTheRows()
        {
            var (_, service) = WithContacts(5);
            var query = Numbers();
            query.TopCount = 3;
            query.Orders[0].OrderType = OrderType.Descending;

            CollectionAssert.AreEqual(new[] { 5, 4, 3 }, NumbersOf(service.RetrieveMultiple(query)));
        }

        [TestMethod]
        public void TopCountWithPageCount_FaultsWithInvalidArgument()
        {
            var (_, service) = WithContacts(1);
            var query = Numbers();
            query.TopCount = 3;
            query.PageInfo = new PagingInfo { Count = 2, PageNumber = 1 };

            AssertFault.Throws(DataverseErrorCodes.InvalidArgument, () => service.RetrieveMultiple(query));
        }

        [TestMethod]
        public void NoOrder_ReturnsRowsInCreationOrder()
        {
            var (_, service) = WithContacts(4);

            CollectionAssert.AreEqual(new[] { 1, 2, 3, 4 }, NumbersOf(service.RetrieveMultiple(new QueryExpression("contact") { ColumnSet = new ColumnSet(true) })));
        }

        [TestMethod]
        public void OrderAscending_PutsNullsFirst()
        {
            var (dataverse, service) = WithContacts(2);
            dataverse.Seed(new Entity("contact"));

            CollectionAssert.AreEqual(new[] { 0, 1, 2 }, NumbersOf(service.RetrieveMultiple(Numbers())));
        }

        [TestMethod]
        public void EmptyColumnSet_ReturnsOnlyIdsAndRowVersions()
        {
            var (_, service) = WithContacts(1);

            var row = service.RetrieveMultiple(new QueryExpression("contact")).Entities.Single();

            CollectionAssert.AreEqual(new[] { "contactid" }, row.Attributes.Keys.ToArray());
            Assert.IsNotNull(row.RowVersion);
        }

        /// <summary>#20: without metadata a FetchXML text value is read as the stored value's type (a number here).</summary>
        [TestMethod]
        public void FetchXml_WithoutMetadata_ReadsTextValuesAsTheStoredType()
        {
            var (_, service) = WithContacts(5);

            var rows = service.RetrieveMultiple(new FetchExpression(
                "<fetch count='2'><entity name='contact'><attribute name='okos_number' /><filter><condition attribute='okos_number' operator='gt' value='2' /></filter><order attribute='okos_number' /></entity></fetch>"));

            CollectionAssert.AreEqual(new[] { 3, 4 }, NumbersOf(rows));
            Assert.IsTrue(rows.MoreRecords);
        }

        [TestMethod]
        public void QueryWithoutTable_FaultsWithInvalidArgument()
        {
            var (_, service) = WithContacts(1);

            AssertFault.Throws(DataverseErrorCodes.InvalidArgument, () => service.RetrieveMultiple(new QueryExpression()));
        }
    }
}
