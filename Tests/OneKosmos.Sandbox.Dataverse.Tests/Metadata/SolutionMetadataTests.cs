using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Sandbox.Dataverse.Metadata;
using OneKosmos.Tests.Shared;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Dataverse.Tests.Metadata
{
    /// <summary>The product's own solution, loaded into the sandbox: what it declares is what can be written.</summary>
    [TestClass]
    public sealed class SolutionMetadataTests
    {
        private InMemoryDataverse _dataverse = null!;
        private IOrganizationService _service = null!;
        private Guid _contact;

        [TestInitialize]
        public void LoadProductSolution()
        {
            _dataverse = InMemoryDataverse.FromSolution(RepositoryPaths.SolutionSource);
            _service = _dataverse.CreateOrganizationService(null);
            _contact = _dataverse.Seed(new Entity("contact") { ["lastname"] = "Doe" })[0];
        }

        private Entity Verification(string session) => new("okos_verification")
        {
            ["okos_name"] = "Jane Doe · IdentityProofing",
            ["okos_sessionid"] = session,
            ["okos_contactid"] = new EntityReference("contact", _contact),
            ["okos_status"] = new OptionSetValue(715900000),
            ["okos_journey"] = new OptionSetValue(715900000),
        };

        [TestMethod]
        public void Solution_DeclaresItsTablesAndExtendsContact()
        {
            var metadata = _dataverse.Metadata!;

            Assert.AreEqual(Ownership.UserOwned, metadata.Table("okos_verification")!.Ownership);
            Assert.AreEqual(Ownership.OrganizationOwned, metadata.Table("okos_callbackreceipt")!.Ownership);
            Assert.IsTrue(metadata.Table("okos_blockidconnection")!.Column("okos_licensekey")!.IsSecured);
            Assert.AreEqual(ColumnType.String, metadata.Table("contact")!.Column("okos_boundblockiddid")!.Type);
            Assert.AreEqual(4, metadata.Table("okos_verification")!.Column("okos_matchconfidence")!.Precision);
            CollectionAssert.AreEquivalent(new[] { "contact" }, metadata.Table("okos_verification")!.Column("okos_contactid")!.Targets.ToArray());
        }

        [TestMethod]
        public void Contact_FullName_IsComposedFromFirstAndLastName_OnCreateAndUpdate()
        {
            var id = _service.Create(new Entity("contact") { ["firstname"] = "Jane", ["lastname"] = "Doe" });
            Assert.AreEqual("Jane Doe", _service.Retrieve("contact", id, new ColumnSet("fullname"))["fullname"]);

            _service.Update(new Entity("contact", id) { ["firstname"] = null });
            Assert.AreEqual("Doe", _service.Retrieve("contact", id, new ColumnSet("fullname"))["fullname"]);
        }

        [TestMethod]
        public void AQueryOnAKeyColumn_FindsWhatAScanWould_CaseAndOtherConditionsIncluded()
        {
            _service.Create(new Entity("okos_callbackreceipt") { ["okos_name"] = "r1", ["okos_messageid"] = "Msg-1", ["okos_type"] = "blockid.idv" });
            _service.Create(new Entity("okos_callbackreceipt") { ["okos_name"] = "r2", ["okos_messageid"] = "msg-2", ["okos_type"] = "blockid.idv" });
            int Count(string messageId, string? type = null)
            {
                var query = new QueryExpression("okos_callbackreceipt") { ColumnSet = new ColumnSet("okos_name") };
                query.Criteria.AddCondition("okos_messageid", ConditionOperator.Equal, messageId);
                if (type is not null)
                {
                    query.Criteria.AddCondition("okos_type", ConditionOperator.Equal, type);
                }
                return _service.RetrieveMultiple(query).Entities.Count;
            }

            Assert.AreEqual(1, Count("msg-1"), "text compares without case, as Dataverse does");
            Assert.AreEqual(1, Count("msg-2", "blockid.idv"));
            Assert.AreEqual(0, Count("msg-2", "reconcile"), "the other conditions still apply");
            Assert.AreEqual(0, Count("msg-3"));

            _service.Update(new Entity("okos_callbackreceipt", _service.RetrieveMultiple(new QueryExpression("okos_callbackreceipt") { ColumnSet = new ColumnSet(false), TopCount = 1 }).Entities[0].Id) { ["okos_messageid"] = "msg-9" });
            Assert.AreEqual(0, Count("msg-1"), "a changed key is found by its new value only");
            Assert.AreEqual(1, Count("MSG-9"));
        }

        [TestMethod]
        public void Create_ValidVerification_IsStored()
        {
            var id = _service.Create(Verification("S-1"));

            Assert.AreEqual("S-1", _service.Retrieve("okos_verification", id, new ColumnSet("okos_sessionid"))["okos_sessionid"]);
        }

        [TestMethod]
        public void Create_ColumnTheSolutionDoesNotDefine_FaultsNamingIt()
        {
            var row = Verification("S-1");
            row["okos_documentnumber"] = "X1234567";

            var fault = AssertFault.Throws(DataverseErrorCodes.QueryBuilderNoAttribute, () => _service.Create(row));

            StringAssert.Contains(fault.Message, "okos_documentnumber");
            Assert.AreEqual(0, _dataverse.Rows("okos_verification").Count);
        }

        [TestMethod]
        public void Create_ValueOfTheWrongType_FaultsNamingTheColumn()
        {
            var row = Verification("S-1");
            row["okos_status"] = "Verified";

            var fault = AssertFault.Throws(DataverseErrorCodes.InvalidArgument, () => _service.Create(row));

            StringAssert.Contains(fault.Message, "okos_status");
            StringAssert.Contains(fault.Message, "OptionSetValue");
        }

        [TestMethod]
        public void Create_OptionOutsideTheChoice_FaultsListingTheOptions()
        {
            var row = Verification("S-1");
            row["okos_iallevel"] = new OptionSetValue(3);

            var fault = AssertFault.Throws(DataverseErrorCodes.InvalidArgument, () => _service.Create(row));

            StringAssert.Contains(fault.Message, "715900001");
        }

        [TestMethod]
        public void Create_ConfidenceOutOfRangeOrTooPrecise_IsRefused()
        {
            var tooHigh = Verification("S-1");
            tooHigh["okos_matchconfidence"] = 1.5m;
            var tooPrecise = Verification("S-2");
            tooPrecise["okos_matchconfidence"] = 0.12345m;

            AssertFault.Throws(DataverseErrorCodes.InvalidArgument, () => _service.Create(tooHigh));
            AssertFault.Throws(DataverseErrorCodes.InvalidArgument, () => _service.Create(tooPrecise));
        }

        [TestMethod]
        public void Create_TextLongerThanTheColumn_IsRefused()
        {
            var row = Verification(new string('s', 101));

            var fault = AssertFault.Throws(DataverseErrorCodes.InvalidArgument, () => _service.Create(row));

            StringAssert.Contains(fault.Message, "at most 100 characters");
        }

        [TestMethod]
        public void Create_LookupToAnotherTable_IsRefused()
        {
            var row = Verification("S-1");
            row["okos_contactid"] = new EntityReference("account", Guid.NewGuid());

            var fault = AssertFault.Throws(DataverseErrorCodes.InvalidArgument, () => _service.Create(row));

            StringAssert.Contains(fault.Message, "points to contact");
        }

        [TestMethod]
        public void Create_SecondRowWithTheSameSession_HitsTheSolutionsAlternateKey()
        {
            _service.Create(Verification("S-1"));

            AssertFault.Throws(DataverseErrorCodes.DuplicateRecordEntityKey, () => _service.Create(Verification("S-1")));
        }

        [TestMethod]
        public void Create_TableTheSolutionDoesNotKnow_Faults()
        {
            AssertFault.Throws(DataverseErrorCodes.QueryBuilderNoEntity, () => _service.Create(new Entity("okos_unknown")));
        }

        [TestMethod]
        public void Create_PlatformSetColumnsFromTheCaller_AreIgnored()
        {
            var row = Verification("S-1");
            row["createdon"] = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);

            var id = _service.Create(row);

            Assert.AreNotEqual(new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc), _service.Retrieve("okos_verification", id, new ColumnSet("createdon"))["createdon"]);
        }

        [TestMethod]
        public void Query_UnknownColumn_FaultsBeforeRunning()
        {
            var query = new QueryExpression("okos_verification") { ColumnSet = new ColumnSet("okos_sessionid") };
            query.Criteria.AddCondition("okos_secretscore", ConditionOperator.GreaterThan, 0.5m);

            var fault = AssertFault.Throws(DataverseErrorCodes.QueryBuilderNoAttribute, () => _service.RetrieveMultiple(query));

            StringAssert.Contains(fault.Message, "okos_secretscore");
        }

        [TestMethod]
        public void Retrieve_UnknownColumnInColumnSet_Faults()
        {
            var id = _service.Create(Verification("S-1"));

            AssertFault.Throws(DataverseErrorCodes.QueryBuilderNoAttribute, () => _service.Retrieve("okos_verification", id, new ColumnSet("okos_nothing")));
        }

        [TestMethod]
        public void Query_StandardTableUndeclaredColumn_FaultsSoTheGapIsVisible()
        {
            AssertFault.Throws(DataverseErrorCodes.QueryBuilderNoAttribute, () => _service.RetrieveMultiple(new QueryExpression("contact") { ColumnSet = new ColumnSet("birthdate") }));
        }

        [TestMethod]
        public void EnvironmentVariableDefinitions_AreThereWithTheirDefaults()
        {
            var query = new QueryExpression("environmentvariabledefinition") { ColumnSet = new ColumnSet("schemaname", "defaultvalue", "type") };
            query.Criteria.AddCondition("schemaname", ConditionOperator.Equal, "okos_StepUpMaxAgeMinutes");

            var definition = _service.RetrieveMultiple(query).Entities.Single();

            Assert.AreEqual("15", definition["defaultvalue"]);
            Assert.AreEqual(100000001, definition.GetAttributeValue<OptionSetValue>("type").Value);
            Assert.AreEqual(12, _dataverse.Rows("environmentvariabledefinition").Count);
        }
    }
}
