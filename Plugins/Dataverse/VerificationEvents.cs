using System;
using Microsoft.Xrm.Sdk;
using OneKosmos.Core.Verification;

namespace OneKosmos.Plugins.Dataverse
{
    /// <summary>
    /// Raises the product's business events. A business event is raised by calling its message
    /// ("Microsoft Dataverse business events": learn.microsoft.com/power-apps/developer/data-platform/business-events); the
    /// asynchronous steps on it (a flow's "When an action is performed", a service endpoint) run once the transaction that
    /// raised it commits, and not at all when it rolls back. Payloads carry ids and outcomes only: never a name, an email
    /// address, a link or a document detail.
    /// </summary>
    public static class VerificationEvents
    {
        public static void Ended(IOrganizationService system, Guid verificationId, Guid contactId, VerificationStatus outcome, Journey journey) =>
            system.Execute(new OrganizationRequest(Schema.Events.VerificationEnded)
            {
                ["VerificationId"] = verificationId,
                // A reference of our own, so no name the row's lookup carried goes with it.
                ["Subject"] = new EntityReference(Schema.Contact.EntityName, contactId),
                ["Outcome"] = outcome.ToString(),
                ["Journey"] = journey.ToString(),
            });

        /// <summary>okos_GateRefused: the identity gate refused an action on a record; what was missing as a code, never the explanation (it names the person).</summary>
        public static void GateRefused(IOrganizationService system, EntityReference record, string action, Guid? contactId, string shortfall)
        {
            var raised = new OrganizationRequest(Schema.Events.GateRefused)
            {
                ["RecordTable"] = record.LogicalName,
                ["RecordId"] = record.Id,
                ["Action"] = action,
                ["Shortfall"] = shortfall,
            };
            if (contactId is { } contact)
            {
                raised["Subject"] = new EntityReference(Schema.Contact.EntityName, contact);
            }
            system.Execute(raised);
        }
    }
}
