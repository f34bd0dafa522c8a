using System;
using System.Linq;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

namespace OneKosmos.Sandbox.Dataverse.Tests.Messages
{
    [TestClass]
    public sealed class UpdateDeleteTests
    {
        [TestMethod]
        public void Update_MergesColumnsAndKeepsTheOthers()
        {
            var dataverse = TestDataverse.Create();
            var service = dataverse.CreateOrganizationService(null);
            var id = service.Create(new Entity("contact") { ["firstname"] = "Jane", ["lastname"] = "Doe" });

            service.Update(new Entity("contact", id) { ["lastname"] = "Roe" });

            var row = service.Retrieve("contact", id, new ColumnSet(true));
            Assert.AreEqual("Jane", row["firstname"]);
            Assert.AreEqual("Roe", row["lastname"]);
        }

        [TestMethod]
        public void Update_NullValue_ClearsTheColumn()
        {
            var dataverse = TestDataverse.Create();
            var service = dataverse.CreateOrganizationService(null);
            var id = service.Create(new Entity("contact") { ["middlename"] = "Q" });

            service.Update(new Entity("contact", id) { ["middlename"] = null });

            Assert.IsFalse(service.Retrieve("contact", id, new ColumnSet(true)).Contains("middlename"));
        }

        [TestMethod]
        public void Update_MovesModifiedOnAndKeepsCreatedOn()
        {
            var clock = new FakeTimeProvider(TestDataverse.Start);
            var dataverse = TestDataverse.Create(clock);
            var service = dataverse.CreateOrganizationService(null);
            var id = service.Create(new Entity("contact"));
            clock.Advance(TimeSpan.FromMinutes(5));

            service.Update(new Entity("contact", id) { ["lastname"] = "Doe" });

            var row = service.Retrieve("contact", id, new ColumnSet(true));
            Assert.AreEqual(TestDataverse.Start.UtcDateTime, row["createdon"]);
            Assert.AreEqual(TestDataverse.Start.UtcDateTime.AddMinutes(5), row["modifiedon"]);
        }

        [TestMethod]
        public void Update_UnknownRow_FaultsWithObjectDoesNotExist()
        {
            var dataverse = TestDataverse.Create();

            AssertFault.Throws(
                DataverseErrorCodes.ObjectDoesNotExist,
                () => dataverse.CreateOrganizationService(null).Update(new Entity("contact", Guid.NewGuid()) { ["lastname"] = "Doe" }));
        }

        [TestMethod]
        public void Update_ByAlternateKey_ChangesTheKeyedRow()
        {
            var dataverse = TestDataverse.Create();
            dataverse.DefineAlternateKey("okos_verification", "okos_verification_sessionid", "okos_sessionid");
            var service = dataverse.CreateOrganizationService(null);
            var id = service.Create(new Entity("okos_verification") { ["okos_sessionid"] = "S-7" });

            service.Update(new Entity("okos_verification", "okos_sessionid", "S-7") { ["okos_documenttype"] = "passport" });

            Assert.AreEqual("passport", service.Retrieve("okos_verification", id, new ColumnSet(true))["okos_documenttype"]);
        }

        [TestMethod]
        public void Update_ThatWouldDuplicateAnAlternateKey_FaultsAndKeepsTheRow()
        {
            var dataverse = TestDataverse.Create();
            dataverse.DefineAlternateKey("okos_verification", "okos_verification_reservationkey", "okos_reservationkey");
            var service = dataverse.CreateOrganizationService(null);
            service.Create(new Entity("okos_verification") { ["okos_reservationkey"] = "c:IdentityProofing:open" });
            var second = service.Create(new Entity("okos_verification") { ["okos_reservationkey"] = "c:IdentityProofing:final" });

            AssertFault.Throws(
                DataverseErrorCodes.DuplicateRecordEntityKey,
                () => service.Update(new Entity("okos_verification", second) { ["okos_reservationkey"] = "c:IdentityProofing:open" }));

            Assert.AreEqual("c:IdentityProofing:final", service.Retrieve("okos_verification", second, new ColumnSet(true))["okos_reservationkey"]);
        }

        [TestMethod]
        public void Update_IfRowVersionMatches_WithStaleVersion_FaultsWithConcurrencyMismatch()
        {
            var dataverse = TestDataverse.Create();
            var service = dataverse.CreateOrganizationService(null);
            var id = service.Create(new Entity("contact"));
            var read = service.Retrieve("contact", id, new ColumnSet());
            service.Update(new Entity("contact", id) { ["lastname"] = "First writer" });

            AssertFault.Throws(
                DataverseErrorCodes.ConcurrencyVersionMismatch,
                () => service.Execute(new UpdateRequest
                {
                    Target = new Entity("contact", id) { ["lastname"] = "Second writer", RowVersion = read.RowVersion },
                    ConcurrencyBehavior = ConcurrencyBehavior.IfRowVersionMatches,
                }));
        }

        [TestMethod]
        public void Update_IfRowVersionMatches_WithCurrentVersion_Succeeds()
        {
            var dataverse = TestDataverse.Create();
            var service = dataverse.CreateOrganizationService(null);
            var id = service.Create(new Entity("contact"));
            var read = service.Retrieve("contact", id, new ColumnSet());

            service.Execute(new UpdateRequest
            {
                Target = new Entity("contact", id) { ["lastname"] = "Doe", RowVersion = read.RowVersion },
                ConcurrencyBehavior = ConcurrencyBehavior.IfRowVersionMatches,
            });

            Assert.AreEqual("Doe", service.Retrieve("contact", id, new ColumnSet(true))["lastname"]);
        }

        [TestMethod]
        public void Delete_RemovesTheRow()
        {
            var dataverse = TestDataverse.Create();
            var service = dataverse.CreateOrganizationService(null);
            var id = service.Create(new Entity("contact"));
            var kept = service.Create(new Entity("contact"));

            service.Delete("contact", id);

            Assert.AreEqual(kept, dataverse.Rows("contact").Single().Id);
            AssertFault.Throws(DataverseErrorCodes.ObjectDoesNotExist, () => service.Retrieve("contact", id, new ColumnSet()));
        }

        [TestMethod]
        public void Delete_UnknownRow_FaultsWithObjectDoesNotExist()
        {
            var dataverse = TestDataverse.Create();

            AssertFault.Throws(DataverseErrorCodes.ObjectDoesNotExist, () => dataverse.CreateOrganizationService(null).Delete("contact", Guid.NewGuid()));
        }

        [TestMethod]
        public void Delete_FreesItsAlternateKeyForANewRow()
        {
            var dataverse = TestDataverse.Create();
            dataverse.DefineAlternateKey("okos_callbackreceipt", "okos_callbackreceipt_messageid", "okos_messageid");
            var service = dataverse.CreateOrganizationService(null);
            var id = service.Create(new Entity("okos_callbackreceipt") { ["okos_messageid"] = "m-1" });

            service.Delete("okos_callbackreceipt", id);
            service.Create(new Entity("okos_callbackreceipt") { ["okos_messageid"] = "m-1" });

            Assert.AreEqual(1, dataverse.Rows("okos_callbackreceipt").Count);
        }
    }
}
