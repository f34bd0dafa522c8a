using System;
using System.Linq;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using OneKosmos.Sandbox.Dataverse;
using OneKosmos.Sandbox.Host.Flows;
using OneKosmos.Tests.Shared;

namespace OneKosmos.Sandbox.Host.Tests.Flows
{
    /// <summary>
    /// #23: the fault paths of the flows the solution ships (Solution/src/Workflows), run by the sandbox's runner against the
    /// in-memory Dataverse with the custom APIs answering through recorded handlers; the happy paths are the flow scenarios.
    /// </summary>
    [TestClass]
    public sealed class ShippedFlowTests
    {
        private const string AdministratorsQueue = "Verification administrators";

        private static CloudFlow Shipped(string name) => CloudFlow.LoadAll(RepositoryPaths.SolutionSource).Single(flow => flow.Name == name);

        private static (InMemoryDataverse Dataverse, FlowRunner Runner, Guid Account) Environment(string api, Func<OrganizationRequest, OrganizationResponse> answer)
        {
            var dataverse = InMemoryDataverse.FromSolution(RepositoryPaths.SolutionSource);
            dataverse.RegisterMessage(api, answer);
            var account = dataverse.AddUser("Flows' connection", new[] { "Verification Administrator", "Salesperson" });
            return (dataverse, new FlowRunner(dataverse, account), account);
        }

        private static Guid AdministratorsQueueIn(InMemoryDataverse dataverse)
        {
            dataverse.SetEnvironmentVariable("okos_AdministratorsQueue", AdministratorsQueue);
            return dataverse.Seed(new Entity("queue") { ["name"] = AdministratorsQueue, ["emailaddress"] = "admins@example.com" })[0];
        }

        private static FaultException<OrganizationServiceFault> Fault(string message) => new(new OrganizationServiceFault { Message = message }, message);

        [TestMethod]
        public void Reconcile_WhenTheApiFails_EmailsTheAdministratorsQueueWithTheFailure()
        {
            var (dataverse, runner, _) = Environment("okos_ReconcileVerifications", _ => throw Fault("No 1Kosmos connection is set up."));
            var queue = AdministratorsQueueIn(dataverse);
            runner.Attach(Shipped("Reconcile identity verifications"));

            var run = runner.Tick().Single();

            Assert.AreEqual("Succeeded", run.Status, "the failure is handled by telling the administrators");
            var email = dataverse.SentEmails.Single();
            Assert.AreEqual(queue, email.Recipient.Id);
            StringAssert.Contains(email.Body, "Failure: No 1Kosmos connection is set up.");
        }

        [TestMethod]
        public void Reconcile_WhenSessionsCouldNotBeChecked_EmailsTheCount_AndWhenAllWentWell_EmailsNoOne()
        {
            var errors = 3;
            var (dataverse, runner, _) = Environment("okos_ReconcileVerifications", request => new OrganizationResponse { ["Checked"] = 5, ["Updated"] = 2, ["Expired"] = 0, ["Errors"] = errors });
            AdministratorsQueueIn(dataverse);
            runner.Attach(Shipped("Reconcile identity verifications"));

            runner.Tick();
            errors = 0;
            runner.Tick();

            StringAssert.Contains(dataverse.SentEmails.Single().Body, "Sessions 1Kosmos could not answer for: 3.");
        }

        [TestMethod]
        public void Reconcile_WithoutTheAdministratorsQueue_FailsTheRunSayingWhatToSet()
        {
            var (dataverse, runner, _) = Environment("okos_ReconcileVerifications", _ => new OrganizationResponse { ["Checked"] = 1, ["Updated"] = 0, ["Expired"] = 0, ["Errors"] = 1 });
            runner.Attach(Shipped("Reconcile identity verifications"));

            var run = runner.Tick().Single();

            Assert.AreEqual("Failed", run.Status);
            StringAssert.Contains(run.Error, "okos_AdministratorsQueue names no queue");
            Assert.AreEqual(0, dataverse.SentEmails.Count);
        }

        [TestMethod]
        public void CaseStepUp_WhenTheStepUpCannotBeRequested_TellsTheOwnerWhy()
        {
            var (dataverse, runner, _) = Environment("okos_RequestStepUp", _ => throw Fault("This incident names no contact (Customer or Contact, or an account with a Primary Contact), so nobody's identity can be checked. Set the contact, then try again."));
            var owner = dataverse.AddUser("Case owner", new[] { "Salesperson" });
            dataverse.CreateOrganizationService(null).Update(new Entity("systemuser", owner) { ["internalemailaddress"] = "owner@example.com" });
            runner.Attach(Shipped("Step-up before a refund or account change"));
            var incident = dataverse.CreateOrganizationService(owner).Create(new Entity("incident") { ["title"] = "Refund" });

            dataverse.CreateOrganizationService(owner).Update(new Entity("incident", incident) { ["okos_sensitiveaction"] = new OptionSetValue(715900000) });

            var email = dataverse.SentEmails.Single();
            Assert.AreEqual(owner, email.Recipient.Id);
            StringAssert.StartsWith(email.Body, "No step-up could be requested: This incident names no contact");
        }

        [TestMethod]
        public void LeadQualified_WithoutAContact_CallsNothing()
        {
            var calls = 0;
            var (dataverse, runner, _) = Environment("okos_StartVerification", _ => { calls++; return new OrganizationResponse(); });
            runner.Attach(Shipped("Verify the customer when a lead is qualified"));
            var lead = dataverse.CreateOrganizationService(null).Create(new Entity("lead") { ["subject"] = "Walk-in" });

            dataverse.CreateOrganizationService(null).Execute(new OrganizationRequest("QualifyLead") { ["LeadId"] = new EntityReference("lead", lead), ["Status"] = new OptionSetValue(3) });

            Assert.AreEqual(0, calls);
            Assert.AreEqual("Succeeded", runner.Runs.Single().Status);
        }

        [TestMethod]
        public void NewHire_WithTheTypeUnset_VerifiesNoOne()
        {
            var calls = 0;
            var (dataverse, runner, _) = Environment("okos_StartVerification", _ => { calls++; return new OrganizationResponse(); });
            runner.Attach(Shipped("Verify a new hire"));

            dataverse.CreateOrganizationService(null).Create(new Entity("contact") { ["lastname"] = "Hire", ["customertypecode"] = new OptionSetValue(100000001) });

            Assert.AreEqual(0, calls);
        }
    }
}
