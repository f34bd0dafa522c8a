using System;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.PluginTelemetry;

namespace OneKosmos.Sandbox.Dataverse.Plugins
{
    /// <summary>The services Dataverse hands a plug-in: context, tracing, logger and organization service factory.</summary>
    /// <remarks>Any other service type gives null, as <see cref="IServiceProvider"/> does for a service it lacks.</remarks>
    public sealed class SandboxServiceProvider : IServiceProvider
    {
        private readonly InMemoryDataverse _dataverse;

        internal SandboxServiceProvider(InMemoryDataverse dataverse, IPluginExecutionContext context)
        {
            _dataverse = dataverse;
            Context = context ?? throw new ArgumentNullException(nameof(context));
        }

        public IPluginExecutionContext Context { get; }

        public RecordingTracingService Tracing { get; } = new();

        public RecordingLogger Logger { get; } = new();

        public object? GetService(Type serviceType)
        {
            if (serviceType == typeof(IPluginExecutionContext) || serviceType == typeof(IExecutionContext))
            {
                return Context;
            }
            if (serviceType == typeof(ITracingService))
            {
                return Tracing;
            }
            if (serviceType == typeof(ILogger))
            {
                return Logger;
            }
            if (serviceType == typeof(IOrganizationServiceFactory))
            {
                return _dataverse;
            }
            return _dataverse.PluginService(serviceType);
        }
    }
}
