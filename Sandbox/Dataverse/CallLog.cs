using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;

namespace OneKosmos.Sandbox.Dataverse
{
    /// <summary>The Dataverse calls plug-ins made while it was open, in order, each as "Message table" (see <see cref="InMemoryDataverse.StartCallLog"/>).</summary>
    public sealed class CallLog : IDisposable
    {
        private readonly List<string> _calls = new();
        private readonly Action _close;

        internal CallLog(Action close)
        {
            _close = close;
        }

        public IReadOnlyList<string> Calls => _calls.ToList();

        public int Count => _calls.Count;

        internal void Add(string call) => _calls.Add(call);

        public void Dispose() => _close();

        public override string ToString() => string.Join(Environment.NewLine, _calls);

        internal static string Describe(OrganizationRequest request) => request switch
        {
            CreateRequest create => $"Create {create.Target?.LogicalName}",
            UpdateRequest update => $"Update {update.Target?.LogicalName}",
            DeleteRequest delete => $"Delete {delete.Target?.LogicalName}",
            RetrieveRequest retrieve => $"Retrieve {retrieve.Target?.LogicalName}",
            RetrieveMultipleRequest { Query: QueryExpression query } => $"RetrieveMultiple {query.EntityName}",
            UpsertRequest upsert => $"Upsert {upsert.Target?.LogicalName}",
            _ => request.Parameters.TryGetValue("Target", out var target) && target is Entity entity
                ? $"{request.RequestName} {entity.LogicalName}"
                : request.Parameters.TryGetValue("Target", out target) && target is EntityReference reference
                    ? $"{request.RequestName} {reference.LogicalName}"
                    : request.RequestName,
        };
    }
}
