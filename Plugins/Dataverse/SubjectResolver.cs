using System;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace OneKosmos.Plugins.Dataverse
{
    /// <summary>Who is verified for a business record (docs/design.md §3): the record's contact, else its customer when a contact, else that account's primary contact.</summary>
    public static class SubjectResolver
    {
        /// <summary>The contact to verify for a record of a gated table, or null when it names none.</summary>
        /// <exception cref="InvalidPluginExecutionException">The table has no rule for finding its contact.</exception>
        public static Guid? For(IOrganizationService systemService, string table, Guid id) =>
            table == Schema.Contact.EntityName ? id : From(systemService, systemService.Retrieve(table, id, new ColumnSet(ColumnsFor(table))));

        /// <summary>The columns of a record of <paramref name="table"/> that name its contact: read them with anything else needed, in one call.</summary>
        /// <exception cref="InvalidPluginExecutionException">The table has no rule for finding its contact.</exception>
        public static string[] ColumnsFor(string table) => table switch
        {
            Schema.Contact.EntityName => new string[0],
            Schema.Opportunity.EntityName => new[] { Schema.Opportunity.ParentContactId, Schema.Opportunity.CustomerId },
            Schema.Lead.EntityName => new[] { Schema.Lead.ParentContactId },
            Schema.Case.EntityName => new[] { Schema.Case.CustomerId, Schema.Case.PrimaryContactId },
            Schema.Account.EntityName => new[] { Schema.Account.PrimaryContactId },
            _ => throw new InvalidPluginExecutionException($"Cannot tell whose identity a {table} record is about: use a contact, account, opportunity, lead or case."),
        };

        /// <summary>The contact to verify for a record already read with <see cref="ColumnsFor"/>, or null when it names none.</summary>
        public static Guid? From(IOrganizationService systemService, Entity record) => record.LogicalName switch
        {
            Schema.Contact.EntityName => record.Id,
            Schema.Opportunity.EntityName => record.GetAttributeValue<EntityReference>(Schema.Opportunity.ParentContactId)?.Id ?? ForCustomer(systemService, record, null),
            Schema.Lead.EntityName => record.GetAttributeValue<EntityReference>(Schema.Lead.ParentContactId)?.Id,
            Schema.Case.EntityName => ForCustomer(systemService, record, Schema.Case.PrimaryContactId),
            Schema.Account.EntityName => record.GetAttributeValue<EntityReference>(Schema.Account.PrimaryContactId)?.Id,
            var table => throw new InvalidPluginExecutionException($"Cannot tell whose identity a {table} record is about: use a contact, account, opportunity, lead or case."),
        };

        /// <summary>What to tell a user whose record names nobody whose identity can be checked.</summary>
        public static string NoContact(string table) => table switch
        {
            Schema.Lead.EntityName => "This lead has no contact, so nobody's identity can be checked before it is qualified. Link the lead to the person's contact (Contact field) or create the contact, then qualify again.",
            Schema.Opportunity.EntityName => "This opportunity names no contact (Contact, a contact Customer, or an account with a Primary Contact), so nobody's identity can be checked. Set the contact, then try again.",
            _ => $"This {table} names no contact (Customer or Contact, or an account with a Primary Contact), so nobody's identity can be checked. Set the contact, then try again.",
        };

        /// <summary>The contact to verify for an opportunity, or null when it names none.</summary>
        public static Guid? ForOpportunity(IOrganizationService systemService, Guid opportunityId) =>
            For(systemService, Schema.Opportunity.EntityName, opportunityId);

        /// <summary>The record's customer when it is a contact, else its own contact column, else the customer account's primary contact.</summary>
        private static Guid? ForCustomer(IOrganizationService systemService, Entity record, string? contactColumn)
        {
            var customer = record.GetAttributeValue<EntityReference>(Schema.Opportunity.CustomerId);
            if (customer?.LogicalName == Schema.Contact.EntityName)
            {
                return customer.Id;
            }
            if (contactColumn is not null && record.GetAttributeValue<EntityReference>(contactColumn) is { } contact)
            {
                return contact.Id;
            }
            return customer is null ? null : PrimaryContactOf(systemService, customer.Id);
        }

        private static Guid? PrimaryContactOf(IOrganizationService systemService, Guid accountId) =>
            systemService.Retrieve(Schema.Account.EntityName, accountId, new ColumnSet(Schema.Account.PrimaryContactId))
                .GetAttributeValue<EntityReference>(Schema.Account.PrimaryContactId)?.Id;
    }
}
