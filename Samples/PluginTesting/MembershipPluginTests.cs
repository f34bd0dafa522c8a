using System;
using System.IO;
using System.Linq;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Sandbox.Dataverse;

namespace Contoso.Membership
{
    /// <summary>The team's plug-ins, run by the in-memory Dataverse as their solution registers them.</summary>
    [TestClass]
    public sealed class MembershipPluginTests
    {
        private static readonly string Solution = Path.Combine(AppContext.BaseDirectory, "Solution");

        private InMemoryDataverse _dataverse = null!;
        private IOrganizationService _service = null!;
        private Guid _jane;

        [TestInitialize]
        public void LoadTheSolution()
        {
            _dataverse = InMemoryDataverse.FromSolution(Solution);
            _dataverse.LoadSteps(Solution, typeof(MembershipPluginTests).Assembly);
            _service = _dataverse.CreateOrganizationService(null);
            _jane = _dataverse.Seed(new Entity("contact") { ["firstname"] = "Jane", ["lastname"] = "Doe" })[0];
        }

        private Guid Join(Guid contact, IOrganizationService? asUser = null) => (asUser ?? _service).Create(new Entity("contoso_membership")
        {
            ["contoso_contactid"] = new EntityReference("contact", contact),
            ["contoso_level"] = new OptionSetValue(100000001),
            ["contoso_fee"] = new Money(120m),
        });

        [TestMethod]
        public void ANewMembership_IsNamedAfterItsMember()
        {
            var id = Join(_jane);

            Assert.AreEqual("Jane Doe: membership", _service.Retrieve("contoso_membership", id, new ColumnSet("contoso_name"))["contoso_name"]);
        }

        [TestMethod]
        public void AMembershipWithoutAMember_IsRefusedWithAMessageThatSaysWhatToDo()
        {
            // The caller gets what a client of Dataverse gets: a fault carrying the plug-in's message, with IsvAborted's code.
            var refusal = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() => _service.Create(new Entity("contoso_membership")));

            StringAssert.Contains(refusal.Detail.Message, "choose the contact");
            Assert.AreEqual(DataverseErrorCodes.IsvAborted, refusal.Detail.ErrorCode);
            Assert.AreEqual(0, _dataverse.Rows("contoso_membership").Count, "the pre-operation refusal rolls the Create back");
        }

        [TestMethod]
        public void TheFirstMembership_IsWelcomed_AndTheSecondWelcomedBack()
        {
            Join(_jane);
            Join(_jane);

            var notes = _dataverse.Rows("annotation").Select(note => note.GetAttributeValue<string>("subject")).ToArray();
            CollectionAssert.AreEqual(new[] { "Welcome", "Welcome back" }, notes);
            CollectionAssert.Contains(_dataverse.PluginRuns.Last().TraceLines.ToList(), "The member holds 2 membership(s).");
        }

        [TestMethod]
        public void AClerk_RegistersMemberships_ButCannotDeleteThem()
        {
            var clerk = _dataverse.CreateOrganizationService(_dataverse.AddUser("Sam Clerk", new[] { "Membership Clerk" }));

            var id = Join(_jane, clerk);

            Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() => clerk.Delete("contoso_membership", id));
        }

        [TestMethod]
        public void AColumnTheSolutionDoesNotDeclare_FailsAsInDataverse()
        {
            Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(() =>
                _service.Create(new Entity("contoso_membership") { ["contoso_contactid"] = new EntityReference("contact", _jane), ["contoso_discount"] = 10 }));
        }
    }
}
