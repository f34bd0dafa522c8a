using System;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;

namespace OneKosmos.Sandbox.Dataverse.Tests
{
    /// <summary>The one way tests assert that Dataverse refused a request, and with which error code.</summary>
    internal static class AssertFault
    {
        public static OrganizationServiceFault Throws(int expectedErrorCode, Action action)
        {
            var exception = Assert.ThrowsExactly<FaultException<OrganizationServiceFault>>(action);
            Assert.AreEqual(expectedErrorCode, exception.Detail.ErrorCode, $"Fault message: {exception.Detail.Message}");
            Assert.AreEqual(exception.Detail.Message, exception.Message);
            return exception.Detail;
        }
    }
}
