using System;
using Microsoft.Xrm.Sdk;
using OneKosmos.Sandbox.BlockId;
using OneKosmos.Sandbox.Dataverse;
using OneKosmos.Sandbox.Host.Activity;

namespace OneKosmos.Sandbox.Host.Tests
{
    /// <summary>Issue #22, finding 8: a search by a person's name finds what happened to them.</summary>
    [TestClass]
    public sealed class ActivityNamesTests
    {
        [TestMethod]
        public void IdsOfContactsOpportunitiesAndTheirVerifications_GetANameBesideThem()
        {
            var dataverse = InMemoryDataverse.FromSolution(RepositoryPaths.SolutionSource);
            var contact = dataverse.Seed(new Entity("contact") { ["firstname"] = "Jane", ["lastname"] = "Doe" })[0];
            var opportunity = dataverse.Seed(new Entity("opportunity") { ["name"] = "Mortgage 250k" })[0];
            var verification = dataverse.Seed(new Entity("okos_verification") { ["okos_contactid"] = new EntityReference("contact", contact), ["okos_sessionid"] = "s-1" })[0];
            var unknown = Guid.NewGuid();
            var recorder = new ActivityRecorder(new ActivityLog(), dataverse, new BlockIdSimulator(new BlockIdSimulatorOptions()));

            var named = recorder.Namer()($"Started for contact {contact} on {opportunity}; row {verification}; other {unknown}.");

            Assert.AreEqual($"Started for contact Jane Doe ({contact}) on Mortgage 250k ({opportunity}); row verification of Jane Doe ({verification}); other {unknown}.", named);
        }
    }
}
