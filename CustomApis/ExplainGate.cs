using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Plugins.Steps;
using OneKosmos.Plugins.UseCases;

namespace OneKosmos.CustomApis
{
    /// <summary>
    /// okos_ExplainGate: whether the identity gate would refuse an action on a record (Win of an opportunity, QualifyLead
    /// of a lead, an Update of a case) and what would unblock it, in the words the gate would use; for Copilot and flows
    /// that ask before they act. Changes nothing.
    /// </summary>
    public sealed class ExplainGate : CustomApi
    {
        protected override void ExecuteDataversePlugin(LocalPluginContext context)
        {
            // Required in the API's definition: the platform refuses a call without it.
            var record = (EntityReference)context.ExecutionContext.InputParameters["Record"];
            // Read as the caller: the access check, so nobody learns the gate's view of a record they may not see.
            context.UserService.Retrieve(record.LogicalName, record.Id, new ColumnSet(false));
            var message = ApiContract.Optional<string>(context, "Message") is { Length: > 0 } given ? given.Trim() : DefaultMessage(record.LogicalName);
            var services = new ProductServices(context);
            var verdict = services.Gate(services.Settings()).Judge(GatedAction.Considered(message, record));
            context.Trace(verdict.Trace);
            context.ExecutionContext.OutputParameters["WouldBlock"] = verdict.WouldBlock;
            context.ExecutionContext.OutputParameters["Explanation"] = verdict.Explanation;
            context.ExecutionContext.OutputParameters["Message"] = message;
        }

        /// <summary>The action a record's gate is usually about: winning an opportunity, qualifying a lead, else an update.</summary>
        private static string DefaultMessage(string table) => table switch
        {
            Schema.Opportunity.EntityName => "Win",
            Schema.Lead.EntityName => "QualifyLead",
            _ => "Update",
        };
    }
}
