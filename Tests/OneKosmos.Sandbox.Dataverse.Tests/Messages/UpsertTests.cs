using System;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

namespace OneKosmos.Sandbox.Dataverse.Tests.Messages
{
    [TestClass]
    public sealed class UpsertTests
    {
        private static InMemoryDataverse WithSessionKey()
        {
            var dataverse = TestDataverse.Create();
            dataverse.DefineAlternateKey("okos_verification", "okos_verification_sessionid", "okos_sessionid");
            return dataverse;
        }

        [TestMethod]
        public void Upsert_NoRowWithThatKey_CreatesOneWithTheKeyValuesAsColumns()
        {
            var dataverse = WithSessionKey();
            var service = dataverse.CreateOrganizationService(null);

            var response = (UpsertResponse)service.Execute(new UpsertRequest
            {
                Target = new Entity("okos_verification", "okos_sessionid", "S-9") { ["okos_documenttype"] = "passport" },
            });

            Assert.IsTrue(response.RecordCreated);
            var row = service.Retrieve("okos_verification", response.Target.Id, new ColumnSet(true));
            Assert.AreEqual("S-9", row["okos_sessionid"]);
            Assert.AreEqual("passport", row["okos_documenttype"]);
        }

        [TestMethod]
        public void Upsert_RowWithThatKeyExists_UpdatesIt()
        {
            var dataverse = WithSessionKey();
            var service = dataverse.CreateOrganizationService(null);
            var id = service.Create(new Entity("okos_verification") { ["okos_sessionid"] = "S-9", ["okos_documenttype"] = "passport" });

            var response = (UpsertResponse)service.Execute(new UpsertRequest
            {
                Target = new Entity("okos_verification", "okos_sessionid", "S-9") { ["okos_documentcountry"] = "FR" },
            });

            Assert.IsFalse(response.RecordCreated);
            Assert.AreEqual(id, response.Target.Id);
            var row = service.Retrieve("okos_verification", id, new ColumnSet(true));
            Assert.AreEqual("passport", row["okos_documenttype"]);
            Assert.AreEqual("FR", row["okos_documentcountry"]);
            Assert.AreEqual(1, dataverse.Rows("okos_verification").Count);
        }

        [TestMethod]
        public void Upsert_ById_CreatesThenUpdates()
        {
            var dataverse = TestDataverse.Create();
            var service = dataverse.CreateOrganizationService(null);
            var id = Guid.Parse("9a3c5f7e-1b2d-4c6e-8f0a-1b2c3d4e5f60");

            var first = (UpsertResponse)service.Execute(new UpsertRequest { Target = new Entity("contact", id) { ["lastname"] = "Doe" } });
            var second = (UpsertResponse)service.Execute(new UpsertRequest { Target = new Entity("contact", id) { ["lastname"] = "Roe" } });

            Assert.IsTrue(first.RecordCreated);
            Assert.IsFalse(second.RecordCreated);
            Assert.AreEqual("Roe", service.Retrieve("contact", id, new ColumnSet(true))["lastname"]);
        }
    }
}
