using System;
using OneKosmos.Core.Verification;
using OneKosmos.Plugins.Dataverse;

namespace OneKosmos.Plugins.Tests.Verification
{
    [TestClass]
    public sealed class GatePolicyTests
    {
        private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

        [TestMethod]
        public void AFullRule_IsReadWithItsDefaults()
        {
            var rule = GatePolicyJson.Parse("""[{"table":"Opportunity","message":"Win","threshold":" estimatedvalue>=100000.50 "}]""")[0];

            Assert.AreEqual("opportunity", rule.Table);
            Assert.AreEqual("estimatedvalue >= 100000.50", rule.Threshold!.ToString());
            Assert.AreEqual(AssuranceLevel.IAL2, rule.RequiredLevel);
            Assert.IsNull(rule.StepUpMaxAgeMinutes);
            Assert.IsTrue(rule.RequireStepUp);
            Assert.IsTrue(rule.AppliesTo("opportunity", "win", null));
        }

        [TestMethod]
        [DataRow("{}", "it is not a JSON list of rules")]
        [DataRow("[1]", "entry 1 is not an object")]
        [DataRow("[{\"message\":\"Win\"}]", "entry 1: 'table' is required")]
        [DataRow("[{\"table\":\"lead\",\"message\":\"QualifyLead\",\"ial\":\"IAL2\"}]", "entry 1: unknown field 'ial'")]
        [DataRow("[{\"table\":\"lead\",\"message\":\"QualifyLead\",\"requiredIal\":\"IAL3\"}]", "entry 1: 'requiredIal' is 'IAL3', not IAL1 or IAL2")]
        [DataRow("[{\"table\":\"lead\",\"message\":\"QualifyLead\",\"stepUpMaxAgeMinutes\":0}]", "entry 1: 'stepUpMaxAgeMinutes' must be a whole number of at least 1")]
        [DataRow("[{\"table\":\"lead\",\"message\":\"QualifyLead\",\"threshold\":\"value > x\"}]", "entry 1: the threshold 'value > x' is not of the form")]
        [DataRow("[{\"table\":\"lead\",\"message\":\"QualifyLead\",\"columns\":\"a\"}]", "entry 1: 'columns' must be a list of column names")]
        [DataRow("not json", "it is not valid JSON")]
        public void APolicyThatIsWrong_SaysWhereAndWhat(string json, string expected)
        {
            StringAssert.StartsWith(Assert.ThrowsExactly<FormatException>(() => GatePolicyJson.Parse(json)).Message, expected);
        }

        [TestMethod]
        [DataRow(">=", 100, true)]
        [DataRow(">=", 99.99, false)]
        [DataRow(">", 100, false)]
        [DataRow("<", 5, true)]
        [DataRow("==", 100, true)]
        [DataRow("!=", 100, false)]
        public void Thresholds_Compare(string comparison, double value, bool met) =>
            Assert.AreEqual(met, GateThreshold.Parse($"amount {comparison} 100").IsMetBy((decimal)value));

        [TestMethod]
        public void UpdateRulesWithColumns_ApplyOnlyWhenOneChanges()
        {
            var rule = GatePolicyJson.Parse("""[{"table":"incident","message":"Update","columns":["billedserviceunits"]}]""")[0];

            Assert.IsTrue(rule.AppliesTo("incident", "Update", new[] { "title", "billedserviceunits" }));
            Assert.IsFalse(rule.AppliesTo("incident", "Update", new[] { "title" }));
        }

        [TestMethod]
        public void AVerifiedFreshContact_Passes_AStaleOne_IsToldTheAge()
        {
            var rule = GatePolicyJson.Parse("""[{"table":"opportunity","message":"Win"}]""")[0];
            var fresh = new IdentityStanding(VerificationStatus.Verified, AssuranceLevel.IAL2, lastStepUpAt: Now.AddMinutes(-5));
            var stale = new IdentityStanding(VerificationStatus.Verified, AssuranceLevel.IAL2, lastStepUpAt: Now.AddHours(-26));

            Assert.IsTrue(GateDecision.Of(rule, fresh, 15, Now).IsAllowed);
            StringAssert.StartsWith(GateDecision.Of(rule, stale, 15, Now).Explain("Jane Doe"), "Contact Jane Doe needs a biometric step-up: last step-up 1 day ago, policy requires 15 min.");
        }

        [TestMethod]
        public void Ial1Rules_AcceptIal2()
        {
            var rule = GatePolicyJson.Parse("""[{"table":"lead","message":"QualifyLead","requiredIal":"IAL1","requireStepUp":false}]""")[0];

            Assert.IsTrue(GateDecision.Of(rule, new IdentityStanding(VerificationStatus.Verified, AssuranceLevel.IAL2), 15, Now).IsAllowed);
            Assert.IsTrue(GateDecision.Of(rule, new IdentityStanding(VerificationStatus.Verified, AssuranceLevel.IAL1), 15, Now).IsAllowed);
        }

        [TestMethod]
        public void AStepUpDatedInTheFuture_IsNotFresh() =>
            Assert.IsFalse(StepUpFreshness.IsFresh(Now.AddMinutes(10), 15, Now));
    }
}
