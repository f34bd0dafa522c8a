using OneKosmos.Plugins.UseCases;

namespace OneKosmos.Plugins.Steps
{
    /// <summary>
    /// Pre-validation, synchronous: blocks a sensitive action (winning an opportunity, qualifying a lead, approving a refund
    /// or an account change on a case, an update an administrator gates) until the record's contact meets the okos_GatePolicy rule for it (<see cref="IdentityGate"/>).
    /// </summary>
    /// <remarks>An administrator may gate any message that names a record, so the registration is checked by <see cref="GatedAction.From"/>.</remarks>
    public sealed class SensitiveActionGate : PluginBase
    {
        protected override void ExecuteDataversePlugin(LocalPluginContext context)
        {
            var action = GatedAction.From(context.ExecutionContext);
            var services = new ProductServices(context);
            services.Gate(services.Settings()).Enforce(action, context.UserService);
        }
    }
}
