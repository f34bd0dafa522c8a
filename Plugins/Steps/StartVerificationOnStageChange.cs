using OneKosmos.Plugins.Dataverse;

namespace OneKosmos.Plugins.Steps
{
    /// <summary>
    /// Post-operation, asynchronous, on opportunity Update (step name or sales stage) and on opportunitysalesprocess
    /// Update (the business process flow's active stage): starts an identity proofing when the opportunity enters a stage
    /// listed in okos_VerificationStages (<see cref="UseCases.StageChangeStarter"/>).
    /// </summary>
    public sealed class StartVerificationOnStageChange : PluginBase
    {
        protected override string Registration => "Update of opportunity or of opportunitysalesprocess";

        protected override bool RunsFor(string message, string table) =>
            message == "Update" && table is Schema.Opportunity.EntityName or Schema.OpportunitySalesProcess.EntityName;

        protected override void ExecuteDataversePlugin(LocalPluginContext context)
        {
            var services = new ProductServices(context);
            context.Trace(services.StageChangeStarter(services.Settings()).OnStageChange(context.ExecutionContext));
        }
    }
}
