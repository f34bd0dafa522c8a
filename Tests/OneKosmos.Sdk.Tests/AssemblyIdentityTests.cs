using System;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Workflow;

namespace OneKosmos.Sdk.Tests
{
    [TestClass]
    public sealed class AssemblyIdentityTests
    {
        [TestMethod]
        public void SdkAndWorkflow_CarryMicrosoftsNameVersionAndKey()
        {
            foreach (var name in new[] { typeof(Entity).Assembly.GetName(), typeof(IWorkflowContext).Assembly.GetName() })
            {
                Assert.AreEqual(new Version(9, 0, 0, 0), name.Version, name.Name);
                Assert.AreEqual("31bf3856ad364e35", Convert.ToHexStringLower(name.GetPublicKeyToken()!), name.Name);
            }
            Assert.AreEqual("Microsoft.Xrm.Sdk", typeof(Entity).Assembly.GetName().Name);
            Assert.AreEqual("Microsoft.Xrm.Sdk.Workflow", typeof(IWorkflowContext).Assembly.GetName().Name);
        }

        [TestMethod]
        public void WorkflowContext_IsAnExecutionContext()
        {
            Assert.IsTrue(typeof(IExecutionContext).IsAssignableFrom(typeof(IWorkflowContext)));
        }
    }
}
