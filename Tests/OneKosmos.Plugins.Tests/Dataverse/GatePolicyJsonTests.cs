using System;
using OneKosmos.Core.Verification;
using OneKosmos.Plugins.Dataverse;

namespace OneKosmos.Plugins.Tests.Dataverse
{
    /// <summary>okos_GatePolicy as an administrator writes it: read with its defaults, or refused with where and what.</summary>
    [TestClass]
    public sealed class GatePolicyJsonTests
    {
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
        public void UpdateRulesWithColumns_ApplyOnlyWhenOneChanges()
        {
            var rule = GatePolicyJson.Parse("""[{"table":"incident","message":"Update","columns":["billedserviceunits"]}]""")[0];

            Assert.IsTrue(rule.AppliesTo("incident", "Update", new[] { "title", "billedserviceunits" }));
            Assert.IsFalse(rule.AppliesTo("incident", "Update", new[] { "title" }));
        }
    }
}
