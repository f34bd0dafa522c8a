using System;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace OneKosmos.Plugins.Dataverse
{
    /// <summary>Finds a contact by primary email address, for callers outside Dataverse that know only the email.</summary>
    public static class ContactLookup
    {
        private const int MostReported = 50;

        /// <summary>The one contact whose primary email equals <paramref name="email"/> (case-insensitive), with its full name; null when none does.</summary>
        /// <remarks>The address is a condition value, never pasted into a filter, so quotes, "or" and wildcards are only characters.</remarks>
        /// <exception cref="InvalidPluginExecutionException">Several contacts have the address: the message says how many, never who.</exception>
        public static Entity? ByEmail(IOrganizationService service, string email)
        {
            var query = new QueryExpression(Schema.Contact.EntityName) { ColumnSet = new ColumnSet(Schema.Contact.FullName, Schema.Contact.BindingEvidence), TopCount = MostReported + 1 };
            query.Criteria.AddCondition(Schema.Contact.Email, ConditionOperator.Equal, email.Trim());
            var rows = service.RetrieveMultiple(query).Entities;
            if (rows.Count > 1)
            {
                var count = rows.Count > MostReported ? $"more than {MostReported}" : rows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                throw new InvalidPluginExecutionException($"{count} contacts have this email address, so it does not identify one person. Pass the contact (Subject) instead, or merge the duplicate contacts.");
            }
            return rows.Count == 0 ? null : rows[0];
        }
    }
}
