using System;
using System.Threading;
using System.Threading.Tasks;
using OneKosmos.Sandbox.Host.WebApi;

namespace OneKosmos.Relay.Tests
{
    /// <summary>
    /// Issue #21: a bulk import with verify-on-create while 1Kosmos throttles starts at 20 a second and Dataverse limits the
    /// importing user: every contact gets exactly one verification and none is left unstarted. The benchmark runs the
    /// same with 10,000 contacts and the documented limits (docs/benchmarks.md); here 200, with a 2 s window of 120 requests.
    /// </summary>
    [TestClass]
    public sealed class BulkOnboardingTests
    {
        private const int Contacts = 200;

        public TestContext TestContext { get; set; } = null!;

        [TestMethod]
        public async Task ABulkImport_UnderBothLimits_GivesEveryContactExactlyOneStartedVerification()
        {
            using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(120));

            var report = await BulkOnboarding.RunAsync(Contacts, startsPerSecond: 20, new ServiceProtectionLimits(120, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(2), 52), budget.Token);

            TestContext.WriteLine(report.ToString());
            Assert.AreEqual(Contacts, report.Verifications);
            Assert.AreEqual(Contacts, report.ContactsVerifiedOnce);
            Assert.AreEqual(0, report.Unstarted);
            Assert.IsTrue(report.ImportRefusals > 0, "the importing user met Dataverse's limit");
            Assert.IsTrue(report.StartsThrottled > 0, "1Kosmos turned starts away");
            Assert.IsTrue(report.ImportRefusals <= report.ImportRequests - Contacts, "every refused create was sent again");
        }
    }
}
