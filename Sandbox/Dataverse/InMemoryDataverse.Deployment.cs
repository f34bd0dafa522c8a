using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using Microsoft.Xrm.Sdk;
using OneKosmos.Sandbox.Dataverse.Deployment;
using OneKosmos.Sandbox.Dataverse.Messages;
using OneKosmos.Sandbox.Dataverse.Pipeline;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Dataverse
{
    /// <summary>
    /// An environment that is deployed to as a real one is: it starts with the platform's tables and messages only, imports
    /// solution zips (ImportSolutionAsync, StageAndUpgradeAsync), and runs the steps and custom API types registered as rows
    /// (sdkmessageprocessingstep, customapi.plugintypeid), whoever writes them.
    /// </summary>
    public sealed partial class InMemoryDataverse
    {
        /// <value>The tables whose rows register what runs: a write to one of them re-reads the registrations.</value>
        private static readonly HashSet<string> RegistrationTables = new(StringComparer.Ordinal)
        {
            "sdkmessageprocessingstep", "sdkmessageprocessingstepimage", "customapi", "plugintype",
        };

        private readonly Dictionary<string, IPlugin> _registeredPlugins = new(StringComparer.Ordinal);

        /// <summary>
        /// A new environment before anything is imported: the platform's standard tables, its messages (sdkmessage and
        /// sdkmessagefilter rows; the ids of messages other than Create, Update, Delete, Retrieve and RetrieveMultiple are
        /// new in every environment, so nothing may hard-code them) and the deployment messages. Plug-in code comes from
        /// <see cref="InMemoryDataverseOptions.PluginAssemblies"/>.
        /// </summary>
        public static InMemoryDataverse Empty(InMemoryDataverseOptions? options = null)
        {
            var dataverse = new InMemoryDataverse(options ?? new InMemoryDataverseOptions());
            dataverse.Load(SolutionMetadataReader.Platform());
            lock (dataverse._gate)
            {
                dataverse.SeedMessages();
                dataverse._handlers.Add("ImportSolutionAsync", new ImportHandler(dataverse, upgrade: false));
                dataverse._handlers.Add("StageAndUpgradeAsync", new ImportHandler(dataverse, upgrade: true));
                dataverse._handlers.Add("AddSolutionComponent", new AddSolutionComponentHandler(dataverse));
                dataverse._handlers.Add("PublishAllXml", new PublishAllXmlHandler(dataverse));
            }
            return dataverse;
        }

        /// <value>How many times PublishAllXml ran: what a test of a deployment checks.</value>
        public int Publications { get; private set; }

        private void SeedMessages()
        {
            foreach (var (id, name) in SdkMessages.Platform)
            {
                _rows.Insert(new Entity("sdkmessage", id) { ["name"] = name }, Options.SystemUserId);
            }
            foreach (var name in new[] { "Win", "QualifyLead" })
            {
                _rows.Insert(new Entity("sdkmessage") { ["name"] = name }, Options.SystemUserId);
            }
            AddMessageFilters();
        }

        /// <summary>A filter for every table the environment has, for the messages that apply to it (what a step names with its table).</summary>
        private void AddMessageFilters()
        {
            var messages = _store.Rows("sdkmessage").ToDictionary(row => row.GetAttributeValue<string>("name"), row => row.Id, StringComparer.Ordinal);
            var existing = _store.Rows("sdkmessagefilter")
                .Select(row => (row.GetAttributeValue<EntityReference>("sdkmessageid").Id, row.GetAttributeValue<string>("primaryobjecttypecode")))
                .ToHashSet();
            var wanted = _guard.Metadata!.Tables.Keys.SelectMany(table => new[] { "Create", "Update", "Delete", "Retrieve", "RetrieveMultiple" }.Select(message => (message, table)))
                .Append(("Win", "opportunity")).Append(("QualifyLead", "lead"));
            foreach (var (message, table) in wanted)
            {
                if (messages.TryGetValue(message, out var messageId) && existing.Add((messageId, table)))
                {
                    _rows.Insert(new Entity("sdkmessagefilter")
                    {
                        ["sdkmessageid"] = new EntityReference("sdkmessage", messageId),
                        ["primaryobjecttypecode"] = table,
                        ["iscustomprocessingstepallowed"] = true,
                    }, Options.SystemUserId);
                }
            }
        }

        /// <summary>Imports a solution over what the environment holds, keeping every row: the work of an import's system job.</summary>
        /// <exception cref="InvalidDataException">The solution cannot be imported; the message says why.</exception>
        private void Install(SolutionPackage package, bool upgrade)
        {
            var installed = _store.Rows("solution").FirstOrDefault(row => row.GetAttributeValue<string>("uniquename") == package.UniqueName);
            var version = Version.Parse(package.Version);
            if (installed is not null && Version.Parse(installed.GetAttributeValue<string>("version")) > version)
            {
                throw new InvalidDataException($"The solution {package.UniqueName} is installed at version {installed.GetAttributeValue<string>("version")}, higher than {package.Version}: a solution cannot be downgraded.");
            }
            if (installed is not null && package.Managed && Version.Parse(installed.GetAttributeValue<string>("version")) == version)
            {
                // Dataverse refuses a managed re-import of the same version (facts/dataverse.md §1.1, from Microsoft's custom API solution page).
                throw new InvalidDataException($"This version of the solution package is already installed ({package.UniqueName} {package.Version}): raise the version to import an update.");
            }
            if (upgrade && installed is null)
            {
                throw new InvalidDataException($"The solution {package.UniqueName} is not installed, so it cannot be upgraded: import it.");
            }
            Load(package.Metadata);
            foreach (var api in package.Metadata.CustomApis)
            {
                _handlers.Import(new CustomApiHandler(api));
            }
            var solutionId = Save("solution", installed, new Entity("solution")
            {
                ["uniquename"] = package.UniqueName,
                ["friendlyname"] = package.UniqueName,
                ["version"] = package.Version,
                ["ismanaged"] = package.Managed,
            });
            if (package.Package is { } plugins)
            {
                InstallPackage(plugins, solutionId);
            }
            foreach (var assembly in package.Metadata.PluginAssemblies)
            {
                var name = assembly.FullName.Split(',')[0].Trim();
                var assemblyId = Save("pluginassembly", Find("pluginassembly", "name", name), new Entity("pluginassembly") { ["name"] = name, ["sourcetype"] = new OptionSetValue(0), ["isolationmode"] = new OptionSetValue(2) });
                foreach (var type in assembly.Types)
                {
                    SaveType(assemblyId, name, type.Name, type.WorkflowActivityGroupName);
                }
            }
            foreach (var api in package.Metadata.CustomApis)
            {
                Save("customapi", Find("customapi", "uniquename", api.UniqueName), new Entity("customapi")
                {
                    ["uniquename"] = api.UniqueName,
                    ["name"] = api.UniqueName,
                    ["displayname"] = api.UniqueName,
                    ["executeprivilegename"] = api.ExecutePrivilegeName,
                });
                if (Find("sdkmessage", "name", api.UniqueName) is null)
                {
                    _rows.Insert(new Entity("sdkmessage") { ["name"] = api.UniqueName }, Options.SystemUserId);
                }
            }
            InstallFlows(package);
            AddMessageFilters();
        }

        /// <summary>
        /// Connection references arrive unbound (the import takes no connection here) and keep a binding an earlier import
        /// or an administrator made; a cloud flow arrives off unless it was exported on and every connection reference is
        /// bound, as an import cannot turn on a flow without its connections; a flow already in the environment keeps its state.
        /// </summary>
        private void InstallFlows(SolutionPackage package)
        {
            foreach (var reference in package.ConnectionReferences)
            {
                var existing = Find("connectionreference", "connectionreferencelogicalname", reference.LogicalName);
                Save("connectionreference", existing, new Entity("connectionreference")
                {
                    ["connectionreferencelogicalname"] = reference.LogicalName,
                    ["connectionreferencedisplayname"] = reference.DisplayName,
                    ["connectorid"] = reference.ConnectorId,
                });
            }
            var allBound = _store.Rows("connectionreference").All(row => !string.IsNullOrEmpty(row.GetAttributeValue<string>("connectionid")));
            foreach (var flow in package.Flows)
            {
                var existing = _store.Find("workflow", flow.Id);
                var row = new Entity("workflow", flow.Id)
                {
                    ["name"] = flow.Name,
                    ["category"] = new OptionSetValue(5),
                    ["type"] = new OptionSetValue(1),
                    ["primaryentity"] = flow.PrimaryEntity,
                    ["clientdata"] = flow.ClientData,
                    ["description"] = flow.Description,
                };
                if (existing is null)
                {
                    var on = flow.On && allBound;
                    row["statecode"] = new OptionSetValue(on ? 1 : 0);
                    row["statuscode"] = new OptionSetValue(on ? 2 : 1);
                    _rows.Insert(row, Options.SystemUserId);
                }
                else
                {
                    _rows.Change(row, Options.SystemUserId, ConcurrencyBehavior.Default);
                }
            }
        }

        /// <remarks>
        /// A type keeps its row, id and export key across package updates (Microsoft's plug-in package documentation); a new
        /// type gets a new id and a key Dataverse makes up, 64 hexadecimal digits as real exports show, derivable from nothing.
        /// </remarks>
        private void InstallPackage(PackageContent plugins, Guid solutionId)
        {
            var packageId = Save("pluginpackage", Find("pluginpackage", "uniquename", plugins.UniqueName), new Entity("pluginpackage")
            {
                ["name"] = plugins.UniqueName,
                ["uniquename"] = plugins.UniqueName,
                ["version"] = plugins.Version,
                ["solutionid"] = new EntityReference("solution", solutionId),
            });
            foreach (var assembly in plugins.Assemblies)
            {
                var assemblyId = Save("pluginassembly", Find("pluginassembly", "name", assembly.Name.Name!), new Entity("pluginassembly")
                {
                    ["name"] = assembly.Name.Name,
                    ["version"] = assembly.Name.Version?.ToString(),
                    ["culture"] = "neutral",
                    ["publickeytoken"] = Convert.ToHexString(assembly.Name.GetPublicKeyToken() ?? Array.Empty<byte>()).ToLowerInvariant(),
                    ["packageid"] = new EntityReference("pluginpackage", packageId),
                    ["sourcetype"] = new OptionSetValue(0),
                    ["isolationmode"] = new OptionSetValue(2),
                });
                foreach (var type in assembly.PluginTypes)
                {
                    SaveType(assemblyId, assembly.Name.Name!, type, null);
                }
            }
        }

        private void SaveType(Guid assemblyId, string assemblyName, string typeName, string? workflowGroup)
        {
            var existing = _store.Rows("plugintype").FirstOrDefault(row => row.GetAttributeValue<string>("typename") == typeName
                && row.GetAttributeValue<EntityReference>("pluginassemblyid")?.Id == assemblyId);
            if (existing is not null)
            {
                return;
            }
            _rows.Insert(new Entity("plugintype")
            {
                ["typename"] = typeName,
                ["name"] = typeName,
                ["friendlyname"] = typeName,
                ["assemblyname"] = assemblyName,
                ["pluginassemblyid"] = new EntityReference("pluginassembly", assemblyId),
                ["plugintypeexportkey"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant(),
                ["isworkflowactivity"] = workflowGroup is not null,
                ["workflowactivitygroupname"] = workflowGroup,
            }, Options.SystemUserId);
        }

        private Entity? Find(string table, string column, string value) =>
            _store.Rows(table).FirstOrDefault(row => row.GetAttributeValue<string>(column) == value);

        private Guid Save(string table, Entity? existing, Entity row)
        {
            if (existing is null)
            {
                return _rows.Insert(row, Options.SystemUserId);
            }
            row.Id = existing.Id;
            _rows.Change(row, Options.SystemUserId, ConcurrencyBehavior.Default);
            return existing.Id;
        }

        private static bool ChangesRegistrations(OrganizationRequest request) =>
            request.Parameters.TryGetValue("Target", out var target) && target switch
            {
                Entity entity => RegistrationTables.Contains(entity.LogicalName),
                EntityReference reference => RegistrationTables.Contains(reference.LogicalName),
                _ => false,
            };

        /// <summary>Reads the registrations from their rows, as the platform does after a step or a custom API changes.</summary>
        private void SyncRegistrations()
        {
            var types = _store.Rows("plugintype").ToDictionary(row => row.Id, row => row.GetAttributeValue<string>("typename"));
            var messages = _store.Rows("sdkmessage").ToDictionary(row => row.Id, row => row.GetAttributeValue<string>("name"));
            var filters = _store.Rows("sdkmessagefilter").ToDictionary(row => row.Id, row => row.GetAttributeValue<string>("primaryobjecttypecode"));
            var images = _store.Rows("sdkmessageprocessingstepimage").ToLookup(row => row.GetAttributeValue<EntityReference>("sdkmessageprocessingstepid")?.Id);
            var steps = new List<StepRegistration>();
            foreach (var row in _store.Rows("sdkmessageprocessingstep").Where(row => row.GetAttributeValue<OptionSetValue>("statecode")?.Value is null or 0))
            {
                if (row.GetAttributeValue<EntityReference>("eventhandler") is not { } handler || !types.TryGetValue(handler.Id, out var typeName)
                    || row.GetAttributeValue<EntityReference>("sdkmessageid") is not { } message || !messages.TryGetValue(message.Id, out var messageName))
                {
                    continue;
                }
                steps.Add(new StepRegistration
                {
                    Id = row.Id,
                    Name = row.GetAttributeValue<string>("name") ?? "",
                    PluginTypeName = typeName,
                    MessageName = messageName,
                    PrimaryEntity = row.GetAttributeValue<EntityReference>("sdkmessagefilterid") is { } filter && filters.TryGetValue(filter.Id, out var table) ? table : null,
                    Stage = (PipelineStage)row.GetAttributeValue<OptionSetValue>("stage").Value,
                    Mode = (ExecutionMode)(row.GetAttributeValue<OptionSetValue>("mode")?.Value ?? 0),
                    Rank = row.GetAttributeValue<int?>("rank") ?? 1,
                    FilteringAttributes = StepRegistration.ColumnsOf(row.GetAttributeValue<string>("filteringattributes")),
                    Configuration = row.GetAttributeValue<string>("configuration"),
                    Images = images[row.Id].Select(image => new ImageRegistration
                    {
                        EntityAlias = image.GetAttributeValue<string>("entityalias"),
                        Kind = (ImageKind)image.GetAttributeValue<OptionSetValue>("imagetype").Value,
                        Attributes = StepRegistration.ColumnsOf(image.GetAttributeValue<string>("attributes")),
                    }).ToList(),
                });
            }
            foreach (var api in _store.Rows("customapi"))
            {
                if (api.GetAttributeValue<EntityReference>("plugintypeid") is { } type && types.TryGetValue(type.Id, out var typeName))
                {
                    steps.Add(MainOperation(typeName, api.GetAttributeValue<string>("uniquename"), api.Id));
                }
            }
            _pipeline.ReplaceRowRegistrations(steps.Select(step => (step, PluginFor(step))).ToList());
        }

        /// <remarks>One instance per step, kept while the step's type and configuration stay, as the platform caches it.</remarks>
        private IPlugin PluginFor(StepRegistration step)
        {
            var key = $"{step.Id}|{step.PluginTypeName}|{step.Configuration}";
            if (!_registeredPlugins.TryGetValue(key, out var plugin))
            {
                plugin = PluginTypes.Create(step, Options.PluginAssemblies);
                _registeredPlugins[key] = plugin;
            }
            return plugin;
        }

        /// <summary>
        /// ImportSolutionAsync and StageAndUpgradeAsync: the import runs as a system job whose row (asyncoperation) says how it
        /// ended, with the reason in <c>message</c> and <c>friendlymessage</c> when it failed; the call itself only fails when
        /// the caller may not import (prvImportSolution) or sends no file.
        /// </summary>
        private sealed class ImportHandler : IMessageHandler
        {
            private readonly InMemoryDataverse _dataverse;
            private readonly bool _upgrade;

            public ImportHandler(InMemoryDataverse dataverse, bool upgrade)
            {
                _dataverse = dataverse;
                _upgrade = upgrade;
            }

            public OrganizationResponse Handle(OrganizationRequest request, MessageContext context)
            {
                context.Access.DemandExecute(context.CallerId, "prvImportSolution");
                var file = Parameter.Required<byte[]>(request, "CustomizationFile");
                string? failure = null;
                try
                {
                    _dataverse.Install(SolutionPackage.Read(file, _dataverse.Options.PluginAssemblies), _upgrade);
                    _dataverse.SyncRegistrations();
                }
                catch (InvalidDataException exception)
                {
                    failure = exception.Message;
                }
                var job = _dataverse._rows.Insert(new Entity("asyncoperation")
                {
                    ["name"] = _upgrade ? "Stage and upgrade solution" : "Import solution",
                    ["operationtype"] = 103,
                    ["statecode"] = new OptionSetValue(3),
                    ["statuscode"] = new OptionSetValue(failure is null ? 30 : 31),
                    ["message"] = failure,
                    ["friendlymessage"] = failure,
                    ["completedon"] = _dataverse.Options.Clock.GetUtcNow().UtcDateTime,
                }, context.CallerId);
                var response = new OrganizationResponse { ResponseName = request.RequestName };
                response.Results["AsyncOperationId"] = job;
                response.Results["ImportJobKey"] = job.ToString();
                return response;
            }
        }

        /// <summary>AddSolutionComponent: records a component (a step, type 92) as part of an unmanaged solution, once (Microsoft's action reference: unmanaged only).</summary>
        private sealed class AddSolutionComponentHandler : IMessageHandler
        {
            private readonly InMemoryDataverse _dataverse;

            public AddSolutionComponentHandler(InMemoryDataverse dataverse)
            {
                _dataverse = dataverse;
            }

            public OrganizationResponse Handle(OrganizationRequest request, MessageContext context)
            {
                context.Access.DemandExecute(context.CallerId, "prvWriteSolution");
                var solutionName = Parameter.Required<string>(request, "SolutionUniqueName");
                var componentId = Parameter.Optional(request, "ComponentId", Guid.Empty);
                var componentType = Parameter.Optional(request, "ComponentType", 0);
                var solution = _dataverse._store.Rows("solution").FirstOrDefault(row => row.GetAttributeValue<string>("uniquename") == solutionName)
                    ?? throw DataverseFaults.InvalidArgument($"No solution named {solutionName} is installed.");
                if (solution.GetAttributeValue<bool>("ismanaged"))
                {
                    throw DataverseFaults.InvalidArgument($"The solution {solutionName} is managed: components are added to unmanaged solutions only.");
                }
                var component = _dataverse._store.Rows("solutioncomponent").FirstOrDefault(row => row.GetAttributeValue<Guid>("objectid") == componentId
                    && row.GetAttributeValue<EntityReference>("solutionid")?.Id == solution.Id)?.Id
                    ?? context.Rows.Insert(new Entity("solutioncomponent")
                    {
                        ["objectid"] = componentId,
                        ["componenttype"] = componentType,
                        ["solutionid"] = new EntityReference("solution", solution.Id),
                        ["rootcomponentbehavior"] = 0,
                    }, context.CallerId);
                var response = new OrganizationResponse { ResponseName = request.RequestName };
                response.Results["id"] = component;
                return response;
            }
        }

        /// <summary>PublishAllXml: publishes customizations (forms, web resources); counted so a deployment's test can see it ran.</summary>
        private sealed class PublishAllXmlHandler : IMessageHandler
        {
            private readonly InMemoryDataverse _dataverse;

            public PublishAllXmlHandler(InMemoryDataverse dataverse)
            {
                _dataverse = dataverse;
            }

            public OrganizationResponse Handle(OrganizationRequest request, MessageContext context)
            {
                context.Access.DemandExecute(context.CallerId, "prvPublishCustomization");
                _dataverse.Publications++;
                return new OrganizationResponse { ResponseName = request.RequestName };
            }
        }
    }
}
