using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using OneKosmos.Sandbox.Dataverse.Metadata;
using OneKosmos.Sandbox.Dataverse.Security;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Dataverse.Messages
{
    /// <summary>
    /// A custom API as the platform serves it: the caller needs its execute privilege, the request must match its
    /// parameters, and its main-operation plug-in (stage 30) fills the response, which must match its properties.
    /// </summary>
    internal sealed class CustomApiHandler : IMessageHandler
    {
        public CustomApiHandler(CustomApiMetadata definition)
        {
            Definition = definition;
        }

        public CustomApiMetadata Definition { get; }

        /// <summary>Refuses a caller without the privilege and a request that does not match the definition, before any step runs.</summary>
        public void Admit(OrganizationRequest request, AccessGuard access, Guid callerId)
        {
            if (Definition.ExecutePrivilegeName is { } privilege)
            {
                access.DemandExecute(callerId, privilege);
            }
            foreach (var pair in request.Parameters)
            {
                var parameter = Definition.RequestParameters.FirstOrDefault(field => field.UniqueName == pair.Key)
                    ?? throw DataverseFaults.InvalidArgument($"{Definition.UniqueName} has no request parameter named {pair.Key}.");
                if (parameter.Mismatch(pair.Value) is { } problem)
                {
                    throw DataverseFaults.InvalidArgument($"The {Definition.UniqueName} parameter {pair.Key} {problem}.");
                }
            }
            foreach (var required in Definition.RequestParameters.Where(field => !field.IsOptional))
            {
                if (!request.Parameters.TryGetValue(required.UniqueName, out var value) || value is null)
                {
                    throw DataverseFaults.InvalidArgument($"{Definition.UniqueName} needs the parameter {required.UniqueName} ({required.TypeName}).");
                }
            }
        }

        /// <summary>The empty response the main operation fills in.</summary>
        public OrganizationResponse Handle(OrganizationRequest request, MessageContext context) =>
            new() { ResponseName = Definition.UniqueName };

        /// <summary>Refuses a response property the API does not declare or of the wrong type: a defect in the plug-in, not the caller.</summary>
        public void CheckResponse(OrganizationResponse response)
        {
            foreach (var pair in response.Results)
            {
                var property = Definition.ResponseProperties.FirstOrDefault(field => field.UniqueName == pair.Key)
                    ?? throw DataverseFaults.InvalidArgument($"The main operation of {Definition.UniqueName} set the output {pair.Key}, which the API does not declare.");
                if (property.Mismatch(pair.Value) is { } problem)
                {
                    throw DataverseFaults.InvalidArgument($"The main operation of {Definition.UniqueName} set the output {pair.Key}, which {problem}.");
                }
            }
        }
    }
}
