using System;
using System.Collections.Generic;
using System.Linq;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Sandbox.Dataverse.Messages;
using OneKosmos.Sandbox.Dataverse.Plugins;
using OneKosmos.Sandbox.Dataverse.Query;
using OneKosmos.Sandbox.Dataverse.Security;
using OneKosmos.Sandbox.Dataverse.Storage;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Dataverse.Pipeline
{
    /// <summary>Runs each request through the event pipeline the way Dataverse does.</summary>
    /// <remarks>
    /// Pre-validation (10) runs before the transaction of a top-level request; pre-operation (20), the core
    /// operation and synchronous post-operation (40) inside it. A request a plug-in makes joins that
    /// transaction one level deeper. Any failure rolls the whole transaction back; a failed call a plug-in
    /// catches still dooms it, so every later call and the operation itself fail with "no active
    /// transaction". Asynchronous steps run after the commit, each on its own, and never fail the caller.
    /// </remarks>
    internal sealed class EventPipeline
    {
        public const int MaxDepth = 8;

        private readonly InMemoryDataverse _dataverse;
        private readonly TableStore _store;
        private readonly RowWriter _rows;
        private readonly QueryEvaluator _queries;
        private readonly MessageHandlers _handlers;
        private readonly AccessGuard _access;
        private readonly List<(StepRegistration Step, IPlugin Plugin)> _steps = new();
        private readonly Stack<SandboxPluginExecutionContext> _running = new();
        private readonly Queue<(StepRegistration Step, IPlugin Plugin, SandboxPluginExecutionContext Context)> _asyncQueue = new();
        private readonly Queue<PluginRun> _runs = new();
        private bool _doomed;
        private bool _drainingAsync;

        public EventPipeline(InMemoryDataverse dataverse, TableStore store, RowWriter rows, QueryEvaluator queries, MessageHandlers handlers, AccessGuard access)
        {
            _access = access;
            _dataverse = dataverse;
            _store = store;
            _rows = rows;
            _queries = queries;
            _handlers = handlers;
        }

        public IReadOnlyCollection<PluginRun> Runs => _runs;

        /// <summary>Raised after each step ran, on the thread that ran it, while the request still holds the sandbox.</summary>
        public event Action<PluginRun>? Ran;

        /// <value>The correlation id of the step running now; null between steps. Read without the sandbox's lock, by design.</value>
        public Guid? RunningCorrelationId => _runningCorrelation is { } boxed ? (Guid)boxed : null;

        private volatile object? _runningCorrelation;

        public void Register(StepRegistration step, IPlugin plugin) => _steps.Add((step, plugin));

        /// <summary>Replaces the steps registered as rows (sdkmessageprocessingstep, a custom API's plug-in type) with <paramref name="registrations"/>.</summary>
        public void ReplaceRowRegistrations(IEnumerable<(StepRegistration Step, IPlugin Plugin)> registrations)
        {
            _rowSteps.Clear();
            _rowSteps.AddRange(registrations);
        }

        private readonly List<(StepRegistration Step, IPlugin Plugin)> _rowSteps = new();

        public OrganizationResponse Run(OrganizationRequest request, Guid callerId)
        {
            if (request.RequestName == "ExecuteMultiple")
            {
                // A batch is no transaction: each of its requests runs as if sent on its own.
                return Handle(request, callerId);
            }
            if (_doomed)
            {
                throw DataverseFaults.NoActiveTransaction();
            }
            var parent = _running.Count > 0 ? _running.Peek() : null;
            var operation = new Operation(request, callerId, parent, _dataverse.Options, _rows, _queries);
            if (operation.Depth > MaxDepth)
            {
                throw DataverseFaults.InfiniteLoop(operation.Depth);
            }
            var steps = _steps.Concat(_rowSteps).Where(registration => Applies(registration.Step, operation))
                .OrderBy(registration => (int)registration.Step.Stage).ThenBy(registration => registration.Step.Rank).ToList();
            var ownsTransaction = !_store.InTransaction;
            var api = _handlers.Find(request.RequestName) as CustomApiHandler;
            api?.Admit(request, _access, callerId);

            // The row as it was before the operation: pre-images reach pre-validation and pre-operation steps too.
            operation.CapturePreImage(steps.Any(registration => registration.Step.Images.Any(image => image.Kind != ImageKind.PostImage)));
            RunSynchronous(steps, PipelineStage.PreValidation, operation, inTransaction: !ownsTransaction);
            if (ownsTransaction)
            {
                _store.BeginTransaction();
            }
            OrganizationResponse response;
            try
            {
                RunSynchronous(steps, PipelineStage.PreOperation, operation, inTransaction: true);
                response = api is null ? Handle(request, callerId) : RunMainOperation(api, request, steps, operation, callerId);
                operation.Completed(response, steps.Any(registration => registration.Step.Images.Any(image => image.Kind != ImageKind.PreImage)));
                RunSynchronous(steps, PipelineStage.PostOperation, operation, inTransaction: true);
                if (_doomed)
                {
                    throw DataverseFaults.NoActiveTransaction();
                }
                foreach (var (step, plugin) in steps.Where(registration => registration.Step.Mode == ExecutionMode.Asynchronous))
                {
                    _asyncQueue.Enqueue((step, plugin, operation.ContextFor(step, inTransaction: false, asynchronous: true)));
                }
                if (ownsTransaction)
                {
                    _store.Commit();
                }
            }
            catch (Exception) when (ownsTransaction)
            {
                _store.Rollback();
                _doomed = false;
                _asyncQueue.Clear();
                throw;
            }
            catch (FaultException<OrganizationServiceFault>)
            {
                _doomed = true;
                throw;
            }
            if (ownsTransaction)
            {
                DrainAsynchronous();
            }
            return response;
        }

        /// <remarks>The main-operation plug-in writes into the response the request will return; the API's contract is checked after it.</remarks>
        private OrganizationResponse RunMainOperation(CustomApiHandler api, OrganizationRequest request, List<(StepRegistration Step, IPlugin Plugin)> steps, Operation operation, Guid callerId)
        {
            var response = Handle(request, callerId);
            operation.Completed(response, wantsPostImage: false);
            RunSynchronous(steps, PipelineStage.MainOperation, operation, inTransaction: true);
            api.CheckResponse(response);
            return response;
        }

        private OrganizationResponse Handle(OrganizationRequest request, Guid callerId) =>
            _handlers.For(request.RequestName).Handle(request, new MessageContext(_rows, _queries, _access, callerId, inner => Run(inner, callerId)));

        private static bool Applies(StepRegistration step, Operation operation) =>
            string.Equals(step.MessageName, operation.MessageName, StringComparison.OrdinalIgnoreCase)
            && (step.PrimaryEntity is null || step.PrimaryEntity == operation.Table)
            && (step.FilteringAttributes.Count == 0 || operation.MessageName != "Update" || step.FilteringAttributes.Any(operation.Sets));

        private void RunSynchronous(List<(StepRegistration Step, IPlugin Plugin)> steps, PipelineStage stage, Operation operation, bool inTransaction)
        {
            foreach (var (step, plugin) in steps.Where(registration => registration.Step.Stage == stage && registration.Step.Mode == ExecutionMode.Synchronous))
            {
                var context = operation.ContextFor(step, inTransaction, asynchronous: false);
                Execute(step, plugin, context, rethrow: true);
            }
        }

        private void DrainAsynchronous()
        {
            if (_drainingAsync)
            {
                return;
            }
            _drainingAsync = true;
            try
            {
                while (_asyncQueue.Count > 0)
                {
                    var (step, plugin, context) = _asyncQueue.Dequeue();
                    Execute(step, plugin, context, rethrow: false);
                }
            }
            finally
            {
                _drainingAsync = false;
            }
        }

        private void Execute(StepRegistration step, IPlugin plugin, SandboxPluginExecutionContext context, bool rethrow)
        {
            var services = new SandboxServiceProvider(_dataverse, context);
            _running.Push(context);
            _runningCorrelation = context.CorrelationId;
            try
            {
                plugin.Execute(services);
                Record(new PluginRun(step, context, services.Tracing.Lines.ToList(), null));
            }
            catch (NotSupportedException)
            {
                // The sandbox cannot do what the plug-in asked: say so as it is, never as a product failure.
                throw;
            }
            catch (Exception exception)
            {
                var fault = exception switch
                {
                    InvalidPluginExecutionException aborted => DataverseFaults.PluginFailed(DataverseErrorCodes.OfPluginException(aborted), aborted.Message),
                    FaultException<OrganizationServiceFault> platform => platform,
                    _ => DataverseFaults.PluginUnexpected(step.ToString(), exception),
                };
                Record(new PluginRun(step, context, services.Tracing.Lines.ToList(), fault.Detail.Message));
                if (rethrow)
                {
                    throw fault;
                }
            }
            finally
            {
                _running.Pop();
                _runningCorrelation = _running.Count > 0 ? _running.Peek().CorrelationId : null;
            }
        }

        /// <summary>
        /// Runs a plug-in a test executes on its own as the platform runs any plug-in: the requests it makes are child requests
        /// of <paramref name="context"/> (its depth plus one, <c>ParentContext</c> set).
        /// </summary>
        public void RunAlone(SandboxPluginExecutionContext context, Action run)
        {
            _running.Push(context);
            _runningCorrelation = context.CorrelationId;
            try
            {
                run();
            }
            finally
            {
                _running.Pop();
                _runningCorrelation = _running.Count > 0 ? _running.Peek().CorrelationId : null;
            }
        }

        private void Record(PluginRun run)
        {
            _runs.Enqueue(run);
            if (_runs.Count > _dataverse.Options.PluginRunsKept)
            {
                _runs.Dequeue();
            }
            Ran?.Invoke(run);
        }
    }
}
