using System;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.PluginTelemetry;
using OneKosmos.Core.Verification;

namespace OneKosmos.Plugins.Steps
{
    /// <summary>The services of one plug-in execution, resolved once when it starts.</summary>
    /// <remarks>
    /// Organization services are created on first use: many executions return early and never need one.
    /// The user service acts as the calling user (<see cref="IExecutionContext.UserId"/>); the system service
    /// as SYSTEM, for rows the caller cannot see, such as the connection secrets.
    /// </remarks>
    public sealed class LocalPluginContext
    {
        private readonly IOrganizationServiceFactory _serviceFactory;
        private readonly IServiceProvider _serviceProvider;
        private IOrganizationService? _userService;
        private IOrganizationService? _systemService;

        internal LocalPluginContext(IServiceProvider serviceProvider, string pluginName)
        {
            _serviceProvider = serviceProvider;
            TracingService = Require<ITracingService>(serviceProvider, pluginName);
            ExecutionContext = Require<IPluginExecutionContext>(serviceProvider, pluginName);
            _serviceFactory = Require<IOrganizationServiceFactory>(serviceProvider, pluginName);
            Logger = serviceProvider.GetService(typeof(ILogger)) as ILogger;
            Clock = serviceProvider.GetService(typeof(IClock)) as IClock ?? SystemClock.Instance;
        }

        public IPluginExecutionContext ExecutionContext { get; }

        public ITracingService TracingService { get; }

        /// <value>
        /// The one clock of the execution: the system's in Dataverse, which offers no clock service; one a test controls in
        /// the local sandbox, which offers an <see cref="IClock"/>.
        /// </value>
        public IClock Clock { get; }

        /// <value>Application Insights logger; null where the environment has none configured.</value>
        public ILogger? Logger { get; }

        public IOrganizationService UserService =>
            _userService ??= _serviceFactory.CreateOrganizationService(ExecutionContext.UserId);

        public IOrganizationService SystemService =>
            _systemService ??= _serviceFactory.CreateOrganizationService(null);

        /// <summary>A service the platform may or may not offer; null when it does not.</summary>
        public T? OptionalService<T>()
            where T : class => _serviceProvider.GetService(typeof(T)) as T;

        /// <remarks>The message is written as it is: braces in it are not format placeholders.</remarks>
        public void Trace(string message) => TracingService.Trace("{0}", message);

        private static T Require<T>(IServiceProvider serviceProvider, string pluginName)
            where T : class =>
            serviceProvider.GetService(typeof(T)) as T
            ?? throw new InvalidPluginExecutionException(
                $"{pluginName} cannot run: the platform provided no {typeof(T).Name}. Register it as a plug-in step or custom API main operation in Dataverse.");
    }
}
