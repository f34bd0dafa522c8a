using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Plugins.Steps;
using OneKosmos.Sandbox.Dataverse;
using OneKosmos.Sandbox.Dataverse.Plugins;
using OneKosmos.Solution.Model;

namespace OneKosmos.Plugins.Tests.Steps
{
    [TestClass]
    public sealed class PluginBaseTests
    {
        private const string Secret = "license-key-4f1c2a";

        private sealed class DelegatePlugin : PluginBase
        {
            private readonly Action<LocalPluginContext> _body;

            public DelegatePlugin(Action<LocalPluginContext> body)
            {
                _body = body;
            }

            protected override void ExecuteDataversePlugin(LocalPluginContext context) => _body(context);
        }

        private static (InMemoryDataverse Dataverse, SandboxPluginExecutionContext Context) Arrange(Guid? userId = null)
        {
            var dataverse = new InMemoryDataverse();
            var builder = dataverse.NewPluginContext().ForMessage("Create", "contact", Guid.NewGuid()).AtStage(PipelineStage.PostOperation, ExecutionMode.Asynchronous);
            if (userId.HasValue)
            {
                builder.AsUser(userId.Value);
            }
            return (dataverse, builder.Build());
        }

        [TestMethod]
        public void Execute_AStepRegisteredOnTheWrongMessage_IsRefusedNamingWhereItBelongs()
        {
            var (dataverse, _) = Arrange();
            var wrong = dataverse.NewPluginContext().ForMessage("Update", "account", Guid.NewGuid()).AtStage(PipelineStage.PostOperation, ExecutionMode.Asynchronous).Build();

            var refused = Assert.ThrowsExactly<InvalidPluginExecutionException>(() => dataverse.ExecutePlugin(new StartVerificationOnContactCreate(), wrong));

            StringAssert.Contains(refused.Message, "is registered on Update of account");
            StringAssert.Contains(refused.Message, "written for Create of contact");
        }

        [TestMethod]
        public void Execute_ACustomApiClassRunAsAnotherApi_IsRefused()
        {
            var (dataverse, _) = Arrange();
            var other = dataverse.NewPluginContext().ForMessage("okos_GetVerificationStatus").AtStage(PipelineStage.MainOperation, ExecutionMode.Synchronous).Build();

            var refused = Assert.ThrowsExactly<InvalidPluginExecutionException>(() => dataverse.ExecutePlugin(new CustomApis.StartVerification(), other));

            StringAssert.Contains(refused.Message, "written for the custom API okos_StartVerification");
        }

        [TestMethod]
        public void Execute_TracesWhatItRunsForFirst()
        {
            var (dataverse, context) = Arrange();

            var services = dataverse.ExecutePlugin(new DelegatePlugin(_ => { }), context);

            var first = services.Tracing.Lines.First();
            StringAssert.Contains(first, "Create of contact");
            StringAssert.Contains(first, "stage 40");
            StringAssert.Contains(first, context.CorrelationId.ToString());
        }

        [TestMethod]
        public void Execute_UserAndSystemServices_ActAsCallerAndSystem()
        {
            var user = Guid.Parse("e1e1e1e1-0000-0000-0000-000000000001");
            var (dataverse, context) = Arrange(user);

            dataverse.ExecutePlugin(
                new DelegatePlugin(local =>
                {
                    local.UserService.Create(new Entity("annotation") { ["subject"] = "user" });
                    local.SystemService.Create(new Entity("annotation") { ["subject"] = "system" });
                }),
                context);

            var notes = dataverse.Rows("annotation");
            Assert.AreEqual(user, notes[0].GetAttributeValue<EntityReference>("createdby").Id);
            Assert.AreEqual(dataverse.Options.SystemUserId, notes[1].GetAttributeValue<EntityReference>("createdby").Id);
        }

        [TestMethod]
        public void Execute_ResolvesLoggerWhereThePlatformProvidesOne()
        {
            var (dataverse, context) = Arrange();

            var services = dataverse.ExecutePlugin(new DelegatePlugin(local => local.Logger!.LogInformation("started")), context);

            Assert.AreEqual("started", services.Logger.Entries.Single().Message);
        }

        [TestMethod]
        public void Execute_InvalidPluginExecutionException_PassesThroughUnchanged()
        {
            var (dataverse, context) = Arrange();
            var thrown = new InvalidPluginExecutionException("Contact Jane Doe needs IAL2 verification.");

            var caught = Assert.ThrowsExactly<InvalidPluginExecutionException>(
                () => dataverse.ExecutePlugin(new DelegatePlugin(_ => throw thrown), context));

            Assert.AreSame(thrown, caught);
        }

        [TestMethod]
        public void Execute_UnexpectedException_IsWrappedWithoutItsMessage()
        {
            var (dataverse, context) = Arrange();
            var services = dataverse.CreateServiceProvider(context);
            var plugin = new DelegatePlugin(_ => throw new InvalidOperationException($"call to https://tenant.example/?key={Secret} failed"));

            var caught = Assert.ThrowsExactly<InvalidPluginExecutionException>(() => plugin.Execute(services));

            StringAssert.Contains(caught.Message, nameof(InvalidOperationException));
            StringAssert.Contains(caught.Message, context.CorrelationId.ToString());
            Assert.IsNull(caught.InnerException);
            Assert.IsFalse(caught.Message.Contains(Secret, StringComparison.Ordinal));
            Assert.IsFalse(services.Tracing.Text.Contains(Secret, StringComparison.Ordinal));
            StringAssert.Contains(services.Tracing.Text, typeof(InvalidOperationException).FullName);
        }

        [TestMethod]
        public void Execute_OrganizationServiceFault_KeepsItsErrorCode()
        {
            var (dataverse, context) = Arrange();
            var plugin = new DelegatePlugin(local => local.UserService.Retrieve("contact", Guid.NewGuid(), new ColumnSet(true)));

            var caught = Assert.ThrowsExactly<InvalidPluginExecutionException>(() => dataverse.ExecutePlugin(plugin, context));

            Assert.AreEqual(DataverseErrorCodes.ObjectDoesNotExist, caught.ErrorCode);
            StringAssert.Contains(caught.Message, "Does Not Exist");
            StringAssert.Contains(caught.Message, context.CorrelationId.ToString());
        }

        [TestMethod]
        public void Execute_TraceWithBraces_IsWrittenAsItIs()
        {
            var (dataverse, context) = Arrange();

            var services = dataverse.ExecutePlugin(new DelegatePlugin(local => local.Trace("payload {\"id\": 1}")), context);

            Assert.AreEqual("payload {\"id\": 1}", services.Tracing.Lines.Last());
        }

        [TestMethod]
        public void Execute_WithoutExecutionContext_SaysWhatIsMissing()
        {
            var dataverse = new InMemoryDataverse();
            var plugin = new DelegatePlugin(_ => Assert.Fail("must not run"));
            var tracing = new RecordingTracingService();
            IServiceProvider services = new ServiceMap(type => type == typeof(ITracingService) ? tracing : type == typeof(IOrganizationServiceFactory) ? dataverse : null);

            var caught = Assert.ThrowsExactly<InvalidPluginExecutionException>(() => plugin.Execute(services));

            StringAssert.Contains(caught.Message, nameof(IPluginExecutionContext));
        }

        [TestMethod]
        public void Execute_WithoutServiceProvider_RefusesWithAClearMessage()
        {
            var plugin = new DelegatePlugin(_ => Assert.Fail("must not run"));

            var caught = Assert.ThrowsExactly<InvalidPluginExecutionException>(() => plugin.Execute(null!));

            StringAssert.Contains(caught.Message, "service provider");
        }

        [TestMethod]
        public void Execute_OrganizationServicesAreCreatedOnlyWhenUsed()
        {
            var (dataverse, context) = Arrange();
            var created = 0;
            var inner = dataverse.CreateServiceProvider(context);
            IServiceProvider services = new ServiceMap(type => type == typeof(IOrganizationServiceFactory) ? new CountingFactory(dataverse, () => created++) : inner.GetService(type));

            new DelegatePlugin(_ => { }).Execute(services);
            new DelegatePlugin(local => { _ = local.UserService; _ = local.UserService; }).Execute(services);

            Assert.AreEqual(1, created);
        }

        private sealed class ServiceMap : IServiceProvider
        {
            private readonly Func<Type, object?> _resolve;

            public ServiceMap(Func<Type, object?> resolve)
            {
                _resolve = resolve;
            }

            public object? GetService(Type serviceType) => _resolve(serviceType);
        }

        private sealed class CountingFactory : IOrganizationServiceFactory
        {
            private readonly IOrganizationServiceFactory _inner;
            private readonly Action _onCreate;

            public CountingFactory(IOrganizationServiceFactory inner, Action onCreate)
            {
                _inner = inner;
                _onCreate = onCreate;
            }

            public IOrganizationService CreateOrganizationService(Guid? userId)
            {
                _onCreate();
                return _inner.CreateOrganizationService(userId);
            }
        }
    }
}
