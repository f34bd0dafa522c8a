using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Xrm.Sdk;

namespace OneKosmos.CustomApis.Tests
{
    /// <summary>
    /// The 1Kosmos license key goes only to the connection's tenant over HTTPS (TenantHosts): a connection or a service
    /// directory pointed at another host gets nothing, and the attempt says what to fix. Every request the plug-ins make
    /// in the sandbox reaches the simulator, so an empty call log means nothing was sent anywhere.
    /// </summary>
    [TestClass]
    public sealed class OutboundHostTests
    {
        private static Guid Contact(ProductSandbox product) =>
            product.Service.Create(new Entity("contact") { ["lastname"] = "Doe", ["emailaddress1"] = "jane.doe@example.com" });

        [TestMethod]
        [DataRow("127.0.0.1")]
        [DataRow("https://acme.1kosmos.net")]
        [DataRow("attacker.example:8443")]
        [DataRow("acme.1kosmos.net/evil")]
        public void AConnectionWhoseTenantIsNoHostName_SendsNothingAnywhere(string tenantDns)
        {
            var product = new ProductSandbox();
            product.Connect();
            var connection = product.Dataverse.Rows("okos_blockidconnection").Single();
            product.Service.Update(new Entity("okos_blockidconnection", connection.Id) { ["okos_tenantdns"] = tenantDns });

            var response = product.Call("okos_StartVerification", null, ("Subject", new EntityReference("contact", Contact(product))));

            Assert.AreEqual(0, product.Simulator.Calls.Count, string.Join(", ", product.Simulator.Calls));
            Assert.AreEqual("Failed", response["Status"]);
            StringAssert.Contains(product.Verifications.Single().GetAttributeValue<string>("okos_failurereason"), "Tenant DNS is not a host name");
        }

        [TestMethod]
        [DataRow("https://attacker.example/docuverify")]
        [DataRow("http://acme-tenant.1kosmos.test/docuverify")]
        [DataRow("https://10.0.0.8/docuverify")]
        public void ADirectoryPlacingAServiceElsewhere_GetsNoLicenseKey(string docuverify)
        {
            var product = new ProductSandbox(serviceDirectory: new Dictionary<string, string> { ["docuverify"] = docuverify });
            product.Connect();

            var response = product.Call("okos_StartVerification", null, ("Subject", new EntityReference("contact", Contact(product))));

            Assert.AreEqual("Failed", response["Status"]);
            CollectionAssert.DoesNotContain(product.Simulator.Calls.ToList(), "GET /docuverify/publickeys");
            Assert.IsFalse(product.Simulator.Calls.Any(call => call.Contains("document_share_session", StringComparison.Ordinal)), "no request carried the license key");
            StringAssert.Contains(product.Verifications.Single().GetAttributeValue<string>("okos_failurereason"), "outside the tenant");
        }
    }
}
