using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using OneKosmos.Sandbox.Dataverse.Security;
using OneKosmos.Tests.Shared;

namespace OneKosmos.Sandbox.Dataverse.Tests.Messages
{
    /// <summary>RetrievePrincipalAccess and SendEmail, as the product uses them.</summary>
    [TestClass]
    public sealed class SecurityMessageTests
    {
        private InMemoryDataverse _dataverse = null!;

        [TestInitialize]
        public void LoadProductSolution() => _dataverse = InMemoryDataverse.FromSolution(RepositoryPaths.SolutionSource);

        private AccessRights RightsOf(Guid user, EntityReference target) =>
            (AccessRights)_dataverse.CreateOrganizationService(null).Execute(new OrganizationRequest("RetrievePrincipalAccess")
            {
                ["Target"] = target,
                ["Principal"] = new EntityReference("systemuser", user),
            })["AccessRights"];

        [TestMethod]
        public void PrincipalAccess_IsWhatTheUsersRolesReachOnThatRow()
        {
            var seller = _dataverse.AddUser("Seller", new[] { "Salesperson" });
            var colleague = _dataverse.AddUser("Colleague", new[] { "Salesperson" });
            var own = _dataverse.Seed(new Entity("opportunity") { ["name"] = "Own", ["ownerid"] = new EntityReference("systemuser", seller) })[0];
            var theirs = _dataverse.Seed(new Entity("opportunity") { ["name"] = "Theirs", ["ownerid"] = new EntityReference("systemuser", colleague) })[0];

            var onOwn = RightsOf(seller, new EntityReference("opportunity", own));
            var onTheirs = RightsOf(seller, new EntityReference("opportunity", theirs));

            Assert.IsTrue(onOwn.HasFlag(AccessRights.WriteAccess | AccessRights.AppendToAccess | AccessRights.ReadAccess));
            Assert.IsTrue(onTheirs.HasFlag(AccessRights.ReadAccess | AccessRights.AppendToAccess), "read and append-to reach the business unit");
            Assert.IsFalse(onTheirs.HasFlag(AccessRights.WriteAccess), "write reaches the seller's own rows only");
            Assert.AreEqual(AccessRights.All, RightsOf(_dataverse.Options.SystemUserId, new EntityReference("opportunity", theirs)), "an unrestricted user holds every right");
        }

        [TestMethod]
        public void SendEmail_MarksTheEmailSent_AndARecipientWithoutAnAddressFailsIt()
        {
            var service = _dataverse.CreateOrganizationService(null);
            var withAddress = service.Create(new Entity("contact") { ["lastname"] = "Doe", ["emailaddress1"] = "jane@example.com" });
            var without = service.Create(new Entity("contact") { ["lastname"] = "Roe" });
            Guid Email(Guid to) => service.Create(new Entity("email")
            {
                ["subject"] = "Hello",
                ["description"] = "Body",
                ["to"] = new EntityCollection(new[] { new Entity("activityparty") { ["partyid"] = new EntityReference("contact", to) } }),
            });

            service.Execute(new OrganizationRequest("SendEmail") { ["EmailId"] = Email(withAddress), ["IssueSend"] = true, ["TrackingToken"] = "" });
            var unsendable = Email(without);
            var fault = AssertFault.Throws(DataverseErrorCodes.InvalidArgument, () => service.Execute(new OrganizationRequest("SendEmail") { ["EmailId"] = unsendable, ["IssueSend"] = true, ["TrackingToken"] = "" }));

            Assert.AreEqual("jane@example.com", _dataverse.SentEmails.Single().Address);
            StringAssert.Contains(fault.Message, "no email address");
        }
    }
}
