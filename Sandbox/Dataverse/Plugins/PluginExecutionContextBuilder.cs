using System;
using Microsoft.Xrm.Sdk;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Dataverse.Plugins
{
    /// <summary>Builds the execution context Dataverse would give a plug-in step.</summary>
    /// <example>
    /// <code>
    /// var context = dataverse.NewPluginContext()
    ///     .ForMessage("Create", "contact", contactId)
    ///     .AtStage(PipelineStage.PostOperation, ExecutionMode.Asynchronous)
    ///     .WithInput("Target", contact)
    ///     .Build();
    /// </code>
    /// </example>
    /// <remarks>
    /// Defaults follow the platform: depth 1, the sandbox's default user as both user and initiating user,
    /// a new correlation id, and <c>IsInTransaction</c> true exactly for synchronous stages 20–40 (pre-validation
    /// runs outside the transaction, asynchronous steps after it).
    /// </remarks>
    public sealed class PluginExecutionContextBuilder
    {
        private readonly SandboxPluginExecutionContext _context = new();
        private bool _transactionSetExplicitly;

        internal PluginExecutionContextBuilder(InMemoryDataverseOptions options)
        {
            _context.UserId = options.DefaultUserId;
            _context.InitiatingUserId = options.DefaultUserId;
            _context.BusinessUnitId = options.BusinessUnitId;
            _context.OrganizationId = options.OrganizationId;
            _context.OrganizationName = options.OrganizationName;
            _context.CorrelationId = options.NewId();
            _context.OperationId = options.NewId();
            _context.RequestId = options.NewId();
            _context.OperationCreatedOn = options.Clock.GetUtcNow().UtcDateTime;
        }

        public PluginExecutionContextBuilder ForMessage(string messageName, string primaryEntityName = "none", Guid primaryEntityId = default)
        {
            _context.MessageName = messageName;
            _context.PrimaryEntityName = primaryEntityName;
            _context.PrimaryEntityId = primaryEntityId;
            return this;
        }

        public PluginExecutionContextBuilder AtStage(PipelineStage stage, ExecutionMode mode = ExecutionMode.Synchronous)
        {
            _context.Stage = (int)stage;
            _context.Mode = (int)mode;
            return this;
        }

        public PluginExecutionContextBuilder WithDepth(int depth)
        {
            if (depth < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(depth), depth, "Depth starts at 1.");
            }
            _context.Depth = depth;
            return this;
        }

        public PluginExecutionContextBuilder WithInput(string name, object? value)
        {
            _context.InputParameters[name] = value!;
            return this;
        }

        public PluginExecutionContextBuilder WithOutput(string name, object? value)
        {
            _context.OutputParameters[name] = value!;
            return this;
        }

        public PluginExecutionContextBuilder WithPreImage(string name, Entity image)
        {
            _context.PreEntityImages[name] = image;
            return this;
        }

        public PluginExecutionContextBuilder WithPostImage(string name, Entity image)
        {
            _context.PostEntityImages[name] = image;
            return this;
        }

        public PluginExecutionContextBuilder WithSharedVariable(string name, object? value)
        {
            _context.SharedVariables[name] = value!;
            return this;
        }

        /// <summary>The user the step runs as, and the user whose action started it (the same user unless impersonated).</summary>
        public PluginExecutionContextBuilder AsUser(Guid userId, Guid? initiatingUserId = null)
        {
            _context.UserId = userId;
            _context.InitiatingUserId = initiatingUserId ?? userId;
            return this;
        }

        public PluginExecutionContextBuilder WithCorrelationId(Guid correlationId)
        {
            _context.CorrelationId = correlationId;
            return this;
        }

        public PluginExecutionContextBuilder WithParent(IPluginExecutionContext parent)
        {
            _context.ParentContext = parent;
            _context.CorrelationId = parent.CorrelationId;
            return this;
        }

        public PluginExecutionContextBuilder InTransaction(bool inTransaction)
        {
            _context.IsInTransaction = inTransaction;
            _transactionSetExplicitly = true;
            return this;
        }

        public SandboxPluginExecutionContext Build()
        {
            if (string.IsNullOrEmpty(_context.MessageName))
            {
                throw new InvalidOperationException("Name the message the plug-in runs for: call ForMessage first.");
            }
            if (_context.Stage == 0)
            {
                throw new InvalidOperationException("Name the pipeline stage the plug-in runs in: call AtStage first.");
            }
            if (!_transactionSetExplicitly)
            {
                _context.IsInTransaction = _context.Mode == (int)ExecutionMode.Synchronous && _context.Stage >= (int)PipelineStage.PreOperation;
            }
            return _context;
        }
    }
}
