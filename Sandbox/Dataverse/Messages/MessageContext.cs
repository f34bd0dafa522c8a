using System;
using Microsoft.Xrm.Sdk;
using OneKosmos.Sandbox.Dataverse.Query;
using OneKosmos.Sandbox.Dataverse.Security;
using OneKosmos.Sandbox.Dataverse.Storage;

namespace OneKosmos.Sandbox.Dataverse.Messages
{
    /// <summary>What a message handler may use while it handles one request.</summary>
    internal sealed class MessageContext
    {
        public MessageContext(RowWriter rows, QueryEvaluator queries, AccessGuard access, Guid callerId, Func<OrganizationRequest, OrganizationResponse> execute)
        {
            Access = access;
            Rows = rows;
            Queries = queries;
            CallerId = callerId;
            Execute = execute;
        }

        public RowWriter Rows { get; }

        public QueryEvaluator Queries { get; }

        public AccessGuard Access { get; }

        /// <summary>The user the request runs as.</summary>
        public Guid CallerId { get; }

        /// <summary>Runs another request as the same caller (ExecuteMultiple's inner requests).</summary>
        public Func<OrganizationRequest, OrganizationResponse> Execute { get; }
    }

    /// <summary>Handles one organization request message, as the platform's message of that name does.</summary>
    internal interface IMessageHandler
    {
        OrganizationResponse Handle(OrganizationRequest request, MessageContext context);
    }

    /// <summary>Typed reads of request parameters, with the fault Dataverse gives for a missing or mistyped one.</summary>
    internal static class Parameter
    {
        public static T Required<T>(OrganizationRequest request, string name)
            where T : class =>
            request.Parameters.TryGetValue(name, out var value) && value is T typed
                ? typed
                : throw DataverseFaults.InvalidArgument(
                    $"The {request.RequestName} request needs the parameter {name} of type {typeof(T).Name}.");

        public static T Optional<T>(OrganizationRequest request, string name, T fallback) =>
            request.Parameters.TryGetValue(name, out var value) && value is T typed ? typed : fallback;
    }
}
