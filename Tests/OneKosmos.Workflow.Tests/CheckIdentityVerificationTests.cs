using System;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.Xrm.Sdk;
using OneKosmos.Sandbox.Dataverse;
using OneKosmos.Core.Verification;
using OneKosmos.Plugins.Dataverse;

namespace OneKosmos.Workflow.Tests
{
    /// <summary>The classic-workflow step: its service against the sandbox, and its shape as Dataverse reads it.</summary>
    [TestClass]
    public sealed class CheckIdentityVerificationTests
    {
        private static readonly int Verified = Choices.Of(VerificationStatus.Verified).Value;

        private InMemoryDataverse _dataverse = null!;
        private IOrganizationService _service = null!;
        private Guid _contact;

        [TestInitialize]
        public void Arrange()
        {
            // The solution's tables without its plug-in steps: the activity only reads stored rows.
            _dataverse = InMemoryDataverse.FromSolution(RepositoryPaths.SolutionSource, new InMemoryDataverseOptions { OrganizationId = Guid.NewGuid() });
            _service = _dataverse.CreateOrganizationService(null);
            _contact = _dataverse.Seed(new Entity("contact") { ["lastname"] = "Doe" })[0];
        }

        private IdentityVerificationResult Check() =>
            IdentityVerificationCheck.Run(_service, _service, _dataverse.Options.OrganizationId, _contact, SystemClock.Instance);

        private void Seed(int journey, int? level, DateTime? verifiedAt, DateTime? stepUpAt) =>
            _dataverse.Seed(new Entity("okos_verification")
            {
                ["okos_contactid"] = new EntityReference("contact", _contact),
                ["okos_journey"] = new OptionSetValue(journey),
                ["okos_status"] = new OptionSetValue(Verified),
                ["okos_iallevel"] = level is null ? null : new OptionSetValue(level.Value),
                ["okos_verifiedat"] = verifiedAt,
                ["okos_laststepupat"] = stepUpAt,
                ["okos_sessionid"] = Guid.NewGuid().ToString(),
                ["okos_reservationkey"] = Guid.NewGuid().ToString(),
            });

        [TestMethod]
        public void NeverVerified_IsNotVerified()
        {
            var result = Check();

            Assert.IsFalse(result.IsVerified);
            Assert.AreEqual("", result.IalLevel);
            Assert.IsFalse(result.StepUpFresh);
        }

        [TestMethod]
        public void VerifiedAtIal2WithARecentStepUp_IsVerifiedAndFresh()
        {
            Seed(Choices.Of(Journey.IdentityProofing).Value, Choices.Of(AssuranceLevel.IAL2).Value, DateTime.UtcNow.AddDays(-2), null);
            Seed(Choices.Of(Journey.LiveIdStepUp).Value, null, null, DateTime.UtcNow.AddMinutes(-5));

            var result = Check();

            Assert.IsTrue(result.IsVerified);
            Assert.AreEqual("IAL2", result.IalLevel);
            Assert.IsTrue(result.StepUpFresh);
        }

        [TestMethod]
        public void AStepUpOlderThanThePolicy_IsNotFresh_AndAnOldProofingNotVerified()
        {
            Seed(Choices.Of(Journey.IdentityProofing).Value, Choices.Of(AssuranceLevel.IAL1).Value, DateTime.UtcNow.AddDays(-400), null);
            Seed(Choices.Of(Journey.LiveIdStepUp).Value, null, null, DateTime.UtcNow.AddHours(-2));

            var result = Check();

            Assert.IsFalse(result.IsVerified);
            Assert.IsFalse(result.StepUpFresh);
        }

        [TestMethod]
        public void AWorkflowRunningAsAUserWhoMayNotReadTheContact_LearnsNothingAboutThem()
        {
            Seed(Choices.Of(Journey.IdentityProofing).Value, Choices.Of(AssuranceLevel.IAL2).Value, DateTime.UtcNow.AddDays(-2), DateTime.UtcNow);
            var branch = _dataverse.AddBusinessUnit("Branch");
            var outsider = _dataverse.AddUser("Outsider", new[] { "Verification Agent", "Salesperson" }, businessUnit: branch);
            var colleague = _dataverse.AddUser("Colleague", new[] { "Verification Agent", "Salesperson" });
            _dataverse.Overwrite(new Entity("contact", _contact) { ["ownerid"] = new EntityReference("systemuser", colleague) });

            var refused = Assert.ThrowsExactly<InvalidPluginExecutionException>(() =>
                IdentityVerificationCheck.Run(_dataverse.CreateOrganizationService(outsider), _service, _dataverse.Options.OrganizationId, _contact, SystemClock.Instance));
            var answered = IdentityVerificationCheck.Run(_dataverse.CreateOrganizationService(colleague), _service, _dataverse.Options.OrganizationId, _contact, SystemClock.Instance);

            StringAssert.Contains(refused.Message, "may not read contact");
            Assert.IsFalse(refused.Message.Contains("IAL2", StringComparison.Ordinal));
            Assert.IsTrue(answered.IsVerified);
        }

        [TestMethod]
        public void TheActivity_HasTheShapeTheWorkflowDesignerReads()
        {
            using var context = MetadataContext();
            var activity = context.LoadFromAssemblyPath(WorkflowAssemblyPath).GetType("OneKosmos.Workflow.CheckIdentityVerification", throwOnError: true)!;

            Assert.IsTrue(activity.IsPublic && activity.IsSealed);
            Assert.AreEqual("System.Activities.CodeActivity", activity.BaseType!.FullName);
            Assert.IsNotNull(activity.GetConstructor(Type.EmptyTypes));
            AssertArgument(activity, "Contact", "System.Activities.InArgument`1", "Microsoft.Xrm.Sdk.EntityReference", "InputAttribute", "Contact");
            Assert.AreEqual("contact", Attribute(activity.GetProperty("Contact")!, "ReferenceTargetAttribute"));
            Assert.IsTrue(activity.GetProperty("Contact")!.GetCustomAttributesData().Any(data => data.AttributeType.Name == "RequiredArgumentAttribute"));
            AssertArgument(activity, "IsVerified", "System.Activities.OutArgument`1", "System.Boolean", "OutputAttribute", "Is Verified");
            AssertArgument(activity, "IalLevel", "System.Activities.OutArgument`1", "System.String", "OutputAttribute", "IAL Level");
            AssertArgument(activity, "StepUpFresh", "System.Activities.OutArgument`1", "System.Boolean", "OutputAttribute", "Step-up Fresh");
        }

        [TestMethod]
        public void TheAssembly_IsStrongNamedAndNeedsNothingButTheFrameworkAndTheSdk()
        {
            using var context = MetadataContext();
            var assembly = context.LoadFromAssemblyPath(WorkflowAssemblyPath);

            Assert.AreEqual("24a6ffb2c91c365a", Convert.ToHexString(assembly.GetName().GetPublicKeyToken()!).ToLowerInvariant());
            var references = assembly.GetReferencedAssemblies().Select(reference => reference.Name!).ToArray();
            CollectionAssert.AreEquivalent(
                Array.Empty<string>(),
                references.Where(name => name != "mscorlib" && name != "System" && !name.StartsWith("System.", StringComparison.Ordinal) && !name.StartsWith("Microsoft.Xrm.Sdk", StringComparison.Ordinal)).ToArray(),
                string.Join(", ", references));
        }

        private static void AssertArgument(Type activity, string name, string argumentType, string valueType, string attribute, string label)
        {
            var property = activity.GetProperty(name) ?? throw new AssertFailedException($"{name} is missing");
            Assert.AreEqual(argumentType, property.PropertyType.GetGenericTypeDefinition().FullName, name);
            Assert.AreEqual(valueType, property.PropertyType.GetGenericArguments()[0].FullName, name);
            Assert.AreEqual(label, Attribute(property, attribute), name);
        }

        private static string? Attribute(PropertyInfo property, string attribute) =>
            property.GetCustomAttributesData().SingleOrDefault(data => data.AttributeType.Name == attribute)?.ConstructorArguments[0].Value as string;

        private static string WorkflowAssemblyPath => Path.Combine(AppContext.BaseDirectory, "OneKosmos.Workflow.dll");

        /// <remarks>The assembly targets .NET Framework (System.Activities does not exist on .NET 10): it is read, never loaded.</remarks>
        private static MetadataLoadContext MetadataContext()
        {
            var references = typeof(CheckIdentityVerificationTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(attribute => attribute.Key == "Net462ReferenceAssemblies").Value!;
            var framework = Directory.GetFiles(references, "*.dll").Concat(Directory.GetFiles(Path.Combine(references, "Facades"), "*.dll"));
            var sdk = new[] { "Microsoft.Xrm.Sdk.dll", "Microsoft.Xrm.Sdk.Workflow.dll" }.Select(name => Path.Combine(AppContext.BaseDirectory, name));
            return new MetadataLoadContext(new PathAssemblyResolver(framework.Concat(sdk).Append(WorkflowAssemblyPath)), "mscorlib");
        }
    }
}
