using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Plugins.UseCases;

namespace OneKosmos.Plugins.Steps
{
    /// <summary>
    /// Pre-operation, synchronous, on Create and Update of okos_selfservice (the Power Pages site's row): does what the row asks
    /// and writes the contact's standing onto it in the same save (<see cref="SelfServiceDesk"/>).
    /// </summary>
    /// <remarks>On Update the stored contact comes from the pre-image "Stored" (okos_contactid), or a read when the image is missing.</remarks>
    public sealed class SelfServiceRequestStep : PluginBase
    {
        private const string StoredImage = "Stored";

        protected override string Registration => "Create or Update of okos_selfservice";

        protected override bool RunsFor(string message, string table) => message is "Create" or "Update" && table == Schema.SelfService.EntityName;

        protected override void ExecuteDataversePlugin(LocalPluginContext context)
        {
            var execution = context.ExecutionContext;
            var target = (Entity)execution.InputParameters["Target"];
            var stored = execution.MessageName == "Create" ? null
                : execution.PreEntityImages.TryGetValue(StoredImage, out var image) && image.Contains(Schema.SelfService.ContactId) ? image
                : context.SystemService.Retrieve(Schema.SelfService.EntityName, target.Id, new ColumnSet(Schema.SelfService.ContactId));
            var contactId = SelfServiceDesk.ContactOf(target, stored);
            var services = new ProductServices(context);
            context.Trace(services.SelfService().Serve(target, contactId, execution.CorrelationId));
        }
    }
}
