using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;

namespace OneKosmos.Sandbox.Dataverse.Messages
{
    /// <summary>Runs a batch one request at a time, outside any shared transaction, as the platform does.</summary>
    /// <remarks>
    /// A fault is recorded against its request index; the batch stops there unless <c>ContinueOnError</c>.
    /// Without <c>ReturnResponses</c> only faults are returned. At most 1,000 requests, none of them a batch.
    /// </remarks>
    internal sealed class ExecuteMultipleHandler : IMessageHandler
    {
        public const int MaxBatchSize = 1000;

        public OrganizationResponse Handle(OrganizationRequest request, MessageContext context)
        {
            var requests = Parameter.Required<OrganizationRequestCollection>(request, "Requests");
            var settings = Parameter.Required<ExecuteMultipleSettings>(request, "Settings");
            if (requests.Count > MaxBatchSize)
            {
                throw DataverseFaults.InvalidArgument($"ExecuteMultiple takes at most {MaxBatchSize} requests; this batch has {requests.Count}.");
            }
            for (var i = 0; i < requests.Count; i++)
            {
                if (requests[i] is null || requests[i].RequestName == "ExecuteMultiple")
                {
                    throw DataverseFaults.InvalidArgument($"Request {i} of the batch is empty or is itself an ExecuteMultiple request.");
                }
            }

            var responses = new ExecuteMultipleResponseItemCollection();
            var faulted = false;
            for (var i = 0; i < requests.Count; i++)
            {
                try
                {
                    var response = context.Execute(requests[i]);
                    if (settings.ReturnResponses)
                    {
                        responses.Add(new ExecuteMultipleResponseItem { RequestIndex = i, Response = response });
                    }
                }
                catch (FaultException<OrganizationServiceFault> fault)
                {
                    faulted = true;
                    responses.Add(new ExecuteMultipleResponseItem { RequestIndex = i, Fault = fault.Detail });
                    if (!settings.ContinueOnError)
                    {
                        break;
                    }
                }
            }
            return new ExecuteMultipleResponse { ["IsFaulted"] = faulted, ["Responses"] = responses };
        }
    }
}
