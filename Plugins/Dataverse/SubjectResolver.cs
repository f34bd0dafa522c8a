using System;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace OneKosmos.Plugins.Dataverse
{
    /// <summary>Who is verified for a business record (DESIGN.md §3): the opportunity's contact, else its customer contact, else that account's primary contact.</summary>
    public static class SubjectResolver
    {
        /// <summary>The contact to verify for an opportunity, or null when it names none.</summary>
        public static Guid? ForOpportunity(IOrganizationService systemService, Guid opportunityId)
        {
            var opportunity = systemService.Retrieve(Schema.Opportunity.EntityName, opportunityId, new ColumnSet(Schema.Opportunity.ParentContactId, Schema.Opportunity.CustomerId));
            if (opportunity.GetAttributeValue<EntityReference>(Schema.Opportunity.ParentContactId) is { } contact)
            {
                return contact.Id;
            }
            var customer = opportunity.GetAttributeValue<EntityReference>(Schema.Opportunity.CustomerId);
            if (customer is null)
            {
                return null;
            }
            if (customer.LogicalName == Schema.Contact.EntityName)
            {
                return customer.Id;
            }
            var account = systemService.Retrieve(Schema.Account.EntityName, customer.Id, new ColumnSet(Schema.Account.PrimaryContactId));
            return account.GetAttributeValue<EntityReference>(Schema.Account.PrimaryContactId)?.Id;
        }
    }
}
