using Microsoft.Xrm.Sdk;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Plugins.UseCases;

namespace OneKosmos.Plugins.Steps
{
    /// <summary>
    /// Pre-operation, synchronous, on Create and Update of okos_blockidconnection: fills the Entra Callback API Key with a
    /// fresh random key when Verified ID is being set up without one, or when an administrator clears it to rotate it.
    /// </summary>
    /// <remarks>The key is never traced: the trace only says that one was made.</remarks>
    public sealed class GenerateEntraCallbackApiKey : PluginBase
    {
        protected override string Registration => "Create or Update of okos_blockidconnection";

        protected override bool RunsFor(string message, string table) => message is "Create" or "Update" && table == Schema.BlockIdConnection.EntityName;

        protected override void ExecuteDataversePlugin(LocalPluginContext context)
        {
            var execution = context.ExecutionContext;
            if (execution.InputParameters.TryGetValue("Target", out var value) && value is Entity target
                && EntraCallbackApiKey.FillIfMissing(target, execution.PreEntityImages.TryGetValue("PreImage", out var image) ? image : null))
            {
                context.Trace("A new Entra callback api-key was generated: a Verification Administrator copies it into the relay's Relay:Ingress:EntraApiKeys.");
            }
        }
    }
}
