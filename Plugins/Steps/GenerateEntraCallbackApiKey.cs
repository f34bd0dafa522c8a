using System.Security.Cryptography;
using Microsoft.Xrm.Sdk;
using OneKosmos.Plugins.Dataverse;

namespace OneKosmos.Plugins.Steps
{
    /// <summary>
    /// Pre-operation, synchronous, on Create and Update of okos_blockidconnection: fills the Entra Callback API Key with a
    /// fresh random key when Verified ID is being set up without one, or when an administrator clears it to rotate it.
    /// </summary>
    /// <remarks>
    /// The key is what Entra sends back on every callback and what the relay checks, so it must be unguessable; people
    /// should not have to invent one. It is never traced: the trace only says that one was made.
    /// </remarks>
    public sealed class GenerateEntraCallbackApiKey : PluginBase
    {
        /// <value>32 random bytes, base64url: 43 characters.</value>
        private const int KeyBytes = 32;

        protected override void ExecuteDataversePlugin(LocalPluginContext context)
        {
            var execution = context.ExecutionContext;
            if (!(execution.InputParameters.TryGetValue("Target", out var value) && value is Entity target))
            {
                return;
            }
            var before = execution.PreEntityImages.TryGetValue("PreImage", out var image) ? image : null;
            // What the row will hold once saved: the change where it sets the column, otherwise what was there.
            string? After(string column) => target.Contains(column) ? target.GetAttributeValue<string>(column) : before?.GetAttributeValue<string>(column);
            var key = Schema.BlockIdConnection.EntraCallbackApiKey;
            if (string.IsNullOrWhiteSpace(After(Schema.BlockIdConnection.EntraTenantId)) || !string.IsNullOrWhiteSpace(After(key)))
            {
                return;
            }
            target[key] = NewKey();
            context.Trace("A new Entra callback api-key was generated: a Verification Administrator copies it into the relay's Relay:Ingress:EntraApiKeys.");
        }

        private static string NewKey()
        {
            var bytes = new byte[KeyBytes];
            using (var random = RandomNumberGenerator.Create())
            {
                random.GetBytes(bytes);
            }
            return System.Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        }
    }
}
