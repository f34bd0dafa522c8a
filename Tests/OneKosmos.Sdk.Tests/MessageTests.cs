using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

namespace OneKosmos.Sdk.Tests
{
    /// <summary>Typed requests and responses are views over the same parameter bags the platform reads.</summary>
    [TestClass]
    public sealed class MessageTests
    {
        [TestMethod]
        public void TypedRequests_NameTheirMessageAndStoreTargetAsAParameter()
        {
            var target = new Entity("contact");
            var create = new CreateRequest { Target = target };
            var retrieve = new RetrieveRequest { Target = target.ToEntityReference(), ColumnSet = new ColumnSet(true) };

            Assert.AreEqual("Create", create.RequestName);
            Assert.AreSame(target, create.Parameters["Target"]);
            Assert.AreEqual("Retrieve", retrieve.RequestName);
            Assert.IsTrue(((ColumnSet)retrieve["ColumnSet"]).AllColumns);
            Assert.AreEqual("Update", new UpdateRequest().RequestName);
            Assert.AreEqual("Delete", new DeleteRequest().RequestName);
            Assert.AreEqual("Upsert", new UpsertRequest().RequestName);
            Assert.AreEqual("RetrieveMultiple", new RetrieveMultipleRequest().RequestName);
            Assert.AreEqual("ExecuteMultiple", new ExecuteMultipleRequest().RequestName);
        }

        [TestMethod]
        public void TypedResponses_ReadTheirResults()
        {
            var id = Guid.NewGuid();
            var created = new CreateResponse { ["id"] = id };
            var upserted = new UpsertResponse { ["RecordCreated"] = true, ["Target"] = new EntityReference("contact", id) };

            Assert.AreEqual(id, created.id);
            Assert.IsTrue(upserted.RecordCreated);
            Assert.AreEqual(id, upserted.Target.Id);
        }

        [TestMethod]
        public void AnUnsetParameterOrResult_ThrowsKeyNotFound_AsTheOfficialAssemblyDoes()
        {
            Assert.ThrowsExactly<System.Collections.Generic.KeyNotFoundException>(() => new OrganizationRequest("okos_StartVerification")["Journey"]);
            Assert.ThrowsExactly<System.Collections.Generic.KeyNotFoundException>(() => new OrganizationResponse()["Status"]);
        }

        [TestMethod]
        public void TypedRequests_StartWithTheirParametersPresentAndNull()
        {
            var retrieve = new RetrieveRequest();

            CollectionAssert.AreEquivalent(new[] { "Target", "ColumnSet" }, retrieve.Parameters.Keys.ToArray());
            Assert.IsNull(retrieve["Target"]);
            Assert.IsTrue(new CreateRequest().Parameters.ContainsKey("Target"));
            Assert.IsTrue(new RetrieveMultipleRequest().Parameters.ContainsKey("Query"));
            Assert.AreEqual(ConcurrencyBehavior.Default, new UpdateRequest().ConcurrencyBehavior, "an optional parameter not set reads as its default");
        }
    }
}
