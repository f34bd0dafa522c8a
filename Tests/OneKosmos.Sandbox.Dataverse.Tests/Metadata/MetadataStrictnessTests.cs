using System;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace OneKosmos.Sandbox.Dataverse.Tests.Metadata
{
    /// <summary>
    /// #20: an in-memory Dataverse built without a solution is as strict as an environment holding only the platform's
    /// tables. Dataverse faults on a table or column its metadata lacks (QueryBuilderNoEntity 0x80041102, QueryBuilderNoAttribute
    /// 0x80041103: https://learn.microsoft.com/power-apps/developer/data-platform/reference/web-service-error-codes), where
    /// the sandbox used to answer an unknown table with no rows and ignore an unknown column.
    /// </summary>
    [TestClass]
    public sealed class MetadataStrictnessTests
    {
        private readonly IOrganizationService _service = new InMemoryDataverse().CreateOrganizationService(null);

        [TestMethod]
        public void QueryOnATableNoOneDeclared_Faults()
        {
            AssertFault.Throws(DataverseErrorCodes.QueryBuilderNoEntity, () => _service.RetrieveMultiple(new QueryExpression("new_widget")));
        }

        [TestMethod]
        public void FetchXmlOnATableNoOneDeclared_Faults()
        {
            AssertFault.Throws(DataverseErrorCodes.QueryBuilderNoEntity, () => _service.RetrieveMultiple(new FetchExpression("<fetch><entity name='new_widget'/></fetch>")));
        }

        [TestMethod]
        public void UnknownColumnInAColumnSet_Faults()
        {
            AssertFault.Throws(DataverseErrorCodes.QueryBuilderNoAttribute, () => _service.RetrieveMultiple(new QueryExpression("contact") { ColumnSet = new ColumnSet("lastname", "new_shoesize") }));
        }

        [TestMethod]
        public void UnknownColumnInACondition_Faults()
        {
            var query = new QueryExpression("contact");
            query.Criteria.AddCondition("new_shoesize", ConditionOperator.Equal, 42);
            AssertFault.Throws(DataverseErrorCodes.QueryBuilderNoAttribute, () => _service.RetrieveMultiple(query));
        }

        [TestMethod]
        public void CreateOnATableNoOneDeclared_Faults()
        {
            AssertFault.Throws(DataverseErrorCodes.QueryBuilderNoEntity, () => _service.Create(new Entity("new_widget") { ["new_name"] = "x" }));
        }

        [TestMethod]
        public void StandardTables_WorkWithoutASolution()
        {
            var id = _service.Create(new Entity("contact") { ["lastname"] = "Doe" });
            var query = new QueryExpression("contact") { ColumnSet = new ColumnSet("lastname") };
            query.Criteria.AddCondition("lastname", ConditionOperator.Equal, "Doe");
            Assert.AreEqual(id, _service.RetrieveMultiple(query).Entities[0].Id);
        }

        [TestMethod]
        public void AcceptingUndeclaredTables_IsAnExplicitChoice()
        {
            var lenient = new InMemoryDataverse(new InMemoryDataverseOptions { AcceptUndeclaredTablesAndColumns = true }).CreateOrganizationService(null);
            lenient.Create(new Entity("new_widget") { ["new_name"] = "x" });
            Assert.AreEqual(1, lenient.RetrieveMultiple(new QueryExpression("new_widget") { ColumnSet = new ColumnSet("new_name") }).Entities.Count);
        }
    }
}
