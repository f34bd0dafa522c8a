using Microsoft.Xrm.Sdk;

namespace OneKosmos.Plugins.Dataverse
{
    /// <summary>
    /// Notes on the timeline of the record a verification is about, so the audit trail sits where the business
    /// happened. They say what happened and the reason code; never a name, a document detail or a link.
    /// </summary>
    public static class TimelineNotes
    {
        public static void Add(IOrganizationService systemService, EntityReference regarding, string subject, string text) =>
            systemService.Create(new Entity(Schema.Note.EntityName)
            {
                [Schema.Note.Regarding] = regarding,
                [Schema.Note.Subject] = subject,
                [Schema.Note.Text] = text,
            });

        /// <summary>One note on the contact's timeline and, when a business record asked for the verification, on that record's too.</summary>
        public static void AddAboutContact(IOrganizationService systemService, EntityReference contact, EntityReference? regarding, string subject, string text)
        {
            Add(systemService, contact, subject, text);
            if (regarding is not null)
            {
                Add(systemService, regarding, subject, text);
            }
        }

        /// <summary>One note about an attempt (a verification row with its contact and regarding columns): on the contact's timeline and on the business record that asked for it.</summary>
        public static void AddAboutAttempt(IOrganizationService systemService, Entity attempt, string subject, string text)
        {
            Add(systemService, attempt.GetAttributeValue<EntityReference>(Schema.Verification.ContactId), subject, text);
            foreach (var regarding in new[] { Schema.Verification.OpportunityId, Schema.Verification.LeadId, Schema.Verification.CaseId })
            {
                if (attempt.GetAttributeValue<EntityReference>(regarding) is { } record)
                {
                    Add(systemService, record, subject, text);
                }
            }
        }
    }
}
