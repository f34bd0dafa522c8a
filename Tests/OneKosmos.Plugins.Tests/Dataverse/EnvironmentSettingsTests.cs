using System;
using Microsoft.Xrm.Sdk;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Core.Verification;

namespace OneKosmos.Plugins.Tests.Dataverse
{
    [TestClass]
    public sealed class EnvironmentSettingsTests
    {
        private ProductSandbox _product = null!;

        [TestInitialize]
        public void Arrange() => _product = new ProductSandbox();

        private EnvironmentSettings Read() => EnvironmentSettings.Read(_product.Service, Guid.NewGuid(), SystemClock.Instance);

        [TestMethod]
        public void Defaults_ComeFromTheDefinitions()
        {
            var settings = Read();

            Assert.IsFalse(settings.VerifyOnContactCreate);
            Assert.AreEqual(60, settings.SessionTtlMinutes);
            Assert.AreEqual(365, settings.VerificationValidityDays);
            Assert.AreEqual(0, settings.VerificationStages.Count);
        }

        [TestMethod]
        public void CurrentValues_OverrideTheDefaults()
        {
            _product.Set("okos_VerifyOnContactCreate", "yes");
            _product.Set("okos_SessionTtlMinutes", "15");
            _product.Set("okos_VerificationStages", "[\"Propose\", \" Close \"]");

            var settings = Read();

            Assert.IsTrue(settings.VerifyOnContactCreate);
            Assert.AreEqual(15, settings.SessionTtlMinutes);
            CollectionAssert.AreEqual(new[] { "Propose", "Close" }, (System.Collections.ICollection)settings.VerificationStages);
        }

        [TestMethod]
        public void BadValues_SayWhichVariableAndWhereToFixIt()
        {
            _product.Set("okos_VerifyOnContactCreate", "maybe");
            _product.Set("okos_SessionTtlMinutes", "0");
            _product.Set("okos_VerificationStages", "Propose");
            var settings = Read();

            var flag = Assert.ThrowsExactly<InvalidPluginExecutionException>(() => _ = settings.VerifyOnContactCreate);
            var number = Assert.ThrowsExactly<InvalidPluginExecutionException>(() => _ = settings.SessionTtlMinutes);
            var list = Assert.ThrowsExactly<InvalidPluginExecutionException>(() => _ = settings.VerificationStages);

            StringAssert.Contains(flag.Message, "okos_VerifyOnContactCreate is 'maybe', not yes or no");
            StringAssert.Contains(number.Message, "at least 1");
            StringAssert.Contains(list.Message, "not a JSON list");
            StringAssert.Contains(flag.Message, "Environment variables");
        }
    }
}
