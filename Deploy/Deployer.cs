using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using OneKosmos.Solution.Model;

namespace OneKosmos.Deploy
{
    /// <summary>
    /// Installs or upgrades the solution in one environment and leaves it working: import (or stage and upgrade), each custom
    /// API bound to its plug-in type, every step of Solution/src registered and added to the solution, environment variable
    /// values, the 1Kosmos connection, publish, and a check. Each step looks before it writes, so a second run changes nothing;
    /// with <c>dryRun</c> it only says what it would do.
    /// </summary>
    internal sealed class Deployer
    {
        /// <summary>A step of a package type, as AddSolutionComponent names it (Microsoft's solution component types).</summary>
        private const int StepComponentType = 92;

        private const string CheckEmail = "okos-deploy-check@example.invalid";

        private readonly WebApiClient _api;
        private readonly DeploySettings _settings;
        private readonly SolutionMetadata _source;
        private readonly IReadOnlyList<StepRegistration> _steps;
        private readonly IReadOnlyList<FlowMetadata> _flows;
        private readonly Func<string, string?> _environmentVariable;
        private readonly IDeployOutput _output;
        private readonly bool _dryRun;
        private readonly TimeSpan _pollInterval;
        private int _changes;

        public Deployer(WebApiClient api, DeploySettings settings, string solutionSource, Func<string, string?> environmentVariable, IDeployOutput output, bool dryRun, TimeSpan? pollInterval = null)
        {
            _api = api;
            _settings = settings;
            _source = SolutionMetadataReader.Read(solutionSource);
            _steps = SolutionStepReader.Read(solutionSource);
            _flows = SolutionFlowReader.Read(solutionSource);
            _environmentVariable = environmentVariable;
            _output = output;
            _dryRun = dryRun;
            _pollInterval = pollInterval ?? TimeSpan.FromSeconds(3);
        }

        /// <returns>How many changes were made (or, with dry-run, would be).</returns>
        /// <exception cref="DeployFailure">A step failed; it says which, with Dataverse's error and what to do.</exception>
        public async Task<int> RunAsync(byte[] solutionZip, CancellationToken cancellation)
        {
            var (uniqueName, version, managed) = SolutionZip.IdentityOf(solutionZip);
            var secrets = ConnectionSecrets();
            const int Steps = 8;
            _output.Step(1, Steps, $"Import {uniqueName} {version}");
            var installed = await Guard("Import the solution", () => ImportAsync(solutionZip, uniqueName, version, managed, cancellation));
            var ready = installed || !_dryRun;
            _output.Step(2, Steps, "Bind the custom APIs to their plug-in types");
            if (ready)
            {
                var types = await Guard("Bind the custom APIs", () => BindCustomApisAsync(cancellation));
                _output.Step(3, Steps, "Register the steps");
                await Guard("Register the steps", () => RegisterStepsAsync(managed ? null : uniqueName, types, cancellation));
                if (managed)
                {
                    _output.Say("the steps stay in the environment's unmanaged layer: a managed solution takes no new components (AddSolutionComponent adds to unmanaged solutions only)");
                }
            }
            else
            {
                Change($"bind {_source.CustomApis.Count} custom APIs, after the import");
                _output.Step(3, Steps, "Register the steps");
                Change($"register {_steps.Count} steps, after the import");
            }
            _output.Step(4, Steps, "Set environment variable values");
            await Guard("Set environment variable values", () => SetVariablesAsync(ready, cancellation));
            _output.Step(5, Steps, "Create or update the 1Kosmos connection");
            await Guard("Create or update the 1Kosmos connection", () => SetConnectionAsync(secrets, ready, cancellation));
            _output.Step(6, Steps, "Bind the flows' connections and turn flows on");
            await Guard("Turn flows on", () => SetFlowsAsync(ready, cancellation));
            _output.Step(7, Steps, "Publish customizations");
            await Guard("Publish customizations", () => PublishAsync(cancellation));
            _output.Step(8, Steps, "Check the installation");
            if (_dryRun)
            {
                _output.Say("skipped with --dry-run");
            }
            else
            {
                await Guard("Check the installation", () => CheckAsync(cancellation));
            }
            return _changes;
        }

        /// <returns>Whether the solution is installed now (false only for a dry run of a first install).</returns>
        private async Task<bool> ImportAsync(byte[] zip, string uniqueName, Version version, bool managed, CancellationToken cancellation)
        {
            var installed = await _api.FirstAsync("solutions", $"uniquename eq '{uniqueName}'", "solutionid,version", cancellation);
            var installedVersion = installed is null ? null : Version.Parse((string)installed["version"]!);
            if (installedVersion is not null && installedVersion > version)
            {
                throw new DeployFailure("Import the solution", $"{uniqueName} {installedVersion} is installed, newer than {version}.",
                    "okos-deploy never downgrades: deploy a build of version " + installedVersion + " or later (pac.config's version).");
            }
            if (installedVersion == version)
            {
                _output.Unchanged($"{uniqueName} {version} is installed");
                return true;
            }
            var upgrade = installedVersion is not null;
            var action = upgrade ? "StageAndUpgradeAsync" : "ImportSolutionAsync";
            if (Change(upgrade ? $"upgrade {uniqueName} {installedVersion} to {version} (rows are kept)" : $"import {uniqueName} {version} ({(managed ? "managed" : "unmanaged")})"))
            {
                return upgrade;
            }
            var started = await _api.ExecuteAsync(action, new JsonObject
            {
                ["CustomizationFile"] = Convert.ToBase64String(zip),
                ["OverwriteUnmanagedCustomizations"] = true,
                ["PublishWorkflows"] = true,
            }, cancellation) ?? throw new DeployFailure("Import the solution", $"{action} answered without a system job id.", "Run okos-deploy again; if it repeats, import the zip by hand in make.powerapps.com to see the error.");
            await WaitForAsync(Guid.Parse((string)started["AsyncOperationId"]!), cancellation);
            return true;
        }

        /// <summary>Polls the import's system job until it ends; a failure shows its error log.</summary>
        private async Task WaitForAsync(Guid job, CancellationToken cancellation)
        {
            while (true)
            {
                var row = await _api.ReadAsync("asyncoperations", job, "statecode,statuscode,message,friendlymessage", cancellation)
                    ?? throw new DeployFailure("Import the solution", $"The import's system job {job} cannot be read.", "Open Settings → System jobs in the environment and look for the import.");
                if ((int?)row["statecode"] == 3)
                {
                    var status = (int?)row["statuscode"];
                    if (status == 30)
                    {
                        return;
                    }
                    var log = (string?)row["friendlymessage"] ?? (string?)row["message"] ?? "no error log";
                    throw new DeployFailure("Import the solution", $"The import failed (system job {job}, status {status}): {log}",
                        "Fix what the error log names and run okos-deploy again; nothing after the import was changed.");
                }
                await Task.Delay(_pollInterval, cancellation);
            }
        }

        /// <returns>The plug-in types of the package, id by type name.</returns>
        private async Task<Dictionary<string, Guid>> BindCustomApisAsync(CancellationToken cancellation)
        {
            var types = new Dictionary<string, Guid>(StringComparer.Ordinal);
            foreach (var api in _source.CustomApis.Where(api => api.PluginTypeExportKey is not null))
            {
                var typeId = await TypeIdAsync(api.PluginTypeExportKey!, types, cancellation);
                var row = await _api.FirstAsync("customapis", $"uniquename eq '{api.UniqueName}'", "customapiid,_plugintypeid_value", cancellation)
                    ?? throw new DeployFailure("Bind the custom APIs", $"The custom API {api.UniqueName} is not in the environment after the import.", "Check that the import finished (Solutions → OneKosmos) and run okos-deploy again.");
                if (Guid.TryParse((string?)row["_plugintypeid_value"], out var bound) && bound == typeId)
                {
                    _output.Unchanged($"{api.UniqueName} runs {api.PluginTypeExportKey}");
                    continue;
                }
                if (!Change($"bind {api.UniqueName} to {api.PluginTypeExportKey}"))
                {
                    await _api.UpdateAsync("customapis", Guid.Parse((string)row["customapiid"]!), new JsonObject { ["PluginTypeId@odata.bind"] = $"/plugintypes({typeId})" }, cancellation);
                }
            }
            return types;
        }

        private async Task<Guid> TypeIdAsync(string typeName, Dictionary<string, Guid> types, CancellationToken cancellation)
        {
            if (types.TryGetValue(typeName, out var known))
            {
                return known;
            }
            var row = await _api.FirstAsync("plugintypes", $"typename eq '{typeName}'", "plugintypeid", cancellation)
                ?? throw new DeployFailure("Find the plug-in types", $"The plug-in type {typeName} is not in the environment.", "The import did not register the plug-in package's types: check Solutions → OneKosmos → Plug-in packages, then run okos-deploy again.");
            return types[typeName] = Guid.Parse((string)row["plugintypeid"]!);
        }

        /// <remarks>
        /// Each step keeps the id its source file gives it, so a second run finds it. With an unmanaged solution, each is added to
        /// it, so an export carries the steps with the keys this environment gave the package's types (a pipeline that uses pac
        /// exports from a development environment deployed this way); <paramref name="solution"/> is null for a managed one.
        /// </remarks>
        private async Task RegisterStepsAsync(string? solution, Dictionary<string, Guid> types, CancellationToken cancellation)
        {
            var messages = new Dictionary<string, Guid>(StringComparer.Ordinal);
            foreach (var step in _steps)
            {
                var typeId = await TypeIdAsync(step.PluginTypeName, types, cancellation);
                if (!messages.TryGetValue(step.MessageName, out var messageId))
                {
                    var message = await _api.FirstAsync("sdkmessages", $"name eq '{step.MessageName}'", "sdkmessageid", cancellation)
                        ?? throw new DeployFailure("Register the steps", $"The environment has no {step.MessageName} message, which the step \"{step}\" needs.",
                            step.MessageName is "Win" or "QualifyLead" ? "Install Dynamics 365 Sales in the environment, or remove the gate's step file from Solution/src." : "Check the step file in Solution/src/SdkMessageProcessingSteps.");
                    messages[step.MessageName] = messageId = Guid.Parse((string)message["sdkmessageid"]!);
                }
                Guid? filterId = null;
                if (step.PrimaryEntity is { } table)
                {
                    var filter = await _api.FirstAsync("sdkmessagefilters", $"_sdkmessageid_value eq {messageId} and primaryobjecttypecode eq '{table}'", "sdkmessagefilterid", cancellation)
                        ?? throw new DeployFailure("Register the steps", $"{step.MessageName} cannot be registered on {table} in this environment (no message filter).", "Check the table of the step file in Solution/src/SdkMessageProcessingSteps.");
                    filterId = Guid.Parse((string)filter["sdkmessagefilterid"]!);
                }
                var wanted = new JsonObject
                {
                    ["name"] = step.Name,
                    ["stage"] = (int)step.Stage,
                    ["mode"] = (int)step.Mode,
                    ["rank"] = step.Rank,
                    ["supporteddeployment"] = 0,
                    ["asyncautodelete"] = false,
                    ["filteringattributes"] = step.FilteringAttributes.Count == 0 ? null : string.Join(",", step.FilteringAttributes),
                    ["configuration"] = step.Configuration,
                };
                var existing = (await _api.QueryAsync("sdkmessageprocessingsteps", $"?$select=name,stage,mode,rank,supporteddeployment,asyncautodelete,filteringattributes,configuration,_eventhandler_value,_sdkmessageid_value,_sdkmessagefilterid_value&$filter=sdkmessageprocessingstepid eq {step.Id}", cancellation)).FirstOrDefault();
                var bindings = new JsonObject
                {
                    ["eventhandler_plugintype@odata.bind"] = $"/plugintypes({typeId})",
                    ["sdkmessageid@odata.bind"] = $"/sdkmessages({messageId})",
                    ["sdkmessagefilterid@odata.bind"] = filterId is null ? null : $"/sdkmessagefilters({filterId})",
                };
                if (existing is null)
                {
                    if (!Change($"register {step}"))
                    {
                        var row = (JsonObject)wanted.DeepClone();
                        row["sdkmessageprocessingstepid"] = step.Id.ToString();
                        foreach (var (name, value) in bindings)
                        {
                            row[name] = value?.DeepClone();
                        }
                        await _api.CreateAsync("sdkmessageprocessingsteps", row, cancellation);
                    }
                }
                else
                {
                    var changes = Differences(existing, wanted);
                    if (Lookup(existing, "eventhandler") != typeId || Lookup(existing, "sdkmessageid") != messageId || Lookup(existing, "sdkmessagefilterid") != filterId)
                    {
                        foreach (var (name, value) in bindings)
                        {
                            changes[name] = value?.DeepClone();
                        }
                    }
                    if (changes.Count == 0)
                    {
                        _output.Unchanged($"{step}");
                    }
                    else if (!Change($"update {step} ({string.Join(", ", changes.Select(pair => pair.Key.Split('@')[0]))})"))
                    {
                        await _api.UpdateAsync("sdkmessageprocessingsteps", step.Id, changes, cancellation);
                    }
                }
                await RegisterImagesAsync(step, cancellation);
                if (solution is not null && !_dryRun && await _api.FirstAsync("solutioncomponents", $"objectid eq {step.Id}", "solutioncomponentid", cancellation) is null)
                {
                    Change($"add {step} to {solution}");
                    await _api.ExecuteAsync("AddSolutionComponent", new JsonObject
                    {
                        ["ComponentId"] = step.Id.ToString(),
                        ["ComponentType"] = StepComponentType,
                        ["SolutionUniqueName"] = solution,
                        ["AddRequiredComponents"] = false,
                    }, cancellation);
                }
            }
        }

        private async Task RegisterImagesAsync(StepRegistration step, CancellationToken cancellation)
        {
            foreach (var image in step.Images)
            {
                var wanted = new JsonObject
                {
                    ["name"] = image.EntityAlias,
                    ["entityalias"] = image.EntityAlias,
                    ["imagetype"] = (int)image.Kind,
                    ["messagepropertyname"] = image.MessagePropertyName,
                    ["attributes"] = image.Attributes.Count == 0 ? null : string.Join(",", image.Attributes),
                };
                var existing = (await _api.QueryAsync("sdkmessageprocessingstepimages",
                    $"?$select=sdkmessageprocessingstepimageid,name,entityalias,imagetype,messagepropertyname,attributes&$filter=_sdkmessageprocessingstepid_value eq {step.Id} and entityalias eq '{image.EntityAlias}'", cancellation)).FirstOrDefault();
                if (existing is null)
                {
                    if (!Change($"add the image {image.EntityAlias} to {step}"))
                    {
                        var row = (JsonObject)wanted.DeepClone();
                        row["sdkmessageprocessingstepid@odata.bind"] = $"/sdkmessageprocessingsteps({step.Id})";
                        if (image.Id != Guid.Empty)
                        {
                            row["sdkmessageprocessingstepimageid"] = image.Id.ToString();
                        }
                        await _api.CreateAsync("sdkmessageprocessingstepimages", row, cancellation);
                    }
                    continue;
                }
                var changes = Differences(existing, wanted);
                if (changes.Count == 0)
                {
                    _output.Unchanged($"image {image.EntityAlias} of {step}");
                }
                else if (!Change($"update the image {image.EntityAlias} of {step}"))
                {
                    await _api.UpdateAsync("sdkmessageprocessingstepimages", Guid.Parse((string)existing["sdkmessageprocessingstepimageid"]!), changes, cancellation);
                }
            }
        }

        private async Task SetVariablesAsync(bool installed, CancellationToken cancellation)
        {
            if (_settings.EnvironmentVariables.Count == 0)
            {
                _output.Say("none in the settings");
            }
            foreach (var (schemaName, value) in _settings.EnvironmentVariables)
            {
                if (_source.EnvironmentVariables.All(variable => variable.SchemaName != schemaName))
                {
                    throw new DeployFailure("Set environment variable values", $"The settings set {schemaName}, which the solution does not define.",
                        $"Use one of: {string.Join(", ", _source.EnvironmentVariables.Select(variable => variable.SchemaName))}.");
                }
                if (!installed)
                {
                    Change($"set {schemaName}, after the import");
                    continue;
                }
                var definition = await _api.FirstAsync("environmentvariabledefinitions", $"schemaname eq '{schemaName}'", "environmentvariabledefinitionid", cancellation)
                    ?? throw new DeployFailure("Set environment variable values", $"{schemaName} is not in the environment after the import.", "Check that the import finished, then run okos-deploy again.");
                var definitionId = Guid.Parse((string)definition["environmentvariabledefinitionid"]!);
                var current = await _api.FirstAsync("environmentvariablevalues", $"_environmentvariabledefinitionid_value eq {definitionId}", "environmentvariablevalueid,value", cancellation);
                if (current is not null && (string?)current["value"] == value)
                {
                    _output.Unchanged($"{schemaName} = {value}");
                }
                else if (!Change($"set {schemaName} = {value}"))
                {
                    if (current is null)
                    {
                        await _api.CreateAsync("environmentvariablevalues", new JsonObject
                        {
                            ["schemaname"] = schemaName,
                            ["value"] = value,
                            ["EnvironmentVariableDefinitionId@odata.bind"] = $"/environmentvariabledefinitions({definitionId})",
                        }, cancellation);
                    }
                    else
                    {
                        await _api.UpdateAsync("environmentvariablevalues", Guid.Parse((string)current["environmentvariablevalueid"]!), new JsonObject { ["value"] = value }, cancellation);
                    }
                }
            }
        }

        /// <summary>
        /// Binds each connection reference the settings name (connectionid, as Microsoft's "manage flows with code" page sets
        /// it), then turns on the flows the solution ships on and those the settings name (statecode 1, statuscode 2). A flow
        /// is turned on only once every connection reference is bound: one the settings asked for fails the run, the shipped
        /// ones are reported as left off.
        /// </summary>
        private async Task SetFlowsAsync(bool installed, CancellationToken cancellation)
        {
            const string Step = "Turn flows on";
            var unknown = _settings.Flows.TurnOn.Where(name => _flows.All(flow => flow.Name != name)).ToList();
            if (unknown.Count > 0)
            {
                throw new DeployFailure(Step, $"The settings turn on {string.Join(", ", unknown)}, which the solution does not have.", $"Use the flows' names: {string.Join("; ", _flows.Select(flow => flow.Name))}.");
            }
            if (!installed)
            {
                Change($"bind {_settings.Flows.ConnectionReferences.Count} connection references and turn flows on, after the import");
                return;
            }
            // The product's connection references, read once: each is bound as the settings say, and the rest tell which flows may go on.
            var references = (await _api.QueryAsync("connectionreferences", "?$select=connectionreferenceid,connectionreferencelogicalname,connectionid", cancellation))
                .Where(reference => ((string?)reference["connectionreferencelogicalname"] ?? "").StartsWith("okos_", StringComparison.Ordinal))
                .ToDictionary(reference => (string)reference["connectionreferencelogicalname"]!, reference => reference, StringComparer.Ordinal);
            foreach (var (logicalName, connectionId) in _settings.Flows.ConnectionReferences)
            {
                var reference = references.TryGetValue(logicalName, out var found) ? found
                    : throw new DeployFailure(Step, $"The settings bind the connection reference {logicalName}, which the environment does not have.", "Use the logical name in Other/Customizations.xml (okos_sharedcommondataserviceforapps).");
                if ((string?)reference["connectionid"] == connectionId)
                {
                    _output.Unchanged($"{logicalName} → connection {connectionId}");
                    continue;
                }
                if (!Change($"bind {logicalName} to connection {connectionId}"))
                {
                    await _api.UpdateAsync("connectionreferences", Guid.Parse((string)reference["connectionreferenceid"]!), new JsonObject { ["connectionid"] = connectionId }, cancellation);
                }
                reference["connectionid"] = connectionId;
            }
            var unbound = references.Where(reference => string.IsNullOrEmpty((string?)reference.Value["connectionid"])).Select(reference => reference.Key).ToList();
            foreach (var flow in _flows.Where(flow => flow.ShippedOn || _settings.Flows.TurnOn.Contains(flow.Name)))
            {
                var row = await _api.FirstAsync("workflows", $"workflowid eq {flow.Id}", "statecode", cancellation)
                    ?? throw new DeployFailure(Step, $"The flow {flow.Name} is not in the environment after the import.", "Check that the import finished, then run okos-deploy again.");
                if ((int?)row["statecode"] == 1)
                {
                    _output.Unchanged($"{flow.Name} is on");
                }
                else if (unbound.Count > 0)
                {
                    var fix = $"Make a Dataverse connection in Power Automate as the account the flows run as, and name its id under flows.connectionReferences for {string.Join(", ", unbound)}.";
                    if (_settings.Flows.TurnOn.Contains(flow.Name))
                    {
                        throw new DeployFailure(Step, $"{flow.Name} cannot be turned on: {string.Join(", ", unbound)} is bound to no connection.", fix);
                    }
                    _output.Say($"{flow.Name} stays off until its connection is bound. {fix}");
                }
                else if (!Change($"turn on {flow.Name}"))
                {
                    await _api.UpdateAsync("workflows", flow.Id, new JsonObject { ["statecode"] = 1, ["statuscode"] = 2 }, cancellation);
                }
            }
        }

        /// <summary>Reads every secret the settings name before anything is changed, so a missing one stops the run at once.</summary>
        private Dictionary<string, string> ConnectionSecrets()
        {
            var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (column, variable) in _settings.Connection?.Secrets ?? new Dictionary<string, string>())
            {
                secrets[column] = _environmentVariable(variable) is { Length: > 0 } value
                    ? value
                    : throw new DeployFailure("Read the settings", $"The connection's {column} comes from the environment variable {variable}, which is not set.", $"Set {variable} in the environment okos-deploy runs in (never in the settings file).");
            }
            return secrets;
        }

        private async Task SetConnectionAsync(Dictionary<string, string> secrets, bool installed, CancellationToken cancellation)
        {
            if (_settings.Connection is not { } connection)
            {
                _output.Say("no connection in the settings: left as it is");
                return;
            }
            var table = _source.Table("okos_blockidconnection")!;
            var wanted = new JsonObject();
            foreach (var (column, value) in connection.Columns)
            {
                wanted[column] = table.Column(column) is null
                    ? throw new DeployFailure("Create or update the 1Kosmos connection", $"okos_blockidconnection has no column {column}.", $"Use the columns of Solution/src/Entities/okos_blockidconnection/Entity.xml.")
                    : value?.DeepClone();
            }
            foreach (var (column, value) in secrets)
            {
                wanted[column] = table.Column(column) is null
                    ? throw new DeployFailure("Create or update the 1Kosmos connection", $"okos_blockidconnection has no column {column}.", $"Use the columns of Solution/src/Entities/okos_blockidconnection/Entity.xml.")
                    : value;
            }
            if (!installed)
            {
                Change("create the 1Kosmos connection, after the import");
                return;
            }
            var select = string.Join(",", wanted.Select(pair => pair.Key).Prepend("okos_blockidconnectionid"));
            var rows = await _api.QueryAsync("okos_blockidconnections", $"?$select={select}&$filter=statecode eq 0", cancellation);
            if (rows.Count > 1)
            {
                throw new DeployFailure("Create or update the 1Kosmos connection", $"The environment has {rows.Count} active 1Kosmos connections; the product uses exactly one.", "Deactivate all but one (Advanced settings → 1Kosmos connections), then run okos-deploy again.");
            }
            if (rows.Count == 0)
            {
                if (!Change($"create the 1Kosmos connection ({Described(wanted, secrets)})"))
                {
                    await _api.CreateAsync("okos_blockidconnections", wanted, cancellation);
                }
                return;
            }
            var changes = Differences(rows[0], wanted);
            if (changes.Count == 0)
            {
                _output.Unchanged("the 1Kosmos connection");
            }
            else if (!Change($"update the 1Kosmos connection ({Described(changes, secrets)})"))
            {
                await _api.UpdateAsync("okos_blockidconnections", Guid.Parse((string)rows[0]["okos_blockidconnectionid"]!), changes, cancellation);
            }
        }

        /// <summary>The columns a change sets; a secret by its name only.</summary>
        private static string Described(JsonObject columns, Dictionary<string, string> secrets) =>
            string.Join(", ", columns.Select(pair => secrets.ContainsKey(pair.Key) ? $"{pair.Key} (secret)" : pair.Key));

        private async Task PublishAsync(CancellationToken cancellation)
        {
            if (_changes == 0)
            {
                _output.Unchanged("nothing changed, nothing to publish");
                return;
            }
            if (!Change("publish all customizations"))
            {
                await _api.ExecuteAsync("PublishAllXml", new JsonObject(), cancellation);
            }
        }

        /// <summary>Calls the status API as an agent would (its answer proves its type is bound) and reads the connection back.</summary>
        private async Task CheckAsync(CancellationToken cancellation)
        {
            var status = await _api.ExecuteAsync("okos_GetVerificationStatus", new JsonObject { ["Email"] = CheckEmail }, cancellation);
            if (status?["Status"] is null)
            {
                throw new DeployFailure("Check the installation", "okos_GetVerificationStatus answered without a Status: its plug-in type is not bound.", "Run okos-deploy again; if it repeats, open the custom API in the solution and check its Plug-in Type.");
            }
            _output.Say($"okos_GetVerificationStatus answers ({(string?)status["Summary"]})");
            var connection = (await _api.QueryAsync("okos_blockidconnections", "?$select=okos_name&$filter=statecode eq 0&$top=1", cancellation)).FirstOrDefault();
            _output.Say(connection is null
                ? "no 1Kosmos connection yet: add one (settings \"connection\") before verifications can start"
                : $"the 1Kosmos connection reads back: {(string?)connection["okos_name"]}");
        }

        /// <returns>True when this is a dry run (nothing is to be done).</returns>
        private bool Change(string what)
        {
            _changes++;
            _output.Changed(_dryRun ? "would " + what : what);
            return _dryRun;
        }

        private static JsonObject Differences(JsonObject existing, JsonObject wanted)
        {
            var changes = new JsonObject();
            foreach (var (name, value) in wanted)
            {
                if (!JsonNode.DeepEquals(Normal(existing[name]), Normal(value)))
                {
                    changes[name] = value?.DeepClone();
                }
            }
            return changes;
        }

        /// <remarks>Dataverse answers an empty text column as null and numbers in their own JSON form: compare what they mean.</remarks>
        private static JsonNode? Normal(JsonNode? value) => value switch
        {
            JsonValue text when text.TryGetValue<string>(out var s) => s.Length == 0 ? null : JsonValue.Create(s),
            JsonValue number when number.TryGetValue<decimal>(out var d) => JsonValue.Create(d),
            _ => value,
        };

        private static Guid? Lookup(JsonObject row, string column) =>
            Guid.TryParse((string?)row[$"_{column}_value"], out var id) ? id : null;

        private static async Task<T> Guard<T>(string step, Func<Task<T>> run)
        {
            try
            {
                return await run();
            }
            catch (DataverseError error)
            {
                throw Failure(step, error);
            }
        }

        private static async Task Guard(string step, Func<Task> run) => await Guard(step, async () => { await run(); return 0; });

        private static DeployFailure Failure(string step, DataverseError error) => new(
            step,
            $"{error.Operation}: {error.Message}",
            error.IsMissingPrivilege
                ? "Sign in as someone who holds the privilege Dataverse names: the System Administrator role (or System Customizer for the solution steps); an application user needs that role assigned in the environment."
                : error.Status == 401
                    ? "The sign-in was refused: the user or application user must exist in the environment and be enabled."
                    : "Fix what Dataverse's message names and run okos-deploy again: every step it finished is kept, and a run repeats nothing it already did.",
            error.Code,
            error);
    }
}
