using System;
using System.IO;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Sandbox.Dataverse.Pipeline;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Dataverse.Tests.Pipeline
{
    /// <summary>The steps of the fixture solution, run as its XML registers them.</summary>
    [TestClass]
    public sealed class SolutionPipelineTests
    {
        private static readonly string FixtureSolution = Path.Combine(AppContext.BaseDirectory, "Fixtures", "PipelineSolution");

        private InMemoryDataverse _dataverse = null!;
        private IOrganizationService _service = null!;

        [TestInitialize]
        public void LoadFixtureSolution()
        {
            _dataverse = TestDataverse.Create();
            _dataverse.LoadSteps(FixtureSolution, typeof(SolutionPipelineTests).Assembly);
            _service = _dataverse.CreateOrganizationService(Guid.Parse("00000000-0000-0000-0000-0000000000a7"));
        }

        private PluginRun[] RunsOf(string pluginType) =>
            _dataverse.PluginRuns.Where(run => run.Step.PluginTypeName.EndsWith("." + pluginType, StringComparison.Ordinal)).ToArray();

        [TestMethod]
        public void LoadSteps_ReadsEveryRegistrationOfTheSolution()
        {
            var steps = SolutionStepReader.Read(FixtureSolution);

            Assert.AreEqual(4, steps.Count);
            var update = steps.Single(step => step.MessageName == "Update");
            Assert.AreEqual("contact", update.PrimaryEntity);
            CollectionAssert.AreEquivalent(new[] { "emailaddress1", "telephone1" }, update.FilteringAttributes.ToArray());
            Assert.AreEqual(2, update.Images.Count);
        }

        [TestMethod]
        public void Create_TriggersItsAsyncStepOnceAfterTheCommit()
        {
            var id = _service.Create(new Entity("contact") { ["lastname"] = "Doe" });

            var run = RunsOf("NoteOnCreatePlugin").Single();
            Assert.AreEqual(1, run.Context.Mode);
            Assert.AreEqual(40, run.Context.Stage);
            Assert.IsFalse(run.Context.IsInTransaction);
            Assert.AreEqual(id, run.Context.PrimaryEntityId);
            Assert.AreEqual(id, run.Context.OutputParameters["id"]);
            var note = _dataverse.Rows("annotation").Single();
            Assert.AreEqual(new EntityReference("contact", id), note["objectid"]);
        }

        [TestMethod]
        public void Update_TouchingNoFilteringAttribute_DoesNotTriggerTheStep()
        {
            var id = _service.Create(new Entity("contact") { ["lastname"] = "Doe" });

            _service.Update(new Entity("contact", id) { ["lastname"] = "Roe", ["firstname"] = "Jane" });

            Assert.AreEqual(0, RunsOf("RecordingPlugin").Length);
        }

        [TestMethod]
        public void Update_TouchingAFilteringAttribute_TriggersTheStepWithExactlyTheRegisteredImageColumns()
        {
            var id = _service.Create(new Entity("contact") { ["lastname"] = "Doe", ["emailaddress1"] = "old@example.com", ["telephone1"] = "555" });

            _service.Update(new Entity("contact", id) { ["emailaddress1"] = "new@example.com" });

            var context = RunsOf("RecordingPlugin").Single().Context;
            var pre = context.PreEntityImages["PreImage"];
            var post = context.PostEntityImages["PostImage"];
            CollectionAssert.AreEquivalent(new[] { "emailaddress1", "contactid" }, pre.Attributes.Keys.ToArray());
            Assert.AreEqual("old@example.com", pre["emailaddress1"]);
            CollectionAssert.AreEquivalent(new[] { "emailaddress1", "lastname", "contactid" }, post.Attributes.Keys.ToArray());
            Assert.AreEqual("new@example.com", post["emailaddress1"]);
            Assert.AreEqual("Doe", post["lastname"]);
            Assert.IsTrue(context.IsInTransaction);
        }

        [TestMethod]
        public void PreOperationStep_ChangesToTheTargetAreStored()
        {
            var id = _service.Create(new Entity("account") { ["name"] = "Contoso" });

            Assert.AreEqual("CONTOSO", _service.Retrieve("account", id, new ColumnSet("name"))["name"]);
        }

        [TestMethod]
        public void FailingSyncStep_LeavesTheStoreUnchangedIncludingItsOwnWrites()
        {
            _dataverse.Seed(new Entity("account") { ["name"] = "Existing" });
            var before = _dataverse.Rows("account").Select(row => row.RowVersion).ToArray();

            var fault = AssertFault.Throws(
                DataverseErrorCodes.IsvAborted,
                () => _service.Create(new Entity("account") { ["name"] = "Blocked Ltd" }));

            Assert.AreEqual("Accounts named BLOCKED are not allowed.", fault.Message);
            CollectionAssert.AreEqual(before, _dataverse.Rows("account").Select(row => row.RowVersion).ToArray());
            Assert.AreEqual(0, _dataverse.Rows("annotation").Count);
            Assert.IsFalse(RunsOf("RejectBlockedNamePlugin").Single().Succeeded);
        }

        [TestMethod]
        public void SucceedingSyncStep_KeepsItsWritesWithTheOperation()
        {
            _service.Create(new Entity("account") { ["name"] = "Fine" });

            Assert.AreEqual("checked FINE", _dataverse.Rows("annotation").Single()["subject"]);
        }

        [TestMethod]
        public void Seed_RunsNoStep()
        {
            _dataverse.Seed(new Entity("contact") { ["lastname"] = "Doe" });

            Assert.AreEqual(0, _dataverse.PluginRuns.Count);
        }
    }
}
