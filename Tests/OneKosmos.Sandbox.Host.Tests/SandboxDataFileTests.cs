using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Sandbox.BlockId;
using OneKosmos.Sandbox.Host.Persistence;
using OneKosmos.Tests.Shared;

namespace OneKosmos.Sandbox.Host.Tests
{
    /// <summary>--data: what the sandbox keeps across runs, and what it never writes down.</summary>
    [TestClass]
    public sealed class SandboxDataFileTests
    {
        private string _path = "";

        [TestInitialize]
        public void PickAFile() => _path = Path.Combine(Path.GetTempPath(), $"okos-sandbox-data-{Guid.NewGuid():N}.json");

        [TestCleanup]
        public void RemoveTheFile() => File.Delete(_path);

        /// <summary>Issue #22, finding 9: the file holds what Dataverse holds, capture links included.</summary>
        [TestMethod]
        public async Task TheDataFile_IsReadableByItsOwnerOnly()
        {
            await using var environment = await LocalEnvironment.StartAsync(RepositoryPaths.SolutionSource, withRelay: false);
            environment.Service.Create(new Entity("contact") { ["firstname"] = "Jane", ["lastname"] = "Doe" });

            Assert.IsTrue(new SandboxDataFile(_path).Save(environment));

            if (!OperatingSystem.IsWindows())
            {
                Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_path));
            }
        }

        [TestMethod]
        public async Task ARestartedSandbox_HasItsRows_AndTheCaptureStartedBeforeCanStillBeFinished()
        {
            Guid contact;
            DateTime createdOn;
            string secret;
            await using (var first = await LocalEnvironment.StartAsync(RepositoryPaths.SolutionSource, withRelay: false))
            {
                contact = first.Service.Create(new Entity("contact") { ["firstname"] = "Jane", ["lastname"] = "Doe", ["emailaddress1"] = "jane@example.com" });
                createdOn = first.Service.Retrieve("contact", contact, new ColumnSet("createdon")).GetAttributeValue<DateTime>("createdon");
                secret = first.Dataverse.Rows("okos_blockidconnection").Single().GetAttributeValue<string>("okos_callbacksigningsecret");
                Assert.IsTrue(new SandboxDataFile(_path).Save(first));
            }

            await using var second = await LocalEnvironment.StartAsync(RepositoryPaths.SolutionSource, withRelay: false);
            var data = new SandboxDataFile(_path);
            var kept = data.Load(second);

            var row = second.Service.Retrieve("contact", contact, new ColumnSet("fullname", "createdon"));
            Assert.AreEqual("Jane Doe", row["fullname"]);
            Assert.AreEqual(createdOn, row["createdon"]);
            Assert.IsTrue(kept >= 3, "the contact, its verification and the timeline note");
            var verification = second.Dataverse.Rows("okos_verification").Single();
            StringAssert.StartsWith(verification.GetAttributeValue<string>("okos_captureurl"), second.Simulator.BaseUrl + "/idproofing/session/");
            Assert.AreEqual(1, second.Dataverse.Rows("okos_blockidconnection").Count, "this run's connection, not the file's");

            second.Simulator.Complete(verification.GetAttributeValue<string>("okos_sessionid"), CaptureOutcome.PassWithSelfie);
            second.Dataverse.Overwrite(new Entity("okos_verification", verification.Id) { ["okos_lastcheckedat"] = DateTime.UtcNow.AddMinutes(-1) });
            var status = second.Service.Execute(new OrganizationRequest("okos_GetVerificationStatus") { ["Subject"] = new EntityReference("contact", contact) });
            Assert.AreEqual("Verified", status["Status"]);

            var text = File.ReadAllText(_path);
            foreach (var canary in new[] { second.Simulator.Options.LicenseKey, second.Simulator.Options.DvcId, secret })
            {
                Assert.IsFalse(text.Contains(canary, StringComparison.Ordinal), "no secret is ever written to the data file");
            }
        }

        [TestMethod]
        public async Task Saving_WritesOnlyWhenSomethingChanged()
        {
            await using var environment = await LocalEnvironment.StartAsync(RepositoryPaths.SolutionSource, withRelay: false);
            var data = new SandboxDataFile(_path);

            Assert.IsTrue(data.Save(environment));
            Assert.IsFalse(data.Save(environment));
            environment.Service.Create(new Entity("account") { ["name"] = "Contoso" });
            Assert.IsTrue(data.Save(environment));
        }

        [TestMethod]
        [DataRow("{\"format\": \"something else\"}", "format is 'something else'")]
        [DataRow("{\"format\": \"okos-sandbox-data/1\", \"captureSessions\": [], \"liveIdSessions\": []}", "'rows' is missing")]
        [DataRow("{\"format\": \"okos-sandbox-data/1\", \"rows\": [{\"table\": \"contact\"}], \"captureSessions\": [], \"liveIdSessions\": []}", "'id' is missing")]
        [DataRow("{\"format\": \"okos-sandbox-data/1\", \"rows\": [{\"table\": \"contact\", \"id\": \"x\", \"columns\": {}}], \"captureSessions\": [], \"liveIdSessions\": []}", "not a sandbox data file")]
        [DataRow("not json", "not a sandbox data file")]
        public async Task ADamagedFile_IsRefusedWithItsNameAndWhy_AndLeftAsItIs(string content, string why)
        {
            File.WriteAllText(_path, content);
            await using var environment = await LocalEnvironment.StartAsync(RepositoryPaths.SolutionSource, withRelay: false);

            var problem = Assert.ThrowsExactly<InvalidDataException>(() => new SandboxDataFile(_path).Load(environment));

            StringAssert.Contains(problem.Message, _path);
            StringAssert.Contains(problem.Message, why);
            StringAssert.Contains(problem.Message, "left as it is");
            Assert.AreEqual(content, File.ReadAllText(_path));
            Assert.AreEqual(0, environment.Dataverse.Rows("contact").Count, "nothing half-loaded");
        }

        [TestMethod]
        public async Task AMissingFile_IsAnEmptyStart()
        {
            await using var environment = await LocalEnvironment.StartAsync(RepositoryPaths.SolutionSource, withRelay: false);

            Assert.AreEqual(0, new SandboxDataFile(_path).Load(environment));
        }
    }
}
