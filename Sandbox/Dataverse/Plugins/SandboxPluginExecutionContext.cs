using System;
using Microsoft.Xrm.Sdk;

namespace OneKosmos.Sandbox.Dataverse.Plugins
{
    /// <summary>A plug-in execution context; build one with <see cref="PluginExecutionContextBuilder"/>.</summary>
    public sealed class SandboxPluginExecutionContext : IPluginExecutionContext
    {
        internal SandboxPluginExecutionContext()
        {
        }

        public int Stage { get; internal set; }

        public IPluginExecutionContext? ParentContext { get; internal set; }

        public int Mode { get; internal set; }

        /// <value>2: plug-ins run sandboxed in Dataverse online.</value>
        public int IsolationMode { get; internal set; } = 2;

        public int Depth { get; internal set; } = 1;

        public string MessageName { get; internal set; } = "";

        public string PrimaryEntityName { get; internal set; } = "none";

        public Guid? RequestId { get; internal set; }

        public string SecondaryEntityName { get; internal set; } = "none";

        public ParameterCollection InputParameters { get; internal set; } = new();

        public ParameterCollection OutputParameters { get; internal set; } = new();

        public ParameterCollection SharedVariables { get; internal set; } = new();

        public Guid UserId { get; internal set; }

        public Guid InitiatingUserId { get; internal set; }

        public Guid BusinessUnitId { get; internal set; }

        public Guid OrganizationId { get; internal set; }

        public string OrganizationName { get; internal set; } = "";

        public Guid PrimaryEntityId { get; internal set; }

        public EntityImageCollection PreEntityImages { get; } = new();

        public EntityImageCollection PostEntityImages { get; } = new();

        public EntityReference? OwningExtension { get; internal set; }

        public Guid CorrelationId { get; internal set; }

        public bool IsExecutingOffline => false;

        public bool IsOfflinePlayback => false;

        public bool IsInTransaction { get; internal set; }

        public Guid OperationId { get; internal set; }

        public DateTime OperationCreatedOn { get; internal set; }
    }
}
