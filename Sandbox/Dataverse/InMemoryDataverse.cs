using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Xrm.Sdk;
using System.Reflection;
using OneKosmos.Sandbox.Dataverse.Messages;
using OneKosmos.Sandbox.Dataverse.Metadata;
using OneKosmos.Sandbox.Dataverse.Pipeline;
using OneKosmos.Sandbox.Dataverse.Plugins;
using OneKosmos.Sandbox.Dataverse.Query;
using OneKosmos.Sandbox.Dataverse.Security;
using OneKosmos.Sandbox.Dataverse.Storage;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Dataverse
{
    /// <summary>
    /// An in-memory Dataverse for tests and the local sandbox: an organization service with Dataverse's
    /// semantics for rows, alternate keys and queries, and the services a plug-in is given.
    /// </summary>
    /// <example>
    /// <code>
    /// var dataverse = new InMemoryDataverse();
    /// dataverse.DefineAlternateKey("okos_verification", "okos_verification_sessionid", "okos_sessionid");
    /// var service = dataverse.CreateOrganizationService(null);
    /// var id = service.Create(new Entity("contact") { ["lastname"] = "Doe" });
    /// </code>
    /// </example>
    /// <remarks>
    /// Requests run one at a time (a lock serialises callers). Every row handed in or out is a copy: changing
    /// an entity after Create, or one a query returned, never changes the store. A request no handler knows
    /// throws <see cref="NotSupportedException"/> naming it, so a test never passes on an empty answer.
    /// </remarks>
    public sealed partial class InMemoryDataverse : IOrganizationServiceFactory
    {
        private readonly object _gate = new();
        private readonly TableStore _store = new();
        private readonly MetadataGuard _guard = new();
        private readonly SecurityPrincipals _principals;
        private readonly RowWriter _rows;
        private readonly QueryEvaluator _queries;
        private readonly MessageHandlers _handlers = new();
        private readonly EventPipeline _pipeline;
        private readonly Dictionary<Type, object> _pluginServices = new();

        public InMemoryDataverse()
            : this(new InMemoryDataverseOptions())
        {
        }

        public InMemoryDataverse(InMemoryDataverseOptions options)
        {
            Options = options ?? throw new ArgumentNullException(nameof(options));
            _principals = new SecurityPrincipals(options.BusinessUnitId);
            var access = new AccessGuard(_principals, _guard);
            _rows = new RowWriter(_store, options.Clock, options.NewId, _guard, access);
            _queries = new QueryEvaluator(_store, _guard, access, options.Clock, _principals, options.FormattingCulture);
            _handlers.Add("WhoAmI", new WhoAmIHandler(options.OrganizationId));
            _pipeline = new EventPipeline(this, _store, _rows, _queries, _handlers, access);
            if (!options.AcceptUndeclaredTablesAndColumns)
            {
                _guard.Metadata = SolutionMetadataReader.Platform();
            }
        }

        public InMemoryDataverseOptions Options { get; }

        /// <value>
        /// What the loaded solution declares (the platform's standard tables alone before one is loaded); null for a Dataverse
        /// built with <see cref="InMemoryDataverseOptions.AcceptUndeclaredTablesAndColumns"/> that has no solution.
        /// </value>
        public SolutionMetadata? Metadata => _guard.Metadata;

        /// <summary>
        /// A Dataverse whose tables, columns, choices, alternate keys and environment variables are those an unpacked
        /// solution declares (plus the sandbox's declared standard tables): writing or reading anything else fails
        /// as it would in Dataverse. Steps are not loaded: call <see cref="LoadSteps"/> with the plug-in assemblies.
        /// </summary>
        /// <exception cref="System.IO.InvalidDataException">A solution file is malformed; the message names it.</exception>
        public static InMemoryDataverse FromSolution(string solutionSourceDirectory, InMemoryDataverseOptions? options = null)
        {
            var dataverse = new InMemoryDataverse(options ?? new InMemoryDataverseOptions());
            dataverse.Load(SolutionMetadataReader.Read(solutionSourceDirectory));
            return dataverse;
        }

        /// <summary>The same as <see cref="FromSolution"/>, from a packed solution zip (what Dataverse imports).</summary>
        /// <exception cref="System.IO.InvalidDataException">The zip is not a solution, or declares something malformed.</exception>
        public static InMemoryDataverse FromSolutionZip(string zipPath, InMemoryDataverseOptions? options = null)
        {
            var dataverse = new InMemoryDataverse(options ?? new InMemoryDataverseOptions());
            dataverse.Load(PackedSolution.Read(zipPath));
            return dataverse;
        }

        /// <remarks>Loads a solution over what is there (an import over an earlier one): keys and variables already defined stay.</remarks>
        private void Load(SolutionMetadata metadata)
        {
            _guard.Metadata = metadata;
            foreach (var table in metadata.Tables.Values)
            {
                foreach (var key in table.Keys.Where(key => !_store.HasKey(table.LogicalName, key.Name)))
                {
                    _store.DefineKey(table.LogicalName, new AlternateKey(key.Name, key.Columns));
                }
            }
            var defined = _store.Rows("environmentvariabledefinition").Select(row => row.GetAttributeValue<string>("schemaname")).ToHashSet(StringComparer.Ordinal);
            Seed(metadata.EnvironmentVariables.Where(variable => !defined.Contains(variable.SchemaName)).Select(variable => new Entity("environmentvariabledefinition")
            {
                ["schemaname"] = variable.SchemaName,
                ["displayname"] = variable.SchemaName,
                ["type"] = new OptionSetValue(variable.Type),
                ["defaultvalue"] = variable.DefaultValue,
            }).ToArray());
        }

        /// <summary>An organization service acting as <paramref name="userId"/>; null means SYSTEM, as in a plug-in.</summary>
        public IOrganizationService CreateOrganizationService(Guid? userId) =>
            new SandboxOrganizationService(this, userId ?? Options.SystemUserId);

        /// <summary>Declares an alternate key: the named columns' values identify at most one row of the table.</summary>
        /// <exception cref="ArgumentException">The table already has a key of that name, or no columns are given.</exception>
        public void DefineAlternateKey(string table, string keyName, params string[] columns)
        {
            if (columns is null || columns.Length == 0)
            {
                throw new ArgumentException($"The alternate key {keyName} of {table} names no columns.", nameof(columns));
            }
            lock (_gate)
            {
                _store.DefineKey(table, new AlternateKey(keyName, columns));
            }
        }

        /// <summary>
        /// Handles every request of a custom message (for example a custom API) with <paramref name="handler"/>; a caller
        /// created with <see cref="AddUser"/> needs <paramref name="executePrivilege"/>, as a custom API's ExecutePrivilegeName demands.
        /// </summary>
        /// <exception cref="ArgumentException">The message already has a handler (the platform's own messages always do).</exception>
        public void RegisterMessage(string messageName, Func<OrganizationRequest, OrganizationResponse> handler, string? executePrivilege = null)
        {
            lock (_gate)
            {
                _handlers.Register(messageName, handler ?? throw new ArgumentNullException(nameof(handler)), executePrivilege);
            }
        }

        /// <summary>
        /// Offers plug-ins one more service through their service provider — for example an HttpMessageHandler that
        /// reaches a simulator instead of the internet. Dataverse itself offers no such service, so plug-ins must treat
        /// it as optional: this is the sandbox's one seam, never something production code may rely on.
        /// </summary>
        public void AddPluginService(Type serviceType, object service)
        {
            lock (_gate)
            {
                _pluginServices[serviceType] = service;
            }
        }

        internal object? PluginService(Type serviceType)
        {
            lock (_gate)
            {
                return _pluginServices.TryGetValue(serviceType, out var service) ? service : null;
            }
        }

        /// <summary>Adds a business unit under <paramref name="parent"/> (default: the root unit); returns its id.</summary>
        public Guid AddBusinessUnit(string name, Guid? parent = null)
        {
            lock (_gate)
            {
                var id = Options.NewId();
                _principals.AddBusinessUnit(id, parent ?? Options.BusinessUnitId);
                return id;
            }
        }

        /// <summary>
        /// Adds a team of the given users (a team row, in a business unit: default the root unit); returns its id. What the team
        /// operators of queries read (EqualUserTeams, EqualUserOrUserTeams); team membership grants no privileges here.
        /// </summary>
        public Guid AddTeam(string name, IEnumerable<Guid> members, Guid? businessUnit = null)
        {
            var id = Seed(new Entity("team") { ["name"] = name, ["businessunitid"] = new EntityReference("businessunit", businessUnit ?? Options.BusinessUnitId) })[0];
            lock (_gate)
            {
                foreach (var member in members)
                {
                    _principals.AddTeamMember(id, member);
                }
            }
            return id;
        }

        /// <summary>
        /// Adds a user who holds exactly the named security roles and field security profiles of the loaded solution, in a
        /// business unit (default: the root unit); returns the user id to act as. Callers not added this way act as a
        /// System Administrator, so tests that are not about security are not burdened by it.
        /// </summary>
        /// <exception cref="InvalidOperationException">No solution is loaded: roles come from its metadata.</exception>
        public Guid AddUser(string fullName, IEnumerable<string> roles, IEnumerable<string>? fieldSecurityProfiles = null, Guid? businessUnit = null)
        {
            var metadata = Metadata ?? throw new InvalidOperationException("Load a solution first (InMemoryDataverse.FromSolution): roles come from its metadata.");
            var unit = businessUnit ?? Options.BusinessUnitId;
            var id = Seed(new Entity("systemuser") { ["fullname"] = fullName, ["businessunitid"] = new EntityReference("businessunit", unit) })[0];
            lock (_gate)
            {
                _principals.AddUser(
                    id,
                    unit,
                    roles.Select(metadata.Role).ToList(),
                    (fieldSecurityProfiles ?? Enumerable.Empty<string>()).Select(metadata.FieldSecurityProfile).ToList());
            }
            return id;
        }

        /// <summary>
        /// Puts rows back exactly as <see cref="Rows"/> gave them out in an earlier run (system columns included), without
        /// running any plug-in step: how the local sandbox keeps its data across runs.
        /// </summary>
        /// <exception cref="System.ServiceModel.FaultException{OrganizationServiceFault}">A row's table is not declared, its id is taken, or an alternate key clashes.</exception>
        public void Restore(IEnumerable<Entity> rows)
        {
            lock (_gate)
            {
                foreach (var row in rows)
                {
                    _rows.Restore(row);
                }
            }
        }

        /// <summary>
        /// Changes stored rows the way <see cref="Seed"/> adds them: as a test arranges state, outside the event pipeline, so
        /// no step (a guard, a trigger) runs. The columns are still checked against the solution's metadata.
        /// </summary>
        public void Overwrite(params Entity[] changes)
        {
            lock (_gate)
            {
                foreach (var change in changes)
                {
                    _rows.Change(change, Options.SystemUserId, ConcurrencyBehavior.Default);
                }
            }
        }

        /// <summary>The emails SendEmail sent, oldest first: where a test (or the local sandbox's person) reads what reached a contact.</summary>
        public IReadOnlyList<SentEmail> SentEmails
        {
            get
            {
                lock (_gate)
                {
                    return _store.Rows("email")
                        .Where(email => email.GetAttributeValue<OptionSetValue>("statuscode")?.Value == 3)
                        .OrderBy(email => email.GetAttributeValue<DateTime>("createdon"))
                        .SelectMany(email => (email.GetAttributeValue<EntityCollection>("to")?.Entities ?? Enumerable.Empty<Entity>())
                            .Select(party => party.GetAttributeValue<EntityReference>("partyid"))
                            .Select(party => new SentEmail(
                                new EntityReference(party.LogicalName, party.Id),
                                Messages.SendEmailHandler.AddressOf(_store.Find(party.LogicalName, party.Id)) ?? "",
                                email.GetAttributeValue<string>("subject") ?? "",
                                email.GetAttributeValue<string>("description") ?? "")))
                        .ToList();
                }
            }
        }

        /// <summary>Adds rows as SYSTEM, for a test's starting data, without running any plug-in step; returns their ids in order.</summary>
        public IReadOnlyList<Guid> Seed(params Entity[] rows)
        {
            lock (_gate)
            {
                return rows.Select(row => _rows.Insert(row, Options.SystemUserId)).ToList();
            }
        }

        /// <summary>
        /// Registers the steps an unpacked solution declares (<c>SdkMessageProcessingSteps/</c>) and the loaded solution's custom
        /// APIs with their main operations, with their plug-in classes found in <paramref name="pluginAssemblies"/>; from now on
        /// every request runs them.
        /// </summary>
        /// <exception cref="System.IO.InvalidDataException">A step file is malformed.</exception>
        /// <exception cref="InvalidOperationException">A step names a plug-in type the assemblies do not provide.</exception>
        public IReadOnlyList<StepRegistration> LoadSteps(string solutionSourceDirectory, params Assembly[] pluginAssemblies)
        {
            var steps = SolutionStepReader.Read(solutionSourceDirectory).ToList();
            var apis = Metadata?.CustomApis ?? Array.Empty<CustomApiMetadata>();
            steps.AddRange(apis.Where(api => api.PluginTypeExportKey is not null).Select(api => MainOperation(api.PluginTypeExportKey!, api.UniqueName)));
            var plugins = steps.Select(step => PluginTypes.Create(step, pluginAssemblies)).ToList();
            lock (_gate)
            {
                foreach (var api in apis)
                {
                    _handlers.Register(new CustomApiHandler(api));
                }
                for (var i = 0; i < steps.Count; i++)
                {
                    _pipeline.Register(steps[i], plugins[i]);
                }
            }
            return steps;
        }

        /// <remarks>
        /// The platform runs a custom API's plug-in as the main operation (stage 30), synchronously, with no configuration. In a
        /// solution source the type is the class's full name; in an environment, the plug-in type a customapi row names.
        /// </remarks>
        private static StepRegistration MainOperation(string pluginTypeName, string api, Guid id = default) => new()
        {
            Id = id,
            Name = $"{pluginTypeName}: main operation of {api}",
            PluginTypeName = pluginTypeName,
            MessageName = api,
            Stage = PipelineStage.MainOperation,
            Mode = ExecutionMode.Synchronous,
        };

        /// <summary>Registers one step with the plug-in instance that serves it (as the platform, one instance per step).</summary>
        public void RegisterStep(StepRegistration step, IPlugin plugin)
        {
            lock (_gate)
            {
                _pipeline.Register(step ?? throw new ArgumentNullException(nameof(step)), plugin ?? throw new ArgumentNullException(nameof(plugin)));
            }
        }

        /// <summary>Raised after each registered step ran, with its context, traces and outcome (the sandbox's activity log listens).</summary>
        public event Action<PluginRun>? PluginRan
        {
            add => _pipeline.Ran += value;
            remove => _pipeline.Ran -= value;
        }

        /// <value>
        /// The correlation id of the plug-in running now, or null: lets a service a plug-in calls (an HTTP handler) say which
        /// request it served. Read without taking the sandbox's lock, so a handler on another thread never waits for it.
        /// </value>
        public Guid? RunningCorrelationId => _pipeline.RunningCorrelationId;

        /// <summary>The registered steps that ran, in order, with their contexts, traces and outcomes (the newest <see cref="InMemoryDataverseOptions.PluginRunsKept"/>).</summary>
        public IReadOnlyList<PluginRun> PluginRuns
        {
            get
            {
                lock (_gate)
                {
                    return _pipeline.Runs.ToList();
                }
            }
        }

        /// <summary>Copies of every row of a table, in the order they were created.</summary>
        public IReadOnlyList<Entity> Rows(string table)
        {
            lock (_gate)
            {
                return _store.Rows(table).Select(EntityCopy.Of).ToList();
            }
        }

        /// <summary>An execution context for a plug-in run against this Dataverse, for the builder to fill in.</summary>
        public PluginExecutionContextBuilder NewPluginContext() => new(Options);

        /// <summary>The services a plug-in is given when it runs in <paramref name="context"/>.</summary>
        public SandboxServiceProvider CreateServiceProvider(IPluginExecutionContext context) => new(this, context);

        /// <summary>Runs <paramref name="plugin"/> in <paramref name="context"/> and returns the services it used, with their traces.</summary>
        /// <remarks>The requests the plug-in makes are child requests of <paramref name="context"/>, as on the platform.</remarks>
        public SandboxServiceProvider ExecutePlugin(IPlugin plugin, IPluginExecutionContext context)
        {
            var services = CreateServiceProvider(context);
            if (context is SandboxPluginExecutionContext sandboxContext)
            {
                lock (_gate)
                {
                    _pipeline.RunAlone(sandboxContext, () => plugin.Execute(services));
                }
            }
            else
            {
                plugin.Execute(services);
            }
            return services;
        }

        internal OrganizationResponse Execute(OrganizationRequest request, Guid callerId)
        {
            if (request is null)
            {
                throw new ArgumentNullException(nameof(request));
            }
            if (string.IsNullOrEmpty(request.RequestName))
            {
                throw DataverseFaults.InvalidArgument("The request has no RequestName.");
            }
            lock (_gate)
            {
                if (_pipeline.RunningCorrelationId is not null)
                {
                    _callLog?.Add(CallLog.Describe(request));
                }
                var response = _pipeline.Run(request, callerId);
                if (ChangesRegistrations(request))
                {
                    SyncRegistrations();
                }
                return response;
            }
        }

        private CallLog? _callLog;

        /// <summary>
        /// Starts listing the calls plug-ins make through their organization services (not the requests that started them):
        /// what an operation costs in Dataverse calls. Until the log is disposed; one log at a time.
        /// </summary>
        public CallLog StartCallLog()
        {
            lock (_gate)
            {
                return _callLog = new CallLog(() => { lock (_gate) { _callLog = null; } });
            }
        }
    }
}
