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
    }
}
