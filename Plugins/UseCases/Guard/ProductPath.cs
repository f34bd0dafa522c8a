using Microsoft.Xrm.Sdk;

namespace OneKosmos.Plugins.UseCases
{
    /// <summary>
    /// Whether a request was made by the product's own code. Every product plug-in marks its execution context's shared
    /// variables when it starts; a write it makes runs in a child pipeline whose <c>ParentContext</c> chain leads back to
    /// that context. Nobody outside a plug-in can set a shared variable other than <c>tag</c>, nor choose a parent context,
    /// so a write with no marked ancestor came from a person, an application user, a flow or a batch directly
    /// (docs/identity-state-guard.md says what this relies on, with Microsoft's documentation).
    /// </summary>
    public static class ProductPath
    {
        /// <value>The shared variable a product plug-in sets on its own execution context.</value>
        public const string Marker = "okos.productPath";

        public static void Mark(IPluginExecutionContext context) => context.SharedVariables[Marker] = true;

        /// <summary>Whether one of the request's ancestor contexts is a product plug-in's (the request's own context never counts).</summary>
        public static bool IsProductWrite(IPluginExecutionContext context)
        {
            for (var ancestor = context.ParentContext; ancestor is not null; ancestor = ancestor.ParentContext)
            {
                if (ancestor.SharedVariables.ContainsKey(Marker))
                {
                    return true;
                }
            }
            return false;
        }
    }
}
