using System;
using System.Linq;
using Microsoft.Xrm.Sdk;

namespace OneKosmos.Sandbox.Dataverse.Messages
{
    /// <summary>
    /// SendEmail (EmailId, IssueSend, TrackingToken → Subject): sends an email activity to its recipients. The sandbox has
    /// no mailbox: the email is marked Sent (statecode 1, statuscode 3) at once, which is what
    /// <see cref="InMemoryDataverse.SentEmails"/> reads. A recipient without an email address fails the send, as Dataverse does.
    /// </summary>
    /// <remarks>learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/sendemail</remarks>
    internal sealed class SendEmailHandler : IMessageHandler
    {
        public OrganizationResponse Handle(OrganizationRequest request, MessageContext context)
        {
            if (!request.Parameters.TryGetValue("EmailId", out var value) || value is not Guid emailId)
            {
                throw DataverseFaults.InvalidArgument("The SendEmail request needs the parameter EmailId of type Guid.");
            }
            if (!Parameter.Optional(request, "IssueSend", false))
            {
                throw new NotSupportedException("The in-memory Dataverse sends an email only with IssueSend = true (marking it sent without sending is not modelled).");
            }
            var email = context.Rows.Locate("email", emailId, null);
            var recipients = (email.GetAttributeValue<EntityCollection>("to")?.Entities ?? Enumerable.Empty<Entity>())
                .Select(party => party.GetAttributeValue<EntityReference>("partyid"))
                .ToList();
            if (recipients.Count == 0 || recipients.Any(party => party is null || string.IsNullOrWhiteSpace(AddressOf(context.Rows.Locate(party.LogicalName, party.Id, null)))))
            {
                throw DataverseFaults.InvalidArgument("The email cannot be sent: a recipient has no email address.");
            }
            context.Rows.Change(new Entity("email", emailId) { ["statecode"] = new OptionSetValue(1), ["statuscode"] = new OptionSetValue(3) }, context.CallerId, ConcurrencyBehavior.Default);
            return new OrganizationResponse { ResponseName = "SendEmail", ["Subject"] = email.GetAttributeValue<string>("subject") };
        }

        /// <summary>A party's email address: a user's primary email (internalemailaddress), a queue's, or a contact's or account's emailaddress1.</summary>
        internal static string? AddressOf(Entity? party) => party?.LogicalName switch
        {
            null => null,
            "systemuser" => party.GetAttributeValue<string>("internalemailaddress"),
            "queue" => party.GetAttributeValue<string>("emailaddress"),
            _ => party.GetAttributeValue<string>("emailaddress1"),
        };
    }
}
