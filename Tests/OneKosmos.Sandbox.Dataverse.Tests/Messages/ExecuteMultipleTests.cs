using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;

namespace OneKosmos.Sandbox.Dataverse.Tests.Messages
{
    [TestClass]
    public sealed class ExecuteMultipleTests
    {
        private static ExecuteMultipleRequest Batch(bool continueOnError, bool returnResponses, params OrganizationRequest[] requests)
        {
            var batch = new ExecuteMultipleRequest
            {
                Requests = new OrganizationRequestCollection(),
                Settings = new ExecuteMultipleSettings { ContinueOnError = continueOnError, ReturnResponses = returnResponses },
            };
            batch.Requests.AddRange(requests);
            return batch;
        }

        [TestMethod]
        public void ExecuteMultiple_ReturnResponses_GivesEachResponseAtItsIndex()
        {
            var dataverse = TestDataverse.Create();

            var response = (ExecuteMultipleResponse)dataverse.CreateOrganizationService(null).Execute(Batch(
                false,
                true,
                new CreateRequest { Target = new Entity("contact") { ["lastname"] = "A" } },
                new CreateRequest { Target = new Entity("contact") { ["lastname"] = "B" } }));

            Assert.IsFalse(response.IsFaulted);
            CollectionAssert.AreEqual(new[] { 0, 1 }, response.Responses.Select(item => item.RequestIndex).ToArray());
            Assert.AreEqual(dataverse.Rows("contact")[1].Id, ((CreateResponse)response.Responses[1].Response).id);
        }

        [TestMethod]
        public void ExecuteMultiple_FaultWithoutContinueOnError_StopsThereAndKeepsEarlierWrites()
        {
            var dataverse = TestDataverse.Create();

            var response = (ExecuteMultipleResponse)dataverse.CreateOrganizationService(null).Execute(Batch(
                false,
                false,
                new CreateRequest { Target = new Entity("contact") },
                new UpdateRequest { Target = new Entity("contact", Guid.NewGuid()) { ["lastname"] = "x" } },
                new CreateRequest { Target = new Entity("contact") }));

            Assert.IsTrue(response.IsFaulted);
            var item = response.Responses.Single();
            Assert.AreEqual(1, item.RequestIndex);
            Assert.AreEqual(DataverseErrorCodes.ObjectDoesNotExist, item.Fault.ErrorCode);
            Assert.AreEqual(1, dataverse.Rows("contact").Count);
        }

        [TestMethod]
        public void ExecuteMultiple_ContinueOnError_RunsTheRest()
        {
            var dataverse = TestDataverse.Create();

            var response = (ExecuteMultipleResponse)dataverse.CreateOrganizationService(null).Execute(Batch(
                true,
                false,
                new UpdateRequest { Target = new Entity("contact", Guid.NewGuid()) { ["lastname"] = "x" } },
                new CreateRequest { Target = new Entity("contact") },
                new CreateRequest { Target = new Entity("contact") }));

            Assert.IsTrue(response.IsFaulted);
            Assert.AreEqual(0, response.Responses.Single().RequestIndex);
            Assert.AreEqual(2, dataverse.Rows("contact").Count);
        }

        [TestMethod]
        public void ExecuteMultiple_Nested_FaultsBeforeRunningAnything()
        {
            var dataverse = TestDataverse.Create();

            AssertFault.Throws(
                DataverseErrorCodes.InvalidArgument,
                () => dataverse.CreateOrganizationService(null).Execute(Batch(
                    true,
                    true,
                    new CreateRequest { Target = new Entity("contact") },
                    Batch(true, true))));
            Assert.AreEqual(0, dataverse.Rows("contact").Count);
        }

        [TestMethod]
        public void ExecuteMultiple_WithoutSettings_FaultsWithInvalidArgument()
        {
            var dataverse = TestDataverse.Create();
            var batch = new ExecuteMultipleRequest { Requests = new OrganizationRequestCollection() };

            AssertFault.Throws(DataverseErrorCodes.InvalidArgument, () => dataverse.CreateOrganizationService(null).Execute(batch));
        }

        [TestMethod]
        public void ExecuteMultiple_OverAThousandRequests_FaultsWithInvalidArgument()
        {
            var dataverse = TestDataverse.Create();
            var requests = Enumerable.Range(0, 1001).Select(_ => (OrganizationRequest)new CreateRequest { Target = new Entity("contact") }).ToArray();

            AssertFault.Throws(DataverseErrorCodes.InvalidArgument, () => dataverse.CreateOrganizationService(null).Execute(Batch(true, false, requests)));
        }
    }
}
