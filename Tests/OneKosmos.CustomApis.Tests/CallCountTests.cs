using System;
using System.Globalization;
using System.Linq;
using Microsoft.Xrm.Sdk;
using OneKosmos.Core.Callbacks;
using OneKosmos.Plugins.Steps;
using OneKosmos.Sandbox.BlockId;
using OneKosmos.Sandbox.Dataverse;
using OneKosmos.Sandbox.Dataverse.Pipeline;
using OneKosmos.Sandbox.Dataverse.Plugins;
using OneKosmos.Solution.Model;

namespace OneKosmos.CustomApis.Tests
{
    /// <summary>
    /// What each path costs in Dataverse calls, with the settings cache warm: pinned, so a change that adds a call fails here
    /// until someone justifies it and updates the count (and docs/benchmarks.md). Goals: start ≤ 6, callback ≤ 7 (the seventh
    /// raises the business event okos_VerificationEnded, so subscribers need not poll), status 1
    /// when nothing is stale, gate ≤ 2.
    /// </summary>
    [TestClass]
    public sealed class CallCountTests
    {
        private ProductSandbox Product = null!;

        private BlockIdSimulator Simulator => Product.Simulator;

        private InMemoryDataverse Dataverse => Product.Dataverse;

        private IOrganizationService Service => Product.Service;

        private EntityReference ContactRef = null!;

        /// <remarks>Settings are cached for a minute once read: each test sets its own before anything runs.</remarks>
        private void Given(params (string Variable, string Value)[] settings)
        {
            Product = new ProductSandbox();
            foreach (var (variable, value) in settings)
            {
                Product.Set(variable, value);
            }
            Product.Connect();
            ContactRef = new EntityReference("contact", NewContact("Doe"));
        }

        private OrganizationResponse Call(string api, params (string Name, object? Value)[] parameters) => Product.Call(api, null, parameters);

        private Guid NewContact(string last) =>
            Service.Create(new Entity("contact") { ["firstname"] = "Sam", ["lastname"] = last, ["emailaddress1"] = $"{last}@example.com" });

        private CallLog Measure(Action operation)
        {
            var log = Dataverse.StartCallLog();
            try
            {
                operation();
            }
            finally
            {
                log.Dispose();
            }
            return log;
        }

        /// <summary>Pins the calls, and keeps them in test-results/call-counts for docs/benchmarks.md (the benchmark driver reads them).</summary>
        private static void AssertCalls(CallLog log, string[] expected, [System.Runtime.CompilerServices.CallerMemberName] string path = "")
        {
            var folder = System.IO.Path.Combine(RepositoryPaths.Root, "Tests", "OneKosmos.CustomApis.Tests", "test-results", "call-counts");
            System.IO.Directory.CreateDirectory(folder);
            System.IO.File.WriteAllLines(System.IO.Path.Combine(folder, path + ".txt"), log.Calls);
            CollectionAssert.AreEqual(expected, log.Calls.ToArray(), $"The path's Dataverse calls changed; today it makes:{Environment.NewLine}{log}");
        }

        /// <summary>One verification through start, capture and signed callback: settings, tenant keys and the connection get cached.</summary>
        private void Warm()
        {
            var contact = new EntityReference("contact", NewContact("Warm"));
            var started = Call("okos_StartVerification", ("Subject", contact));
            Simulator.Complete((string)started["SessionId"], CaptureOutcome.PassWithSelfie);
            Deliver((string)started["SessionId"], "warm-1");
            Call("okos_GetVerificationStatus", ("Subject", contact));
        }

        private OrganizationResponse Deliver(string session, string id)
        {
            var body = $"{{\"type\":\"blockid.idv\",\"id\":\"{id}\",\"sessionId\":\"{session}\",\"occurredAt\":\"2026-11-27T08:00:00Z\",\"data\":{{}}}}";
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            return Call("okos_ProcessVerificationCallback", ("Payload", body), ("MessageId", id),
                ("Timestamp", timestamp.ToString(CultureInfo.InvariantCulture)), ("Signature", WebhookSignature.Sign(ProductSandbox.SigningSecret, id, timestamp, body)));
        }

        [TestMethod]
        public void StartOnContactCreate()
        {
            Given(("okos_VerifyOnContactCreate", "yes"));
            Warm();

            var log = Measure(() => NewContact("Measured"));

            AssertCalls(log, new[] { "Retrieve contact", "RetrieveMultiple okos_verification", "Create okos_verification", "Create annotation", "Update okos_verification" });
        }

        [TestMethod]
        public void StartOnStageChange()
        {
            Given(("okos_VerificationStages", """["Propose"]"""));
            Warm();
            var opportunity = Service.Create(new Entity("opportunity") { ["name"] = "Loan", ["parentcontactid"] = ContactRef });

            var log = Measure(() => Service.Update(new Entity("opportunity", opportunity) { ["stepname"] = "Propose" }));

            AssertCalls(log, new[] { "Retrieve contact", "RetrieveMultiple okos_verification", "Create okos_verification", "Create annotation", "Create annotation", "Update okos_verification" });
        }

        /// <remarks>The last read is the capture link as the caller, so field security decides whether it comes back.</remarks>
        [TestMethod]
        public void StartByTheApi()
        {
            Given();
            Warm();

            var log = Measure(() => Call("okos_StartVerification", ("Subject", ContactRef)));

            AssertCalls(log, new[] { "Retrieve contact", "RetrieveMultiple okos_verification", "Create okos_verification", "Create annotation", "Update okos_verification", "Retrieve okos_verification" });
        }

        [TestMethod]
        public void Callback()
        {
            Given();
            Warm();
            var started = Call("okos_StartVerification", ("Subject", ContactRef));
            Simulator.Complete((string)started["SessionId"], CaptureOutcome.PassWithSelfie);

            var log = Measure(() => Assert.AreEqual("Applied", Deliver((string)started["SessionId"], "measured-1")["Outcome"]));

            AssertCalls(log, new[] { "RetrieveMultiple okos_callbackreceipt", "RetrieveMultiple okos_verification", "Create okos_callbackreceipt", "Retrieve okos_verification", "Update okos_verification", "okos_VerificationEnded", "Create annotation" });
        }

        /// <remarks>
        /// Goal 1, today 2: the caller's own read of the contact is the access check (and gives the name); the verification
        /// rows are read with system rights so the standing never depends on which rows the caller may see. One query as
        /// the caller, contact with its verifications linked, would make that dependence: not worth one call.
        /// </remarks>
        [TestMethod]
        public void StatusWhenNothingIsStale()
        {
            Given();
            Warm();
            var started = Call("okos_StartVerification", ("Subject", ContactRef));
            Simulator.Complete((string)started["SessionId"], CaptureOutcome.PassWithSelfie);
            Deliver((string)started["SessionId"], "measured-2");

            var log = Measure(() => Assert.AreEqual("Verified", Call("okos_GetVerificationStatus", ("Subject", ContactRef))["Status"]));

            AssertCalls(log, new[] { "Retrieve contact", "RetrieveMultiple okos_verification" });
        }

        private Guid GatedOpportunity()
        {
            Given(("okos_GatePolicy", """[{"table":"opportunity","message":"Win","threshold":"estimatedvalue >= 100000","requireStepUp":false}]"""));
            Warm();
            return Service.Create(new Entity("opportunity") { ["name"] = "Mortgage", ["parentcontactid"] = ContactRef, ["estimatedvalue"] = new Money(250_000m) });
        }

        private void Win(Guid opportunity) =>
            Service.Execute(new OrganizationRequest("Win")
            {
                ["OpportunityClose"] = new Entity("opportunityclose") { ["opportunityid"] = new EntityReference("opportunity", opportunity), ["subject"] = "Won" },
                ["Status"] = new OptionSetValue(3),
            });

        [TestMethod]
        public void GateAllowingAWin()
        {
            var opportunity = GatedOpportunity();
            var started = Call("okos_StartVerification", ("Subject", ContactRef));
            Simulator.Complete((string)started["SessionId"], CaptureOutcome.PassWithSelfie);
            Deliver((string)started["SessionId"], "measured-3");

            var log = Measure(() => Win(opportunity));

            AssertCalls(log, new[] { "Retrieve opportunity", "RetrieveMultiple okos_verification" });
        }

        /// <remarks>
        /// A refusal also reads the contact's name for its message, reads the record as the caller (the refusal names the
        /// contact, and pre-validation comes before the platform's access checks) and publishes the business event okos_GateRefused.
        /// </remarks>
        [TestMethod]
        public void GateBlockingAWin()
        {
            var opportunity = GatedOpportunity();

            var log = Measure(() => Assert.ThrowsExactly<System.ServiceModel.FaultException<OrganizationServiceFault>>(() => Win(opportunity)));

            AssertCalls(log, new[] { "Retrieve opportunity", "RetrieveMultiple okos_verification", "Retrieve contact", "Retrieve opportunity", "okos_GateRefused" });
        }
    }
}
