using System;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;

namespace OneKosmos.Plugins.Steps
{
    /// <summary>The one entry shape of every plug-in step and custom API in the product.</summary>
    /// <remarks>
    /// Dataverse caches a plug-in instance and runs it on several threads at once, so subclasses keep no
    /// per-execution state in fields. Only <see cref="InvalidPluginExecutionException"/> leaves
    /// <see cref="Execute"/>: an organization-service fault keeps its error code; any other exception is
    /// reported by type and correlation id only, because a third-party message may carry a URL or secret.
    /// </remarks>
    public abstract class PluginBase : IPlugin
    {
        protected PluginBase()
        {
            PluginName = GetType().FullName ?? GetType().Name;
        }

        protected string PluginName { get; }

        public void Execute(IServiceProvider serviceProvider)
        {
            if (serviceProvider is null)
            {
                throw new InvalidPluginExecutionException($"{PluginName} cannot run: the platform provided no service provider.");
            }

            var context = new LocalPluginContext(serviceProvider, PluginName);
            var execution = context.ExecutionContext;
            context.Trace($"{PluginName}: {execution.MessageName} of {execution.PrimaryEntityName} {execution.PrimaryEntityId}, stage {execution.Stage}, mode {execution.Mode}, depth {execution.Depth}, correlation {execution.CorrelationId}");
            // Writes this execution makes descend from a marked context: the identity state guard lets only those through.
            UseCases.ProductPath.Mark(execution);
            if (!RunsFor(execution.MessageName, execution.PrimaryEntityName))
            {
                throw new InvalidPluginExecutionException(
                    $"{PluginName} is registered on {execution.MessageName} of {execution.PrimaryEntityName}, but it is written for {Registration}. Register it as the OneKosmos solution does, or remove this registration.");
            }
            try
            {
                ExecuteDataversePlugin(context);
            }
            catch (InvalidPluginExecutionException)
            {
                throw;
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                var detail = fault.Detail;
                context.Trace($"{PluginName}: Dataverse refused a request with error {detail?.ErrorCode}.");
                throw new InvalidPluginExecutionException(
                    OperationStatus.Failed,
                    detail?.ErrorCode ?? 0,
                    $"{PluginName} could not finish: Dataverse refused a request ({detail?.Message ?? fault.Message}). Correlation id {execution.CorrelationId}.");
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                context.Trace($"{PluginName}: unexpected {exception.GetType().FullName}{Environment.NewLine}{exception.StackTrace}");
                throw new InvalidPluginExecutionException(
                    $"{PluginName} failed unexpectedly ({exception.GetType().Name}). Look up correlation id {execution.CorrelationId} in the plug-in trace log, or send it to support.");
            }
        }

        /// <value>The message and table the class is written for, as an administrator reads it in the error for a wrong registration.</value>
        protected virtual string Registration => "any message";

        /// <summary>Whether the class may run for <paramref name="message"/> of <paramref name="table"/>; a wrong registration is refused with <see cref="Registration"/>.</summary>
        protected virtual bool RunsFor(string message, string table) => true;

        /// <summary>Reads the context, calls one service and writes the result.</summary>
        protected abstract void ExecuteDataversePlugin(LocalPluginContext context);
    }
}
