using System;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.PluginTelemetry;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Sandbox.Dataverse.Plugins;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Dataverse.Tests.Plugins
{
    [TestClass]
    public sealed class PluginExecutionTests
    {
        /// <summary>Writes a note about its target as the calling user and one as SYSTEM, tracing as it goes.</summary>
        private sealed class NotePlugin : IPlugin
        {
            public void Execute(IServiceProvider serviceProvider)
            {
                var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
                var tracing = (ITracingService)serviceProvider.GetService(typeof(ITracingService))!;
                var factory = (IOrganizationServiceFactory)serviceProvider.GetService(typeof(IOrganizationServiceFactory))!;
                var target = (Entity)context.InputParameters["Target"];
                tracing.Trace("{0} of {1} at depth {2}", context.MessageName, target.LogicalName, context.Depth);
                factory.CreateOrganizationService(context.UserId).Create(new Entity("annotation") { ["subject"] = "as user" });
                factory.CreateOrganizationService(null).Create(new Entity("annotation") { ["subject"] = "as system" });
                context.SharedVariables["noted"] = true;
            }
        }

        [TestMethod]
        public void Builder_Defaults_FollowThePlatform()
        {
            var dataverse = TestDataverse.Create();

            var context = dataverse.NewPluginContext().ForMessage("Update", "contact", Guid.NewGuid()).AtStage(PipelineStage.PreOperation).Build();

            Assert.AreEqual(1, context.Depth);
            Assert.AreEqual(20, context.Stage);
            Assert.AreEqual(0, context.Mode);
            Assert.IsTrue(context.IsInTransaction);
            Assert.AreEqual(dataverse.Options.DefaultUserId, context.UserId);
            Assert.AreEqual(context.UserId, context.InitiatingUserId);
            Assert.AreEqual(dataverse.Options.OrganizationId, context.OrganizationId);
            Assert.AreNotEqual(Guid.Empty, context.CorrelationId);
            Assert.AreEqual(TestDataverse.Start.UtcDateTime, context.OperationCreatedOn);
        }

        [TestMethod]
        public void Builder_AsyncAndPreValidationSteps_RunOutsideTheTransaction()
        {
            var dataverse = TestDataverse.Create();

            var asynchronous = dataverse.NewPluginContext().ForMessage("Create", "contact").AtStage(PipelineStage.PostOperation, ExecutionMode.Asynchronous).Build();
            var preValidation = dataverse.NewPluginContext().ForMessage("Create", "contact").AtStage(PipelineStage.PreValidation).Build();

            Assert.IsFalse(asynchronous.IsInTransaction);
            Assert.AreEqual(1, asynchronous.Mode);
            Assert.IsFalse(preValidation.IsInTransaction);
        }

        [TestMethod]
        public void Builder_CarriesImagesParametersAndParent()
        {
            var dataverse = TestDataverse.Create();
            var parent = dataverse.NewPluginContext().ForMessage("Win", "opportunity").AtStage(PipelineStage.PreOperation).Build();
            var pre = new Entity("contact") { ["lastname"] = "Before" };
            var post = new Entity("contact") { ["lastname"] = "After" };

            var context = dataverse.NewPluginContext()
                .ForMessage("Update", "contact")
                .AtStage(PipelineStage.PostOperation)
                .WithInput("Target", post)
                .WithOutput("Result", 7)
                .WithPreImage("PreImage", pre)
                .WithPostImage("PostImage", post)
                .WithSharedVariable("okos.trigger", "stage")
                .WithParent(parent)
                .WithDepth(2)
                .AsUser(Guid.Parse("aaaaaaaa-0000-0000-0000-000000000001"), Guid.Parse("bbbbbbbb-0000-0000-0000-000000000002"))
                .Build();

            Assert.AreSame(post, context.InputParameters["Target"]);
            Assert.AreEqual(7, context.OutputParameters["Result"]);
            Assert.AreSame(pre, context.PreEntityImages["PreImage"]);
            Assert.AreSame(post, context.PostEntityImages["PostImage"]);
            Assert.AreEqual("stage", context.SharedVariables["okos.trigger"]);
            Assert.AreSame(parent, context.ParentContext);
            Assert.AreEqual(parent.CorrelationId, context.CorrelationId);
            Assert.AreEqual(2, context.Depth);
            Assert.AreNotEqual(context.UserId, context.InitiatingUserId);
        }

        [TestMethod]
        public void Builder_WithoutStage_RefusesToBuild()
        {
            var dataverse = TestDataverse.Create();

            Assert.ThrowsExactly<InvalidOperationException>(() => dataverse.NewPluginContext().ForMessage("Create", "contact").Build());
        }

        [TestMethod]
        public void ExecutePlugin_GivesThePluginItsServicesAndRecordsTraces()
        {
            var dataverse = TestDataverse.Create();
            var user = Guid.Parse("cccccccc-0000-0000-0000-000000000003");
            var context = dataverse.NewPluginContext()
                .ForMessage("Create", "contact")
                .AtStage(PipelineStage.PostOperation)
                .WithInput("Target", new Entity("contact"))
                .AsUser(user)
                .Build();

            var services = dataverse.ExecutePlugin(new NotePlugin(), context);

            CollectionAssert.AreEqual(new[] { "Create of contact at depth 1" }, services.Tracing.Lines as System.Collections.ICollection);
            Assert.AreEqual(true, context.SharedVariables["noted"]);
            var notes = dataverse.Rows("annotation");
            Assert.AreEqual(new EntityReference("systemuser", user), notes[0]["createdby"]);
            Assert.AreEqual(new EntityReference("systemuser", dataverse.Options.SystemUserId), notes[1]["createdby"]);
        }

        [TestMethod]
        public void ServiceProvider_UnknownService_IsNull()
        {
            var dataverse = TestDataverse.Create();
            var services = dataverse.CreateServiceProvider(dataverse.NewPluginContext().ForMessage("Create", "contact").AtStage(PipelineStage.PostOperation).Build());

            Assert.IsNull(services.GetService(typeof(IServiceEndpointNotificationServiceStandIn)));
            Assert.IsInstanceOfType<ILogger>(services.GetService(typeof(ILogger)));
        }

        [TestMethod]
        public void Tracing_WithoutArguments_KeepsBracesAsWritten()
        {
            var tracing = new RecordingTracingService();

            tracing.Trace("payload {not a placeholder}");
            tracing.Trace("{0} rows", 3);

            CollectionAssert.AreEqual(new[] { "payload {not a placeholder}", "3 rows" }, (System.Collections.ICollection)tracing.Lines);
        }

        [TestMethod]
        public void Logger_RecordsLevelAndFormattedMessage()
        {
            var logger = new RecordingLogger();

            logger.LogWarning("{0} pending", 2);
            logger.LogError(new InvalidOperationException("x"), "failed");

            Assert.AreEqual(LogLevel.Warning, logger.Entries[0].Level);
            Assert.AreEqual("2 pending", logger.Entries[0].Message);
            Assert.IsInstanceOfType<InvalidOperationException>(logger.Entries[1].Exception);
        }

        [TestMethod]
        public void UserService_SeesTheSameStoreAsSystemService()
        {
            var dataverse = TestDataverse.Create();
            var id = dataverse.CreateOrganizationService(Guid.NewGuid()).Create(new Entity("contact") { ["lastname"] = "Doe" });

            Assert.AreEqual("Doe", dataverse.CreateOrganizationService(null).Retrieve("contact", id, new ColumnSet("lastname"))["lastname"]);
        }

        private interface IServiceEndpointNotificationServiceStandIn
        {
        }
    }
}
