using System;
using System.Linq;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace OneKosmos.Sandbox.Dataverse.Tests.Messages
{
    [TestClass]
    public sealed class CreateTests
    {
        [TestMethod]
        public void Create_WithoutId_AssignsIdFromIdSourceAndSetsPrimaryKeyColumn()
        {
            var issued = new System.Collections.Generic.List<Guid>();
            var dataverse = new InMemoryDataverse(new InMemoryDataverseOptions
            {
                NewId = () =>
                {
                    issued.Add(new Guid(issued.Count + 1, 0, 0, new byte[8]));
                    return issued[^1];
                },
            });
            var service = dataverse.CreateOrganizationService(null);

            var id = service.Create(new Entity("contact") { ["lastname"] = "Doe" });

            CollectionAssert.Contains(issued, id);
            var stored = dataverse.Rows("contact").Single();
            Assert.AreEqual(id, stored.Id);
            Assert.AreEqual(id, stored["contactid"]);
            Assert.AreEqual("Doe", stored["lastname"]);
        }

        [TestMethod]
        public void Create_WithCallerChosenId_KeepsThatId()
        {
            var dataverse = TestDataverse.Create();
            var chosen = Guid.Parse("0c9a3a52-8f0a-4a9a-9f61-2d1f3b9a7e01");

            var id = dataverse.CreateOrganizationService(null).Create(new Entity("contact", chosen));

            Assert.AreEqual(chosen, id);
        }

        [TestMethod]
        public void Create_DuplicateId_FaultsWithDuplicateRecord()
        {
            var dataverse = TestDataverse.Create();
            var service = dataverse.CreateOrganizationService(null);
            var id = service.Create(new Entity("contact"));

            AssertFault.Throws(DataverseErrorCodes.DuplicateRecord, () => service.Create(new Entity("contact", id)));
            Assert.AreEqual(1, dataverse.Rows("contact").Count);
        }

        [TestMethod]
        public void Create_DuplicateAlternateKey_FaultsAndStoresNothing()
        {
            var dataverse = TestDataverse.Create();
            dataverse.DefineAlternateKey("okos_verification", "okos_verification_sessionid", "okos_sessionid");
            var service = dataverse.CreateOrganizationService(null);
            service.Create(new Entity("okos_verification") { ["okos_sessionid"] = "S-1" });

            var fault = AssertFault.Throws(
                DataverseErrorCodes.DuplicateRecordEntityKey,
                () => service.Create(new Entity("okos_verification") { ["okos_sessionid"] = "S-1" }));

            StringAssert.Contains(fault.Message, "okos_verification_sessionid");
            Assert.AreEqual(1, dataverse.Rows("okos_verification").Count);
        }

        [TestMethod]
        public void Create_AlternateKeyDifferingOnlyInCase_IsADuplicate()
        {
            var dataverse = TestDataverse.Create();
            dataverse.DefineAlternateKey("okos_callbackreceipt", "okos_callbackreceipt_messageid", "okos_messageid");
            var service = dataverse.CreateOrganizationService(null);
            service.Create(new Entity("okos_callbackreceipt") { ["okos_messageid"] = "msg_ABC" });

            AssertFault.Throws(
                DataverseErrorCodes.DuplicateRecordEntityKey,
                () => service.Create(new Entity("okos_callbackreceipt") { ["okos_messageid"] = "MSG_abc" }));
        }

        [TestMethod]
        public void Create_TwoRowsWithNullAlternateKey_SecondIsRefusedUnderTheStrictReading()
        {
            var dataverse = TestDataverse.Create();
            dataverse.DefineAlternateKey("okos_verification", "okos_verification_sessionid", "okos_sessionid");
            var service = dataverse.CreateOrganizationService(null);
            service.Create(new Entity("okos_verification"));

            AssertFault.Throws(DataverseErrorCodes.DuplicateRecordEntityKey, () => service.Create(new Entity("okos_verification")));
        }

        [TestMethod]
        public void Create_MultiColumnKey_RefusesOnlyTheSameCombination()
        {
            var dataverse = TestDataverse.Create();
            dataverse.DefineAlternateKey("okos_verification", "by_contact_journey", "okos_contactid", "okos_journey");
            var service = dataverse.CreateOrganizationService(null);
            var contact = new EntityReference("contact", Guid.NewGuid());
            service.Create(new Entity("okos_verification") { ["okos_contactid"] = contact, ["okos_journey"] = new OptionSetValue(1) });

            service.Create(new Entity("okos_verification") { ["okos_contactid"] = contact, ["okos_journey"] = new OptionSetValue(2) });
            AssertFault.Throws(
                DataverseErrorCodes.DuplicateRecordEntityKey,
                () => service.Create(new Entity("okos_verification") { ["okos_contactid"] = new EntityReference("contact", contact.Id), ["okos_journey"] = new OptionSetValue(1) }));
        }

        [TestMethod]
        public void Create_SetsSystemColumnsFromClockAndCaller()
        {
            var clock = new FakeTimeProvider(TestDataverse.Start);
            var dataverse = TestDataverse.Create(clock);
            var user = Guid.Parse("6d1c7a44-3b35-4f39-9d4c-6e2d1f0a0b11");

            var id = dataverse.CreateOrganizationService(user).Create(new Entity("contact") { ["createdon"] = new DateTime(2000, 1, 1) });

            var row = dataverse.CreateOrganizationService(null).Retrieve("contact", id, new ColumnSet(true));
            Assert.AreEqual(TestDataverse.Start.UtcDateTime, row["createdon"]);
            Assert.AreEqual(TestDataverse.Start.UtcDateTime, row["modifiedon"]);
            Assert.AreEqual(new EntityReference("systemuser", user), row["createdby"]);
        }

        [TestMethod]
        public void Create_NullColumnValue_IsNotStored()
        {
            var dataverse = TestDataverse.Create();

            dataverse.CreateOrganizationService(null).Create(new Entity("contact") { ["middlename"] = null });

            Assert.IsFalse(dataverse.Rows("contact").Single().Contains("middlename"));
        }

        [TestMethod]
        public void Create_CallerChangesEntityAfterwards_StoreKeepsWhatWasCreated()
        {
            var dataverse = TestDataverse.Create();
            var owner = new EntityReference("systemuser", Guid.NewGuid());
            var contact = new Entity("contact") { ["lastname"] = "Doe", ["ownerid"] = owner };

            dataverse.CreateOrganizationService(null).Create(contact);
            contact["lastname"] = "Changed";
            owner.Id = Guid.Empty;

            var stored = dataverse.Rows("contact").Single();
            Assert.AreEqual("Doe", stored["lastname"]);
            Assert.AreNotEqual(Guid.Empty, stored.GetAttributeValue<EntityReference>("ownerid").Id);
        }

        [TestMethod]
        public void Create_EntityWithoutLogicalName_FaultsWithInvalidArgument()
        {
            var dataverse = TestDataverse.Create();

            AssertFault.Throws(DataverseErrorCodes.InvalidArgument, () => dataverse.CreateOrganizationService(null).Create(new Entity()));
        }

        [TestMethod]
        public void Create_GivesEveryWriteANewRowVersion()
        {
            var dataverse = TestDataverse.Create();
            var service = dataverse.CreateOrganizationService(null);
            var id = service.Create(new Entity("contact"));
            var first = service.Retrieve("contact", id, new ColumnSet()).RowVersion;

            service.Update(new Entity("contact", id) { ["lastname"] = "Doe" });

            var second = service.Retrieve("contact", id, new ColumnSet()).RowVersion;
            Assert.IsNotNull(first);
            Assert.AreNotEqual(first, second);
        }
    }
}
