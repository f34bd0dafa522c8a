using System;
using System.Collections.Generic;
using System.Linq;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Sandbox.Dataverse.Pipeline;
using OneKosmos.Sandbox.Dataverse.Plugins;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Dataverse.Tests.Pipeline
{
    /// <summary>Platform rules of the pipeline, with steps registered in code.</summary>
    [TestClass]
    public sealed class EventPipelineTests
    {
        private sealed class DelegatePlugin : IPlugin
        {
            private readonly Action<IPluginExecutionContext, IOrganizationService> _body;

            public DelegatePlugin(Action<IPluginExecutionContext, IOrganizationService> body)
            {
                _body = body;
            }

            public void Execute(IServiceProvider serviceProvider)
            {
                var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
                var factory = (IOrganizationServiceFactory)serviceProvider.GetService(typeof(IOrganizationServiceFactory))!;
                _body(context, factory.CreateOrganizationService(context.UserId));
            }
        }

        private static StepRegistration Step(string message, string? table, PipelineStage stage, ExecutionMode mode = ExecutionMode.Synchronous, int rank = 1) =>
            new() { Name = $"{message} of {table} at {stage}", MessageName = message, PrimaryEntity = table, Stage = stage, Mode = mode, Rank = rank, PluginTypeName = "Test.DelegatePlugin" };

        private static (InMemoryDataverse Dataverse, IOrganizationService Service) Arrange()
        {
            var dataverse = TestDataverse.Create();
            return (dataverse, dataverse.CreateOrganizationService(dataverse.Options.DefaultUserId));
        }

        [TestMethod]
        public void AnUpsert_RunsTheStepsOfTheCreateOrUpdateItCarriesOut()
        {
            var (dataverse, service) = Arrange();
            var seen = new System.Collections.Generic.List<string>();
            dataverse.RegisterStep(Step("Create", "contact", PipelineStage.PreOperation), new DelegatePlugin((context, _) => seen.Add("Create")));
            dataverse.RegisterStep(Step("Update", "contact", PipelineStage.PreOperation), new DelegatePlugin((context, _) => seen.Add("Update")));
            var id = Guid.NewGuid();

            service.Execute(new Microsoft.Xrm.Sdk.Messages.UpsertRequest { Target = new Entity("contact", id) { ["lastname"] = "Doe" } });
            service.Execute(new Microsoft.Xrm.Sdk.Messages.UpsertRequest { Target = new Entity("contact", id) { ["lastname"] = "Roe" } });

            CollectionAssert.AreEqual(new[] { "Create", "Update" }, seen);
        }

        [TestMethod]
        public void APluginATestExecutesAlone_MakesChildRequests_AsOnThePlatform()
        {
            var (dataverse, _) = Arrange();
            IPluginExecutionContext? child = null;
            dataverse.RegisterStep(Step("Create", "contact", PipelineStage.PreOperation), new DelegatePlugin((context, _) => child = context));
            var parent = dataverse.NewPluginContext().ForMessage("Update", "account", Guid.NewGuid()).AtStage(PipelineStage.PostOperation, ExecutionMode.Synchronous).Build();

            dataverse.ExecutePlugin(new CreatesAContact(), parent);

            Assert.AreSame(parent, child!.ParentContext);
            Assert.AreEqual(parent.Depth + 1, child.Depth);
        }

        private sealed class CreatesAContact : IPlugin
        {
            public void Execute(IServiceProvider serviceProvider) =>
                ((IOrganizationServiceFactory)serviceProvider.GetService(typeof(IOrganizationServiceFactory))!).CreateOrganizationService(null).Create(new Entity("contact") { ["lastname"] = "Doe" });
        }

        [TestMethod]
        public void Stages_RunInOrderAndShareVariables()
        {
            var (dataverse, service) = Arrange();
            var seen = new List<string>();
            dataverse.RegisterStep(Step("Create", "contact", PipelineStage.PostOperation), new DelegatePlugin((context, _) => seen.Add("40:" + context.SharedVariables["from"])));
            dataverse.RegisterStep(Step("Create", "contact", PipelineStage.PreOperation, rank: 2), new DelegatePlugin((context, _) => seen.Add("20b")));
            dataverse.RegisterStep(Step("Create", "contact", PipelineStage.PreOperation, rank: 1), new DelegatePlugin((context, _) => { seen.Add("20a"); context.SharedVariables["from"] = "pre"; }));
            dataverse.RegisterStep(Step("Create", "contact", PipelineStage.PreValidation), new DelegatePlugin((context, _) => seen.Add(context.IsInTransaction ? "10 in" : "10 out")));

            service.Create(new Entity("contact"));

            CollectionAssert.AreEqual(new[] { "10 out", "20a", "20b", "40:pre" }, seen);
        }

        [TestMethod]
        public void EachRun_IsAnnounced_AndTheRunningCorrelationIsKnownOnlyWhileAStepRuns()
        {
            var (dataverse, service) = Arrange();
            var during = new List<Guid?>();
            var announced = new List<PluginRun>();
            dataverse.PluginRan += announced.Add;
            dataverse.RegisterStep(Step("Create", "contact", PipelineStage.PostOperation), new DelegatePlugin((context, _) => during.Add(dataverse.RunningCorrelationId)));

            service.Create(new Entity("contact"));

            Assert.AreEqual(announced.Single().Context.CorrelationId, during.Single());
            Assert.IsNull(dataverse.RunningCorrelationId);
        }

        [TestMethod]
        public void OnlyTheNewestRuns_AreKept()
        {
            var dataverse = new InMemoryDataverse(new InMemoryDataverseOptions { PluginRunsKept = 3 });
            var service = dataverse.CreateOrganizationService(null);
            dataverse.RegisterStep(Step("Create", "contact", PipelineStage.PostOperation), new DelegatePlugin((context, _) => { }));

            var ids = Enumerable.Range(0, 5).Select(i => service.Create(new Entity("contact"))).ToList();

            CollectionAssert.AreEqual(ids.Skip(2).ToList(), dataverse.PluginRuns.Select(run => run.Context.PrimaryEntityId).ToList());
        }

        [TestMethod]
        public void StepForAnyTable_RunsForEveryTable()
        {
            var (dataverse, service) = Arrange();
            var tables = new List<string>();
            dataverse.RegisterStep(Step("Create", null, PipelineStage.PostOperation), new DelegatePlugin((context, _) => tables.Add(context.PrimaryEntityName)));

            service.Create(new Entity("contact"));
            service.Create(new Entity("account"));

            CollectionAssert.AreEqual(new[] { "contact", "account" }, tables);
        }

        [TestMethod]
        public void NestedCall_RunsOneLevelDeeperWithTheParentContextAndCorrelation()
        {
            var (dataverse, service) = Arrange();
            IPluginExecutionContext? inner = null;
            IPluginExecutionContext? outer = null;
            dataverse.RegisterStep(Step("Create", "contact", PipelineStage.PostOperation), new DelegatePlugin((context, org) => { outer = context; org.Create(new Entity("annotation")); }));
            dataverse.RegisterStep(Step("Create", "annotation", PipelineStage.PreOperation), new DelegatePlugin((context, _) => inner = context));

            service.Create(new Entity("contact"));

            Assert.AreEqual(1, outer!.Depth);
            Assert.AreEqual(2, inner!.Depth);
            Assert.AreSame(outer, inner.ParentContext);
            Assert.AreEqual(outer.CorrelationId, inner.CorrelationId);
            Assert.IsTrue(inner.IsInTransaction);
        }

        [TestMethod]
        public void SelfTriggeringStep_IsStoppedByTheDepthGuardAndRolledBack()
        {
            var (dataverse, service) = Arrange();
            var id = dataverse.Seed(new Entity("contact") { ["okos_count"] = 0 })[0];
            dataverse.RegisterStep(
                Step("Update", "contact", PipelineStage.PostOperation),
                new DelegatePlugin((context, org) => org.Update(new Entity("contact", context.PrimaryEntityId) { ["okos_count"] = context.Depth })));

            var fault = AssertFault.Throws(DataverseErrorCodes.IsvAborted, () => service.Update(new Entity("contact", id) { ["okos_count"] = 100 }));

            StringAssert.Contains(fault.Message, "infinite loop");
            Assert.AreEqual(0, dataverse.Rows("contact").Single()["okos_count"]);
            Assert.AreEqual(8, dataverse.PluginRuns.Max(run => run.Context.Depth));
        }

        [TestMethod]
        public void SwallowedFault_DoomsTheTransaction_LaterCallsAndTheOperationFail()
        {
            var (dataverse, service) = Arrange();
            FaultException<OrganizationServiceFault>? later = null;
            dataverse.RegisterStep(
                Step("Create", "contact", PipelineStage.PostOperation),
                new DelegatePlugin((_, org) =>
                {
                    try
                    {
                        org.Retrieve("account", Guid.NewGuid(), new ColumnSet(true));
                    }
                    catch (FaultException<OrganizationServiceFault>)
                    {
                        // The anti-pattern under test: carry on after a failed call.
                    }
                    try
                    {
                        org.Create(new Entity("annotation"));
                    }
                    catch (FaultException<OrganizationServiceFault> fault)
                    {
                        later = fault;
                    }
                }));

            AssertFault.Throws(DataverseErrorCodes.NoActiveTransaction, () => service.Create(new Entity("contact")));

            Assert.AreEqual(DataverseErrorCodes.NoActiveTransaction, later!.Detail.ErrorCode);
            Assert.AreEqual(0, dataverse.Rows("contact").Count);
            Assert.AreEqual(0, dataverse.Rows("annotation").Count);
            service.Create(new Entity("account"));
            Assert.AreEqual(1, dataverse.Rows("account").Count, "the next request starts a fresh transaction");
        }

        [TestMethod]
        public void FailedCallOutsideATransaction_DoesNotDoomTheNext()
        {
            var (dataverse, service) = Arrange();

            AssertFault.Throws(DataverseErrorCodes.ObjectDoesNotExist, () => service.Retrieve("contact", Guid.NewGuid(), new ColumnSet(true)));
            service.Create(new Entity("contact"));

            Assert.AreEqual(1, dataverse.Rows("contact").Count);
        }

        [TestMethod]
        public void UnexpectedExceptionInAStep_ReachesTheCallerAsIsvUnexpected()
        {
            var (dataverse, service) = Arrange();
            dataverse.RegisterStep(Step("Create", "contact", PipelineStage.PreOperation), new DelegatePlugin((_, _) => throw new InvalidOperationException("bug")));

            var fault = AssertFault.Throws(DataverseErrorCodes.IsvUnexpected, () => service.Create(new Entity("contact")));

            StringAssert.Contains(fault.Message, "InvalidOperationException");
            Assert.AreEqual(0, dataverse.Rows("contact").Count);
        }

        [TestMethod]
        public void AsyncStepFailure_DoesNotFailTheCallerAndIsRecorded()
        {
            var (dataverse, service) = Arrange();
            dataverse.RegisterStep(
                Step("Create", "contact", PipelineStage.PostOperation, ExecutionMode.Asynchronous),
                new DelegatePlugin((_, _) => throw new InvalidPluginExecutionException("1Kosmos is unreachable.")));

            service.Create(new Entity("contact"));

            Assert.AreEqual(1, dataverse.Rows("contact").Count);
            var run = dataverse.PluginRuns.Single();
            Assert.IsFalse(run.Succeeded);
            Assert.AreEqual("1Kosmos is unreachable.", run.Error);
        }

        /// <summary>#20: a plug-in's own error code reaches the caller; without one the fault is IsvAborted, not the exception's HResult.</summary>
        [TestMethod]
        public void APluginsErrorCode_ReachesTheCaller_WithoutOneTheFaultIsIsvAborted()
        {
            var (dataverse, service) = Arrange();
            dataverse.RegisterStep(Step("Create", "contact", PipelineStage.PreOperation),
                new DelegatePlugin((_, _) => throw new InvalidPluginExecutionException(OperationStatus.Failed, DataverseErrorCodes.ObjectDoesNotExist, "gone")));
            dataverse.RegisterStep(Step("Update", "contact", PipelineStage.PreOperation), new DelegatePlugin((_, _) => throw new InvalidPluginExecutionException("no")));

            AssertFault.Throws(DataverseErrorCodes.ObjectDoesNotExist, () => service.Create(new Entity("contact")));
            var id = dataverse.Seed(new Entity("contact"))[0];
            AssertFault.Throws(DataverseErrorCodes.IsvAborted, () => service.Update(new Entity("contact", id)));
        }

        [TestMethod]
        public void RolledBackOperation_RunsNoneOfItsAsyncSteps()
        {
            var (dataverse, service) = Arrange();
            var asyncRuns = 0;
            dataverse.RegisterStep(Step("Create", "contact", PipelineStage.PostOperation, ExecutionMode.Asynchronous), new DelegatePlugin((_, _) => asyncRuns++));
            dataverse.RegisterStep(Step("Create", "contact", PipelineStage.PostOperation), new DelegatePlugin((_, _) => throw new InvalidPluginExecutionException("no")));

            AssertFault.Throws(DataverseErrorCodes.IsvAborted, () => service.Create(new Entity("contact")));

            Assert.AreEqual(0, asyncRuns);
        }

        [TestMethod]
        public void AsyncStep_GetsACopyOfTheTargetNotTheCallersEntity()
        {
            var (dataverse, service) = Arrange();
            Entity? seen = null;
            dataverse.RegisterStep(Step("Create", "contact", PipelineStage.PostOperation, ExecutionMode.Asynchronous), new DelegatePlugin((context, _) => seen = (Entity)context.InputParameters["Target"]));
            var target = new Entity("contact") { ["lastname"] = "Doe" };

            service.Create(target);

            Assert.AreNotSame(target, seen);
            Assert.AreEqual("Doe", seen!["lastname"]);
        }

        [TestMethod]
        public void ExecuteMultiple_EachRequestIsItsOwnTransaction()
        {
            var (dataverse, service) = Arrange();
            dataverse.RegisterStep(
                Step("Create", "contact", PipelineStage.PostOperation),
                new DelegatePlugin((context, _) =>
                {
                    if (((Entity)context.InputParameters["Target"]).GetAttributeValue<string>("lastname") == "Bad")
                    {
                        throw new InvalidPluginExecutionException("bad contact");
                    }
                }));
            var batch = new ExecuteMultipleRequest
            {
                Requests = new OrganizationRequestCollection(),
                Settings = new ExecuteMultipleSettings { ContinueOnError = true, ReturnResponses = false },
            };
            batch.Requests.AddRange(
                new CreateRequest { Target = new Entity("contact") { ["lastname"] = "Good" } },
                new CreateRequest { Target = new Entity("contact") { ["lastname"] = "Bad" } },
                new CreateRequest { Target = new Entity("contact") { ["lastname"] = "Also good" } });

            var response = (ExecuteMultipleResponse)service.Execute(batch);

            Assert.AreEqual(1, response.Responses.Single().RequestIndex);
            CollectionAssert.AreEqual(new[] { "Good", "Also good" }, dataverse.Rows("contact").Select(row => row["lastname"]).ToArray());
        }

        [TestMethod]
        public void DeleteStep_GetsThePreImageOfTheDeletedRow()
        {
            var (dataverse, service) = Arrange();
            var id = dataverse.Seed(new Entity("contact") { ["lastname"] = "Doe" })[0];
            Entity? image = null;
            var step = new StepRegistration
            {
                MessageName = "Delete",
                PrimaryEntity = "contact",
                Stage = PipelineStage.PostOperation,
                PluginTypeName = "Test",
                Images = new[] { new ImageRegistration { EntityAlias = "Before", Kind = ImageKind.PreImage } },
            };
            dataverse.RegisterStep(step, new DelegatePlugin((context, _) => image = context.PreEntityImages["Before"]));

            service.Delete("contact", id);

            Assert.AreEqual("Doe", image!["lastname"]);
            Assert.AreEqual(0, dataverse.Rows("contact").Count);
        }

        [TestMethod]
        [DataRow(PipelineStage.PreValidation)]
        [DataRow(PipelineStage.PreOperation)]
        public void UpdateStepBeforeTheOperation_GetsThePreImage(PipelineStage stage)
        {
            var (dataverse, service) = Arrange();
            var id = dataverse.Seed(new Entity("contact") { ["lastname"] = "Doe" })[0];
            Entity? image = null;
            var step = new StepRegistration
            {
                MessageName = "Update",
                PrimaryEntity = "contact",
                Stage = stage,
                PluginTypeName = "Test",
                Images = new[] { new ImageRegistration { EntityAlias = "Before", Kind = ImageKind.PreImage } },
            };
            dataverse.RegisterStep(step, new DelegatePlugin((context, _) => image = context.PreEntityImages["Before"]));

            service.Update(new Entity("contact", id) { ["lastname"] = "Roe" });

            Assert.AreEqual("Doe", image!["lastname"]);
        }
    }
}
