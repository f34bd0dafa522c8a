using System;
using System.Collections.Generic;

namespace OneKosmos.Sandbox.Host.Tests
{
    [TestClass]
    public sealed class SandboxOptionsTests
    {
        private static readonly Dictionary<string, string> Secrets = new() { ["OKOS_BLOCKID_LICENSE_KEY"] = "license-canary", ["OKOS_BLOCKID_DVC_ID"] = "dvc-canary" };

        private static SandboxOptions Parse(params string[] args) => SandboxOptions.Parse(args, name => Secrets.GetValueOrDefault(name));

        [TestMethod]
        public void NoArguments_IsTheSimulator_InMemory_OnTheDefaultPort()
        {
            var options = Parse();

            Assert.IsNull(options.Tenant);
            Assert.IsNull(options.DataFile);
            Assert.AreEqual(SandboxOptions.DefaultPort, options.Port);
        }

        [TestMethod]
        public void PortAndDataFile_AreTaken()
        {
            var options = Parse("--port", "0", "--data", "sandbox.json");

            Assert.AreEqual(0, options.Port);
            Assert.AreEqual("sandbox.json", options.DataFile);
        }

        [TestMethod]
        public void ARealTenant_TakesItsSecretsFromTheEnvironment_AndNeverShowsThem()
        {
            var tenant = Parse("--blockid-tenant", "acme.1kosmos.net", "--blockid-community", "default").Tenant!;

            Assert.AreEqual("license-canary", tenant.LicenseKey);
            Assert.AreEqual("dvc-canary", tenant.DvcId);
            Assert.AreEqual("1Kosmos tenant acme.1kosmos.net, community default", tenant.ToString());
        }

        [TestMethod]
        [DataRow("--blockid-tenant", "acme.1kosmos.net", "A real tenant needs both --blockid-tenant and --blockid-community.")]
        [DataRow("--nope", "x", "Unknown argument '--nope'")]
        [DataRow("--blockid-community", null, "--blockid-community needs a value.")]
        [DataRow("--port", "http", "--port is 'http': give a port number")]
        [DataRow("--port", "70000", "--port is '70000'")]
        [DataRow("--data", null, "--data needs a value.")]
        public void WrongArguments_SayHowToUseThem(string first, string? second, string message)
        {
            var args = second is null ? new[] { first } : new[] { first, second };

            StringAssert.StartsWith(Assert.ThrowsExactly<ArgumentException>(() => Parse(args)).Message, message);
        }

        [TestMethod]
        public void AScenarioWithADataFile_IsRefused() =>
            StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Parse("scenario", "onboarding", "--data", "x.json")).Message, "without --data");

        [TestMethod]
        public void ARealTenantWithoutSecrets_SaysWhichVariablesToSet()
        {
            var problem = Assert.ThrowsExactly<ArgumentException>(() =>
                SandboxOptions.Parse(new[] { "--blockid-tenant", "acme.1kosmos.net", "--blockid-community", "default" }, _ => null));

            StringAssert.Contains(problem.Message, "set OKOS_BLOCKID_LICENSE_KEY and OKOS_BLOCKID_DVC_ID");
        }
    }
}
