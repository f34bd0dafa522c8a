using System;
using System.Linq;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using OneKosmos.Sandbox.BlockId;
using OneKosmos.Sandbox.Dataverse;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Core.Verification;

namespace OneKosmos.CustomApis.Tests
{
    /// <summary>The shipped solution in the sandbox with a 1Kosmos connection, a contact, and helpers to call the APIs as a flow does.</summary>
    public abstract class ApiTestBase
    {
        protected static readonly int Pending = Choices.Of(VerificationStatus.Pending).Value;
        protected static readonly int Verified = Choices.Of(VerificationStatus.Verified).Value;
        protected static readonly int Failed = Choices.Of(VerificationStatus.Failed).Value;
        protected static readonly int Expired = Choices.Of(VerificationStatus.Expired).Value;

        internal ProductSandbox Product { get; private set; } = null!;

        protected BlockIdSimulator Simulator => Product.Simulator;

        protected InMemoryDataverse Dataverse => Product.Dataverse;

        protected IOrganizationService Service => Product.Service;

        protected Guid Contact { get; private set; }

        [TestInitialize]
        public void ArrangeProduct() => Arrange(_ => { });

        /// <summary>A fresh product with <paramref name="configure"/> applied before anything runs (settings are read once and kept).</summary>
        private protected void Arrange(Action<ProductSandbox> configure)
        {
            Product = new ProductSandbox();
            Product.Connect();
            configure(Product);
            Contact = Service.Create(new Entity("contact") { ["firstname"] = "Jane", ["lastname"] = "Doe", ["fullname"] = "Jane Doe", ["emailaddress1"] = "jane.doe@example.com" });
        }

        protected OrganizationResponse Call(string api, params (string Name, object? Value)[] parameters) => Product.Call(api, null, parameters);

        protected OrganizationResponse CallAs(Guid caller, string api, params (string Name, object? Value)[] parameters) => Product.Call(api, caller, parameters);

        protected EntityReference ContactRef => new("contact", Contact);

        protected Entity[] Verifications => Product.Verifications;

        protected Entity[] Receipts => Dataverse.Rows("okos_callbackreceipt").ToArray();

        protected Entity[] Notes => Dataverse.Rows("annotation").ToArray();

        /// <summary>The fault a call ends with: what a flow's run history shows.</summary>
        protected static FaultException<OrganizationServiceFault> Refused(Action call) =>
            Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(call);

        protected static string AllTraces(InMemoryDataverse dataverse) =>
            string.Join("\n", dataverse.PluginRuns.SelectMany(run => run.TraceLines.Concat(new[] { run.Error ?? "" })));
    }
}
