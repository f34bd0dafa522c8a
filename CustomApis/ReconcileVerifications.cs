using OneKosmos.Plugins.Steps;
using OneKosmos.Plugins.UseCases;

namespace OneKosmos.CustomApis
{
    /// <summary>
    /// okos_ReconcileVerifications: what a scheduled flow (or the relay's reconcile notification) calls every few minutes so
    /// that no verification stays Pending forever, even if no callback ever arrives.
    /// </summary>
    public sealed class ReconcileVerifications : CustomApi
    {
        protected override void ExecuteDataversePlugin(LocalPluginContext context)
        {
            var services = new ProductServices(context);
            var settings = services.Settings();
            var report = services.Reconciler(settings).Run(
                ApiContract.OptionalNumber(context, "OlderThanMinutes") ?? VerificationReconciler.DefaultOlderThanMinutes,
                ApiContract.OptionalNumber(context, "MaxSessions") ?? VerificationReconciler.DefaultMaxSessions,
                settings.SessionTtlMinutes,
                settings.ReceiptRetentionDays,
                context.ExecutionContext.CorrelationId);
            context.Trace($"Reconciled: {report}.");
            var outputs = context.ExecutionContext.OutputParameters;
            outputs["Checked"] = report.Checked;
            outputs["Updated"] = report.Updated;
            outputs["Expired"] = report.Expired;
            outputs["Errors"] = report.Errors;
        }
    }
}
