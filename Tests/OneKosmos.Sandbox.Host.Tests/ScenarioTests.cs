using System.Linq;
using System.Threading.Tasks;
using OneKosmos.Sandbox.Host.Scenarios;

namespace OneKosmos.Sandbox.Host.Tests
{
    /// <summary>Each scenario the sandbox offers runs to the end on a fresh environment, its timeline telling the story.</summary>
    [TestClass]
    public sealed class ScenarioTests
    {
        [TestMethod]
        [DataRow("onboarding", "Web API ran okos_ProcessVerificationCallback")]
        [DataRow("step-up-before-win", "Win allowed: the opportunity is won")]
        [DataRow("lost-callback", "reconcile made the row Verified")]
        [DataRow("verified-id", "the Face Check is a fresh step-up")]
        [DataRow("flow-reconcile", "the scheduled flow made the row Verified")]
        [DataRow("flow-lead-qualified", "identity proofing started for the lead's contact, linked to the lead")]
        [DataRow("flow-case-step-up", "the refund is approved after the step-up")]
        [DataRow("flow-new-hire", "a customer contact is not verified by the HR flow")]
        [DataRow("flow-tell-owner", "the email carries no link and no session id")]
        public async Task TheScenario_RunsToTheEnd(string name, string milestone)
        {
            var (_, needsRelay, run) = Scenarios.Scenarios.All[name];
            await using var environment = await LocalEnvironment.StartAsync(RepositoryPaths.SolutionSource, needsRelay);

            await run(environment);

            Assert.IsTrue(environment.Timeline.Any(line => line.Contains(milestone)), string.Join("\n", environment.Timeline));
        }
    }
}
