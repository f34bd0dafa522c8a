using System;
using System.Linq;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Core.Verification;

namespace OneKosmos.Plugins.Dataverse
{
    /// <summary>
    /// Sends a link to the contact's own email address from the queue okos_StepUpEmailQueue names (a first LiveID approval,
    /// or any link a caller asked to go to the contact only): an email activity owned by SYSTEM, sent at once with SendEmail
    /// (learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/sendemail). The link is never stored on the
    /// verification row nor returned to the caller.
    /// </summary>
    public static class ApprovalEmail
    {
        /// <summary>
        /// Where a LiveID request for the contact goes only to them: their email address, read as SYSTEM, while no BlockID
        /// identity is bound to them; null once one is bound or when they have no address. One read of the contact.
        /// </summary>
        public static string? PrivateAddressOf(IOrganizationService systemService, Guid contactId)
        {
            var contact = systemService.Retrieve(Schema.Contact.EntityName, contactId, new ColumnSet(Schema.Contact.Email, Schema.Contact.BoundBlockIdDid));
            return string.IsNullOrEmpty(contact.GetAttributeValue<string>(Schema.Contact.BoundBlockIdDid)) ? Address(contact) : null;
        }

        /// <summary>The contact's email address, read as SYSTEM; null when they have none.</summary>
        public static string? AddressOf(IOrganizationService systemService, Guid contactId) =>
            Address(systemService.Retrieve(Schema.Contact.EntityName, contactId, new ColumnSet(Schema.Contact.Email)));

        private static string? Address(Entity contact) =>
            contact.GetAttributeValue<string>(Schema.Contact.Email) is { } address && !string.IsNullOrWhiteSpace(address) ? address.Trim() : null;

        /// <exception cref="InvalidPluginExecutionException">The queue does not exist, or Dataverse refused to send.</exception>
        public static void Send(IOrganizationService systemService, EntityReference contact, string queueName, string link, DateTimeOffset? expiresAt, Journey journey)
        {
            var query = new QueryExpression("queue") { ColumnSet = new ColumnSet(false), TopCount = 1 };
            query.Criteria.AddCondition("name", ConditionOperator.Equal, queueName);
            var queue = systemService.RetrieveMultiple(query).Entities.FirstOrDefault()
                ?? throw new InvalidPluginExecutionException(
                    $"okos_StepUpEmailQueue names the queue '{queueName}', which does not exist. A Verification Administrator sets it to a queue with an approved mailbox, or empties it.");
            var email = new Entity("email")
            {
                ["subject"] = journey == Journey.LiveIdStepUp ? "Confirm it is you in the BlockID app" : "Verify your identity",
                ["description"] = (journey == Journey.LiveIdStepUp
                        ? "We were asked to confirm your identity with a biometric check in the 1Kosmos BlockID app. Open this link on your phone and approve it in the app"
                        : "We were asked to verify your identity: scan your government ID and take a selfie. Open this link on your phone and follow the steps")
                    + (expiresAt is { } expiry ? $" before {expiry.UtcDateTime:yyyy-MM-dd HH:mm} UTC" : "")
                    + $": {link}\n\nIf you did not expect this, do not go on; nothing happens until you do.",
                ["to"] = new EntityCollection(new[] { new Entity("activityparty") { ["partyid"] = contact } }),
                ["from"] = new EntityCollection(new[] { new Entity("activityparty") { ["partyid"] = new EntityReference("queue", queue.Id) } }),
                ["regardingobjectid"] = contact,
                ["directioncode"] = true,
            };
            try
            {
                var id = systemService.Create(email);
                systemService.Execute(new OrganizationRequest("SendEmail") { ["EmailId"] = id, ["IssueSend"] = true, ["TrackingToken"] = "" });
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                throw new InvalidPluginExecutionException(
                    $"The link could not be emailed to the contact from queue '{queueName}' ({fault.Detail?.Message ?? fault.Message}). Check the queue's mailbox, or empty okos_StepUpEmailQueue.");
            }
        }
    }
}
