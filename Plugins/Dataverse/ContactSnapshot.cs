using System;
using Microsoft.Xrm.Sdk;
using OneKosmos.Core.Verification;
using Microsoft.Xrm.Sdk.Query;

namespace OneKosmos.Plugins.Dataverse
{
    /// <summary>The contact a verification is for: what 1Kosmos needs to check the document, and who owns the contact.</summary>
    public sealed class ContactSnapshot
    {
        public ContactSnapshot(Guid id, string? firstName, string? lastName, string? fullName, bool canBeReached, EntityReference? owner)
        {
            Id = id;
            FirstName = firstName;
            LastName = lastName;
            FullName = fullName;
            CanBeReached = canBeReached;
            Owner = owner;
        }

        public Guid Id { get; }

        public string? FirstName { get; }

        public string? LastName { get; }

        public string? FullName { get; }

        /// <value>The contact has an email address or a mobile phone to receive the capture link.</value>
        public bool CanBeReached { get; }

        public EntityReference? Owner { get; }

        public EntityReference Reference => new(Schema.Contact.EntityName, Id);

        /// <value>How a message names the contact: "Contact Jane Doe", or "The contact" without a name.</value>
        public string Who => FullName is { Length: > 0 } name ? $"Contact {name}" : "The contact";

        public static ContactSnapshot Read(IOrganizationService systemService, Guid contactId)
        {
            var row = systemService.Retrieve(Schema.Contact.EntityName, contactId, new ColumnSet(
                Schema.Contact.FirstName, Schema.Contact.LastName, Schema.Contact.FullName, Schema.Contact.Email, Schema.Contact.MobilePhone, Schema.Contact.OwnerId));
            return new ContactSnapshot(
                contactId,
                row.GetAttributeValue<string>(Schema.Contact.FirstName),
                row.GetAttributeValue<string>(Schema.Contact.LastName),
                row.GetAttributeValue<string>(Schema.Contact.FullName),
                ContactAddress.CanBeReached(row.GetAttributeValue<string>(Schema.Contact.Email), row.GetAttributeValue<string>(Schema.Contact.MobilePhone)),
                row.GetAttributeValue<EntityReference>(Schema.Contact.OwnerId));
        }

        /// <summary>The BlockID DID bound to the contact (later LiveID step-ups must present it), or null.</summary>
        public static string? BoundDid(IOrganizationService systemService, Guid contactId) =>
            systemService.Retrieve(Schema.Contact.EntityName, contactId, new ColumnSet(Schema.Contact.BoundBlockIdDid)).GetAttributeValue<string>(Schema.Contact.BoundBlockIdDid);
    }
}
