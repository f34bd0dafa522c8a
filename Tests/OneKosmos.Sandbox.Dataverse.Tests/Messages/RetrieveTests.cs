using System;
using System.Collections.Generic;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

namespace OneKosmos.Sandbox.Dataverse.Tests.Messages
{
    [TestClass]
    public sealed class RetrieveTests
    {
        [TestMethod]
        public void Retrieve_ColumnSet_ReturnsOnlyThoseColumnsAndThePrimaryKey()
        {
            var dataverse = TestDataverse.Create();
            var service = dataverse.CreateOrganizationService(null);
            var id = service.Create(new Entity("contact") { ["firstname"] = "Jane", ["lastname"] = "Doe" });

            var row = service.Retrieve("contact", id, new ColumnSet("lastname"));

            Assert.AreEqual("Doe", row["lastname"]);
            Assert.AreEqual(id, row["contactid"]);
            Assert.IsFalse(row.Contains("firstname"));
            Assert.ThrowsExactly<KeyNotFoundException>(() => _ = row["firstname"]);
        }

        [TestMethod]
        public void Retrieve_AllColumns_ReturnsEveryStoredColumn()
        {
            var dataverse = TestDataverse.Create();
            var service = dataverse.CreateOrganizationService(null);
            var id = service.Create(new Entity("contact") { ["firstname"] = "Jane", ["lastname"] = "Doe" });

            var row = service.Retrieve("contact", id, new ColumnSet(true));

            Assert.AreEqual("Jane", row["firstname"]);
            Assert.AreEqual("Doe", row["lastname"]);
            Assert.AreEqual(id, row.Id);
            Assert.AreEqual("contact", row.LogicalName);
        }

        [TestMethod]
        public void Retrieve_UnknownRow_FaultsWithObjectDoesNotExist()
        {
            var dataverse = TestDataverse.Create();
            var id = Guid.Parse("d3f9a0de-4b0f-4d7e-8a55-3c6f3a0b2c9e");

            var fault = AssertFault.Throws(
                DataverseErrorCodes.ObjectDoesNotExist,
                () => dataverse.CreateOrganizationService(null).Retrieve("contact", id, new ColumnSet(true)));

            StringAssert.Contains(fault.Message, id.ToString());
        }

        [TestMethod]
        public void Retrieve_ByAlternateKey_FindsTheRow()
        {
            var dataverse = TestDataverse.Create();
            dataverse.DefineAlternateKey("okos_verification", "okos_verification_sessionid", "okos_sessionid");
            var service = dataverse.CreateOrganizationService(null);
            var id = service.Create(new Entity("okos_verification") { ["okos_sessionid"] = "S-42" });

            var response = (RetrieveResponse)service.Execute(new RetrieveRequest
            {
                Target = new EntityReference("okos_verification", "okos_sessionid", "s-42"),
                ColumnSet = new ColumnSet("okos_sessionid"),
            });

            Assert.AreEqual(id, response.Entity.Id);
        }

        [TestMethod]
        public void Retrieve_ByAlternateKeyThatMatchesNoRow_FaultsWithObjectDoesNotExist()
        {
            var dataverse = TestDataverse.Create();
            dataverse.DefineAlternateKey("okos_verification", "okos_verification_sessionid", "okos_sessionid");

            AssertFault.Throws(
                DataverseErrorCodes.ObjectDoesNotExist,
                () => dataverse.CreateOrganizationService(null).Execute(new RetrieveRequest
                {
                    Target = new EntityReference("okos_verification", "okos_sessionid", "missing"),
                    ColumnSet = new ColumnSet(true),
                }));
        }

        [TestMethod]
        public void Retrieve_ByColumnsThatAreNoDefinedKey_FaultsNamingThem()
        {
            var dataverse = TestDataverse.Create();

            var fault = AssertFault.Throws(
                DataverseErrorCodes.InvalidArgument,
                () => dataverse.CreateOrganizationService(null).Execute(new RetrieveRequest
                {
                    Target = new EntityReference("contact", "emailaddress1", "jane@example.com"),
                    ColumnSet = new ColumnSet(true),
                }));

            StringAssert.Contains(fault.Message, "emailaddress1");
        }

        [TestMethod]
        public void Retrieve_WithoutColumnSet_FaultsWithInvalidArgument()
        {
            var dataverse = TestDataverse.Create();
            var id = dataverse.Seed(new Entity("contact"))[0];

            AssertFault.Throws(
                DataverseErrorCodes.InvalidArgument,
                () => dataverse.CreateOrganizationService(null).Execute(new RetrieveRequest { Target = new EntityReference("contact", id) }));
        }

        [TestMethod]
        public void Retrieve_ReturnedEntityChanged_StoreIsUnchanged()
        {
            var dataverse = TestDataverse.Create();
            var service = dataverse.CreateOrganizationService(null);
            var id = service.Create(new Entity("contact") { ["lastname"] = "Doe", ["okos_status"] = new OptionSetValue(1) });

            var row = service.Retrieve("contact", id, new ColumnSet(true));
            row["lastname"] = "Changed";
            row.GetAttributeValue<OptionSetValue>("okos_status").Value = 99;

            var again = service.Retrieve("contact", id, new ColumnSet(true));
            Assert.AreEqual("Doe", again["lastname"]);
            Assert.AreEqual(1, again.GetAttributeValue<OptionSetValue>("okos_status").Value);
        }
    }
}
