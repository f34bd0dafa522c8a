using System;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Core.Callbacks;

namespace OneKosmos.Plugins.Dataverse
{
    /// <summary>
    /// okos_callbackreceipt rows: one per accepted notification, keyed by its message id, so a second delivery is
    /// recognised. Looked up before they are created, because a refused create would doom the transaction (docs/design.md §1b).
    /// </summary>
    public sealed class CallbackReceipts
    {
        private readonly IOrganizationService _system;

        public CallbackReceipts(IOrganizationService systemService)
        {
            _system = systemService;
        }

        public bool Exists(string messageId)
        {
            var query = new QueryExpression(Schema.CallbackReceipt.EntityName) { ColumnSet = new ColumnSet(false), TopCount = 1 };
            query.Criteria.AddCondition(Schema.CallbackReceipt.MessageId, ConditionOperator.Equal, messageId);
            return _system.RetrieveMultiple(query).Entities.Count > 0;
        }

        public Guid Record(string messageId, string source, string type, Guid verificationId, DateTimeOffset receivedAt) =>
            _system.Create(new Entity(Schema.CallbackReceipt.EntityName)
            {
                [Schema.CallbackReceipt.Name] = messageId,
                [Schema.CallbackReceipt.MessageId] = messageId,
                [Schema.CallbackReceipt.Source] = source,
                [Schema.CallbackReceipt.Type] = type,
                [Schema.CallbackReceipt.ReceivedAt] = receivedAt.UtcDateTime,
                [Schema.CallbackReceipt.Outcome] = CallbackOutcome.Applied.ToString(),
                [Schema.CallbackReceipt.VerificationId] = new EntityReference(Schema.Verification.EntityName, verificationId),
            });

        public void SetOutcome(Guid receiptId, CallbackOutcome outcome, string reasonCode) =>
            _system.Update(new Entity(Schema.CallbackReceipt.EntityName, receiptId)
            {
                [Schema.CallbackReceipt.Outcome] = $"{outcome}: {reasonCode}",
            });

        /// <summary>Deletes up to <paramref name="limit"/> receipts received before <paramref name="cutoff"/>; returns how many.</summary>
        public int DeleteReceivedBefore(DateTimeOffset cutoff, int limit)
        {
            var query = new QueryExpression(Schema.CallbackReceipt.EntityName) { ColumnSet = new ColumnSet(false), TopCount = limit };
            query.Criteria.AddCondition(Schema.CallbackReceipt.ReceivedAt, ConditionOperator.LessThan, cutoff.UtcDateTime);
            var rows = _system.RetrieveMultiple(query).Entities;
            foreach (var row in rows)
            {
                _system.Delete(Schema.CallbackReceipt.EntityName, row.Id);
            }
            return rows.Count;
        }
    }
}
