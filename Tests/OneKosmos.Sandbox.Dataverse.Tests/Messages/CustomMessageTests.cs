using System;
using Microsoft.Xrm.Sdk;

namespace OneKosmos.Sandbox.Dataverse.Tests.Messages
{
    [TestClass]
    public sealed class CustomMessageTests
    {
        [TestMethod]
        public void RegisteredMessage_IsHandledWithItsParameters()
        {
            var dataverse = TestDataverse.Create();
            dataverse.RegisterMessage("okos_GetVerificationStatus", request =>
                new OrganizationResponse { ["Status"] = "Verified for " + ((EntityReference)request["Subject"]).Id });
            var subject = new EntityReference("contact", Guid.Parse("5b7e0c1a-2d3f-4a5b-8c9d-0e1f2a3b4c5d"));

            var response = dataverse.CreateOrganizationService(null).Execute(new OrganizationRequest("okos_GetVerificationStatus") { ["Subject"] = subject });

            Assert.AreEqual("Verified for " + subject.Id, response["Status"]);
            Assert.AreEqual("okos_GetVerificationStatus", response.ResponseName);
        }

        [TestMethod]
        public void UnknownMessage_ThrowsNotSupportedNamingIt()
        {
            var dataverse = TestDataverse.Create();

            var exception = Assert.ThrowsExactly<NotSupportedException>(() => dataverse.CreateOrganizationService(null).Execute(new OrganizationRequest("WinOpportunity")));

            StringAssert.Contains(exception.Message, "WinOpportunity");
        }

        [TestMethod]
        public void APlatformMessageTheSandboxDoesNotModel_IsNotSupported_AndSaysWhich()
        {
            var dataverse = TestDataverse.Create();

            var exception = Assert.ThrowsExactly<NotSupportedException>(
                () => dataverse.CreateOrganizationService(null).Execute(new OrganizationRequest("Merge") { ["Target"] = new EntityReference("contact", Guid.NewGuid()) }));

            StringAssert.Contains(exception.Message, "Merge");
        }

        [TestMethod]
        public void RegisterMessage_ForAPlatformMessage_IsRefused()
        {
            var dataverse = TestDataverse.Create();

            Assert.ThrowsExactly<ArgumentException>(() => dataverse.RegisterMessage("Create", _ => new OrganizationResponse()));
        }

        [TestMethod]
        public void RequestWithoutName_FaultsWithInvalidArgument()
        {
            var dataverse = TestDataverse.Create();

            AssertFault.Throws(DataverseErrorCodes.InvalidArgument, () => dataverse.CreateOrganizationService(null).Execute(new OrganizationRequest()));
        }
    }
}
