using Microsoft.Xrm.Sdk;
using OneKosmos.Plugins.Dataverse;

namespace OneKosmos.Plugins.UseCases
{
    /// <summary>
    /// Identity state (okos_verification, okos_callbackreceipt, the contact's bound BlockID DID) is written only by the
    /// product (docs/design.md §3). An execute privilege of a custom API lets its holder create verification rows or
    /// receipts through the API; the same privilege used directly would forge a Verified row a gate trusts, so a direct
    /// create, update or delete is refused, whoever makes it.
    /// </summary>
    public static class IdentityStateGuard
    {
        /// <summary>Why the write is refused, naming what to use instead; null when the product makes it or it touches no identity state.</summary>
        public static string? Refusal(IPluginExecutionContext context)
        {
            var table = context.PrimaryEntityName;
            if (table == Schema.Contact.EntityName && !SetsIdentityBinding(context))
            {
                return null;
            }
            if (ProductPath.IsProductWrite(context))
            {
                return null;
            }
            return table switch
            {
                Schema.Verification.EntityName =>
                    $"Identity verifications are written only by OneKosmos, so a gate can rely on them: {context.MessageName} of a verification directly is refused. Start one with the custom API okos_StartVerification or okos_RequestStepUp (the panel's buttons), and let 1Kosmos' result, reconciliation (okos_ReconcileVerifications) or the relay finish it.",
                Schema.CallbackReceipt.EntityName =>
                    $"Callback receipts are written only by OneKosmos while it processes a notification (okos_ProcessVerificationCallback, which the relay calls): {context.MessageName} of a receipt directly is refused.",
                _ =>
                    "A contact's bound BlockID identity is set only by OneKosmos, on evidence that the approving person is the one proofed: it cannot be written directly. A Verification Administrator re-binds it with the custom API okos_BindBlockIdIdentity, which records the reason on the timeline.",
            };
        }

        private static bool SetsIdentityBinding(IPluginExecutionContext context) =>
            context.InputParameters.TryGetValue("Target", out var target) && target is Entity entity
            && (entity.Contains(Schema.Contact.BoundBlockIdDid) || entity.Contains(Schema.Contact.BindingEvidence) || entity.Contains(Schema.Contact.BoundAt));
    }
}
