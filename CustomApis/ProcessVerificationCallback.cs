using OneKosmos.Plugins.Steps;

namespace OneKosmos.CustomApis
{
    /// <summary>
    /// okos_ProcessVerificationCallback, for the relay only: authenticates a notification, records it once and applies
    /// 1Kosmos' authoritative result. Permanent answers are outputs (Applied, Duplicate, Ignored, Rejected); it throws only
    /// when 1Kosmos cannot be reached, so the relay retries exactly those.
    /// </summary>
    public sealed class ProcessVerificationCallback : CustomApi
    {
        protected override void ExecuteDataversePlugin(LocalPluginContext context)
        {
            var services = new ProductServices(context);
            var result = services.CallbackProcessor(services.Settings()).Process(
                ApiContract.Optional<string>(context, "Payload"),
                ApiContract.Optional<string>(context, "MessageId"),
                ApiContract.Optional<string>(context, "Timestamp"),
                ApiContract.Optional<string>(context, "Signature"));
            context.Trace($"Callback {result.Outcome}{(result.ReasonCode.Length > 0 ? " (" + result.ReasonCode + ")" : "")}: {result.Explanation}.");
            var outputs = context.ExecutionContext.OutputParameters;
            outputs["Outcome"] = result.Outcome.ToString();
            outputs["ReasonCode"] = result.ReasonCode;
            outputs["VerificationId"] = result.VerificationId ?? System.Guid.Empty;
        }
    }
}
