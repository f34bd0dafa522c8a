using System;
using Microsoft.Xrm.Sdk;

namespace OneKosmos.Sdk.Tests
{
    [TestClass]
    public sealed class ValueTests
    {
        [TestMethod]
        public void EntityReference_EqualsByTableAndId_IgnoringName()
        {
            var id = Guid.NewGuid();

            Assert.AreEqual(new EntityReference("contact", id) { Name = "Jane" }, new EntityReference("contact", id));
            Assert.AreNotEqual(new EntityReference("contact", id), new EntityReference("account", id));
            Assert.AreEqual(new EntityReference("contact", id).GetHashCode(), new EntityReference("contact", id) { Name = "x" }.GetHashCode());
        }

        [TestMethod]
        public void OptionSetValueAndMoney_EqualByValue()
        {
            Assert.AreEqual(new OptionSetValue(3), new OptionSetValue(3));
            Assert.AreNotEqual(new OptionSetValue(3), new OptionSetValue(4));
            Assert.AreEqual(new Money(1.50m), new Money(1.5m));
        }

        [TestMethod]
        public void InvalidPluginExecutionException_DefaultsToFailed_ItsErrorCodeIsItsHResult()
        {
            var exception = new InvalidPluginExecutionException("Link a contact to this lead first.");

            Assert.AreEqual(OperationStatus.Failed, exception.Status);
            Assert.AreEqual(exception.HResult, exception.ErrorCode);
            Assert.AreEqual(-2146233088, exception.ErrorCode, "no code given: the HResult every exception starts with");
            Assert.AreEqual("Link a contact to this lead first.", exception.Message);
        }

        [TestMethod]
        public void InvalidPluginExecutionException_KeepsAGivenCode()
        {
            var exception = new InvalidPluginExecutionException(OperationStatus.Retry, -2147220969, "gone");

            Assert.AreEqual(OperationStatus.Retry, exception.Status);
            Assert.AreEqual(-2147220969, exception.ErrorCode);
        }

        [TestMethod]
        public void ParameterCollection_TryGetValueOfT_ChecksTheType()
        {
            var parameters = new ParameterCollection { { "Journey", "LiveIdStepUp" }, { "MaxSessions", 5 } };

            Assert.IsTrue(parameters.TryGetValue<string>("Journey", out var journey));
            Assert.AreEqual("LiveIdStepUp", journey);
            Assert.IsFalse(parameters.TryGetValue<string>("MaxSessions", out _));
            Assert.IsFalse(parameters.TryGetValue<string>("Missing", out _));
        }
    }
}
