using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.ServiceModel;
using System.Text.Json.Nodes;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Sandbox.Dataverse;
using OneKosmos.Sandbox.Host.WebApi;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Host.Flows
{
    /// <summary>What became of one action of a run: Succeeded, Failed or Skipped, with its outputs or its error.</summary>
    public sealed record FlowActionResult(string Status, JsonNode? Outputs, string? Error);

    /// <summary>One run of a flow: its status (Succeeded, Failed, Cancelled) and each action's result.</summary>
    public sealed class FlowRun
    {
        internal FlowRun(string flow) => Flow = flow;

        public string Flow { get; }

        public string Status { get; internal set; } = "Succeeded";

        public Dictionary<string, FlowActionResult> Actions { get; } = new(StringComparer.Ordinal);

        /// <value>The message a Terminate action ended the run with (runError.message); null otherwise.</value>
        public string? Error { get; internal set; }
    }

    /// <summary>
    /// Runs the product's cloud flows against the in-memory Dataverse, for exactly the trigger and action kinds they use:
    /// a recurrence (run by <see cref="Tick"/>, the scenario's clock), the Dataverse connector's "When a row is added,
    /// modified or deleted" (SubscribeWebhookTrigger: message, table, filtering columns and filter expression) and "When an
    /// action is performed" (a business event, by its message name), its unbound
    /// action (PerformUnboundAction: a custom API of the solution, or WhoAmI), "Get a row by ID" (GetItem), "List rows"
    /// (ListRecords), "Add a new row" (CreateRecord) and SendEmail on an email
    /// row (PerformBoundAction) — how a flow sends an email through a Dataverse email activity — conditions (If), Compose and
    /// Terminate, and parameters bound to environment variables. Actions run
    /// as the flow's connection user, so that user's roles apply. Anything else is refused naming it: the runner is a test
    /// of our flows, not a Power Automate.
    /// </summary>
    public sealed class FlowRunner
    {
        /// <summary>"When a row is added, modified or deleted": the connector's message codes and the pipeline messages they fire on.</summary>
        private static readonly Dictionary<int, string[]> TriggerMessages = new()
        {
            [1] = new[] { "Create" }, [2] = new[] { "Delete" }, [3] = new[] { "Update" }, [4] = new[] { "Create", "Update" },
            [5] = new[] { "Create", "Delete" }, [6] = new[] { "Update", "Delete" }, [7] = new[] { "Create", "Update", "Delete" },
        };

        private readonly InMemoryDataverse _dataverse;
        private readonly Guid _connectionUser;
        private readonly List<CloudFlow> _scheduled = new();
        private readonly List<FlowRun> _runs = new();

        /// <param name="dataverse">The environment the flows run in, with the solution loaded and its steps registered.</param>
        /// <param name="connectionUser">The user the flows' Dataverse connection signs in as.</param>
        public FlowRunner(InMemoryDataverse dataverse, Guid connectionUser)
        {
            _dataverse = dataverse;
            _connectionUser = connectionUser;
        }

        public IReadOnlyList<FlowRun> Runs
        {
            get
            {
                lock (_runs)
                {
                    return _runs.ToList();
                }
            }
        }

        /// <summary>Raised when a run ends.</summary>
        public event Action<FlowRun>? Ran;

        /// <summary>Switches a flow on: a recurrence waits for <see cref="Tick"/>, a row trigger fires after each matching change.</summary>
        /// <exception cref="FlowException">The trigger is not one the runner knows.</exception>
        public void Attach(CloudFlow flow)
        {
            switch ((string?)flow.Trigger["type"])
            {
                case "Recurrence":
                    _scheduled.Add(flow);
                    break;
                case "OpenApiConnectionWebhook" when OperationOf(flow.Trigger) == "SubscribeWebhookTrigger" && PerformedActionOf(flow.Trigger) is not null:
                    SubscribeToAction(flow);
                    break;
                case "OpenApiConnectionWebhook" when OperationOf(flow.Trigger) == "SubscribeWebhookTrigger":
                    SubscribeToRows(flow);
                    break;
                default:
                    throw new FlowException($"The flow {flow.Name} starts with a {(string?)flow.Trigger["type"]} trigger, which the sandbox does not run.");
            }
        }

        /// <summary>One occurrence of every recurring flow.</summary>
        public IReadOnlyList<FlowRun> Tick() => _scheduled.Select(flow => Run(flow, new JsonObject())).ToList();

        public FlowRun Run(CloudFlow flow, JsonObject triggerBody)
        {
            var run = new FlowRun(flow.Name);
            var expressions = new FlowExpressions(call => call switch
            {
                "triggerOutputs" => new JsonObject { ["body"] = triggerBody.DeepClone() },
                "triggerBody" => triggerBody.DeepClone(),
                "utcNow" => JsonValue.Create(_dataverse.Options.Clock.GetUtcNow().UtcDateTime.ToString("o", CultureInfo.InvariantCulture)),
                _ when call.StartsWith("outputs:", StringComparison.Ordinal) => Result(run, call["outputs:".Length..])?.Outputs?.DeepClone(),
                _ when call.StartsWith("body:", StringComparison.Ordinal) => Result(run, call["body:".Length..])?.Outputs?["body"]?.DeepClone(),
                _ when call.StartsWith("parameters:", StringComparison.Ordinal) => Parameter(flow, call["parameters:".Length..]),
                _ when call.StartsWith("actions:", StringComparison.Ordinal) => new JsonObject { ["name"] = call["actions:".Length..], ["status"] = Result(run, call["actions:".Length..])?.Status },
                _ => throw new FlowException($"The flow {flow.Name} calls {call}, which the sandbox does not evaluate."),
            });
            lock (_runs)
            {
                _runs.Add(run);
            }
            try
            {
                RunScope(flow, flow.Actions, run, expressions);
                var unhandled = run.Actions.Where(action => action.Value.Status == "Failed")
                    .Any(failed => !run.Actions.Keys.Any(other => HandlesFailureOf(flow, other, failed.Key)));
                run.Status = unhandled ? "Failed" : "Succeeded";
            }
            catch (Terminated terminated)
            {
                run.Status = terminated.Status;
                run.Error = terminated.Reason;
            }
            Ran?.Invoke(run);
            return run;
        }

        /// <summary>
        /// A flow parameter: an environment variable's current value (else its default) for a parameter bound to one by
        /// metadata.schemaName, as solution flows reference environment variables; else the parameter's defaultValue.
        /// </summary>
        private JsonNode? Parameter(CloudFlow flow, string name)
        {
            var declared = flow.Definition["parameters"]?[name] as JsonObject
                ?? throw new FlowException($"The flow {flow.Name} reads the parameter '{name}', which its definition does not declare.");
            if ((string?)declared["metadata"]?["schemaName"] is not { } variable)
            {
                return declared["defaultValue"]?.DeepClone();
            }
            try
            {
                return JsonValue.Create(_dataverse.EnvironmentVariable(variable) ?? "");
            }
            catch (ArgumentException)
            {
                throw new FlowException($"The flow {flow.Name} reads the environment variable {variable}, which the environment does not have.");
            }
        }

        private static FlowActionResult? Result(FlowRun run, string action) =>
            run.Actions.TryGetValue(action, out var result) ? result : throw new FlowException($"The flow {run.Flow} reads the outputs of {action}, which has not run.");

        /// <summary>Whether an action that ran is set to run after another one failed: a failure handled by the flow.</summary>
        private static bool HandlesFailureOf(CloudFlow flow, string action, string failed) =>
            Find(flow.Actions, action)?["runAfter"]?[failed] is JsonArray statuses && statuses.Any(status => (string?)status == "Failed");

        private static JsonObject? Find(JsonObject scope, string name)
        {
            foreach (var (key, value) in scope)
            {
                if (key == name)
                {
                    return value as JsonObject;
                }
                foreach (var nested in new[] { value?["actions"], value?["else"]?["actions"] }.OfType<JsonObject>())
                {
                    if (Find(nested, name) is { } found)
                    {
                        return found;
                    }
                }
            }
            return null;
        }

        /// <summary>The actions of one scope, each once what it runs after has finished, and only when that ended as it asks.</summary>
        private void RunScope(CloudFlow flow, JsonObject actions, FlowRun run, FlowExpressions expressions)
        {
            var pending = actions.Select(action => action.Key).ToList();
            while (pending.Count > 0)
            {
                var ready = pending.FirstOrDefault(name => (actions[name]?["runAfter"] as JsonObject ?? new JsonObject()).All(previous => run.Actions.ContainsKey(previous.Key)))
                    ?? throw new FlowException($"The actions {string.Join(", ", pending)} of {flow.Name} wait for one another or for an action outside their scope.");
                pending.Remove(ready);
                var action = (JsonObject)actions[ready]!;
                var runAfter = action["runAfter"] as JsonObject ?? new JsonObject();
                var due = runAfter.All(previous => previous.Value is JsonArray statuses && statuses.Any(status => (string?)status == run.Actions[previous.Key].Status));
                run.Actions[ready] = due ? RunAction(flow, ready, action, run, expressions) : new FlowActionResult("Skipped", null, null);
            }
        }

        private FlowActionResult RunAction(CloudFlow flow, string name, JsonObject action, FlowRun run, FlowExpressions expressions)
        {
            switch ((string?)action["type"])
            {
                case "Compose":
                    return new FlowActionResult("Succeeded", expressions.Evaluate(action["inputs"]), null);
                case "Terminate":
                    var inputs = expressions.Evaluate(action["inputs"]);
                    throw new Terminated((string?)inputs?["runStatus"] ?? "Succeeded", (string?)inputs?["runError"]?["message"]);
                case "If":
                    var branch = Condition(action["expression"], expressions) ? action["actions"] : action["else"]?["actions"];
                    if (branch is JsonObject branchActions)
                    {
                        RunScope(flow, branchActions, run, expressions);
                    }
                    return new FlowActionResult("Succeeded", null, null);
                case "OpenApiConnection" when OperationOf(action) == "PerformUnboundAction":
                    return UnboundAction(flow, name, Parameters(action, expressions));
                case "OpenApiConnection" when OperationOf(action) == "CreateRecord":
                    return Attempt(() => CreateRecord(flow, name, Parameters(action, expressions)));
                case "OpenApiConnection" when OperationOf(action) == "PerformBoundAction":
                    return Attempt(() => SendEmail(flow, name, Parameters(action, expressions)));
                case "OpenApiConnection" when OperationOf(action) == "GetItem":
                    return Attempt(() => GetItem(flow, name, Parameters(action, expressions)));
                case "OpenApiConnection" when OperationOf(action) == "ListRecords":
                    return Attempt(() => ListRecords(flow, name, Parameters(action, expressions)));
                default:
                    throw new FlowException($"The action {name} of {flow.Name} is a {(string?)action["type"]} ({(string?)action["inputs"]?["host"]?["operationId"]}), which the sandbox does not run.");
            }
        }

        /// <summary>The message a "When an action is performed" trigger follows (subscriptionRequest/name); null for a row trigger.</summary>
        private static string? PerformedActionOf(JsonObject trigger) => trigger["inputs"]?["parameters"]?["subscriptionRequest/name"]?.GetValue<string>();

        /// <summary>The connector operation a trigger or an action calls (inputs.host.operationId).</summary>
        private static string? OperationOf(JsonObject step) => step["inputs"]?["host"]?["operationId"]?.GetValue<string>();

        /// <summary>A condition as the designer writes it: and, or, not over equals, greater, less and their OrEquals forms.</summary>
        private static bool Condition(JsonNode? expression, FlowExpressions expressions)
        {
            if (expression is not JsonObject { Count: 1 } node)
            {
                return FlowExpressions.IsTrue(expressions.Evaluate(expression));
            }
            var (op, operand) = node.First();
            JsonNode?[] Pair() => operand is JsonArray { Count: 2 } pair ? new[] { expressions.Evaluate(pair[0]), expressions.Evaluate(pair[1]) } : throw new FlowException($"{op} compares two values.");
            return op switch
            {
                "and" => operand!.AsArray().All(item => Condition(item, expressions)),
                "or" => operand!.AsArray().Any(item => Condition(item, expressions)),
                "not" => !Condition(operand, expressions),
                "equals" => Pair() is var p && FlowExpressions.AreEqual(p[0], p[1]),
                "greater" => Pair() is var g && FlowExpressions.Number(g[0]) > FlowExpressions.Number(g[1]),
                "greaterOrEquals" => Pair() is var ge && FlowExpressions.Number(ge[0]) >= FlowExpressions.Number(ge[1]),
                "less" => Pair() is var l && FlowExpressions.Number(l[0]) < FlowExpressions.Number(l[1]),
                "lessOrEquals" => Pair() is var le && FlowExpressions.Number(le[0]) <= FlowExpressions.Number(le[1]),
                _ => throw new FlowException($"The sandbox does not evaluate the condition '{op}'."),
            };
        }

        private static JsonObject Parameters(JsonObject action, FlowExpressions expressions) =>
            expressions.Evaluate(action["inputs"]?["parameters"]) as JsonObject ?? new JsonObject();

        /// <summary>What Dataverse answers an action with: its outputs, or a failed action carrying the fault's message.</summary>
        private static FlowActionResult Attempt(Func<JsonObject> act)
        {
            try
            {
                return new FlowActionResult("Succeeded", new JsonObject { ["statusCode"] = 200, ["body"] = act() }, null);
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                return Failed(fault.Detail.Message);
            }
        }

        private static FlowActionResult Failed(string message) =>
            new("Failed", new JsonObject { ["statusCode"] = 400, ["body"] = new JsonObject { ["error"] = new JsonObject { ["message"] = message } } }, message);

        /// <summary>
        /// "Add a new row": item/{column} values and item/{lookup}@odata.bind bindings become the row as the Web API reads a
        /// body (columns typed by the table, "{set}({id})" lookups), and an activity's parties come as
        /// item/{table}_activity_parties (participationtypemask 1 from, 2 to, 3 cc), as the Dataverse connector takes them.
        /// </summary>
        private JsonObject CreateRecord(CloudFlow flow, string name, JsonObject parameters)
        {
            var table = TableOf(flow, name, parameters);
            var partiesKey = $"item/{table.LogicalName}_activity_parties";
            var body = new JsonObject(parameters.Where(parameter => parameter.Key.StartsWith("item/", StringComparison.Ordinal) && parameter.Key != partiesKey)
                .Select(parameter => KeyValuePair.Create(parameter.Key["item/".Length..], parameter.Value?.DeepClone())));
            Entity row;
            try
            {
                row = DataverseWebApi.EntityOf(table, body, Guid.Empty);
            }
            catch (FormatException exception)
            {
                throw new FlowException($"The action {name} of {flow.Name}: {exception.Message}");
            }
            foreach (var group in (parameters[partiesKey] as JsonArray ?? new JsonArray()).OfType<JsonObject>().GroupBy(party => (int?)FlowExpressions.Number(party["participationtypemask"])))
            {
                var role = group.Key switch { 1 => "from", 2 => "to", 3 => "cc", _ => throw new FlowException($"The action {name} of {flow.Name} gives a party the participation type {group.Key}, which the sandbox does not model.") };
                row[role] = new EntityCollection(group.Select(party => new Entity("activityparty") { ["partyid"] = Party(flow, name, party) }).ToList());
            }
            var id = _dataverse.CreateOrganizationService(_connectionUser).Create(row);
            return new JsonObject { [table.PrimaryIdAttribute] = id.ToString() };
        }

        /// <summary>A party's row, bound as partyid_{table}@odata.bind: "{entity set}({id})".</summary>
        private EntityReference Party(CloudFlow flow, string name, JsonObject party)
        {
            var binding = FlowExpressions.AsText(party.FirstOrDefault(member => member.Key.EndsWith("@odata.bind", StringComparison.Ordinal)).Value);
            return DataverseWebApi.RowOf(_dataverse.Metadata, binding)
                ?? throw new FlowException($"The action {name} of {flow.Name} binds a party to '{binding}'; a binding is '{{entity set}}({{id}})' of a table the solution knows.");
        }

        /// <summary>"Get a row by ID": entityName (the entity set), recordId and $select, read as the connection user.</summary>
        private JsonObject GetItem(CloudFlow flow, string name, JsonObject parameters)
        {
            var table = TableOf(flow, name, parameters);
            var id = Guid.TryParse(FlowExpressions.AsText(parameters["recordId"]), out var parsed) ? parsed
                : throw new FlowException($"The action {name} of {flow.Name} reads the row '{FlowExpressions.AsText(parameters["recordId"])}', which is no row id.");
            var columns = ODataQuery.Translate(table, (string?)parameters["$select"], null, null, null).ColumnSet;
            return RowJson(_dataverse.CreateOrganizationService(_connectionUser).Retrieve(table.LogicalName, id, columns));
        }

        /// <summary>"List rows": entityName, $select, $filter, $orderby and $top as the Web API reads them, as the connection user; the rows under value.</summary>
        private JsonObject ListRecords(CloudFlow flow, string name, JsonObject parameters)
        {
            var table = TableOf(flow, name, parameters);
            var query = ODataQuery.Translate(table, (string?)parameters["$select"], (string?)parameters["$filter"], (string?)parameters["$orderby"], parameters["$top"] is { } top ? FlowExpressions.AsText(top) : null);
            var rows = _dataverse.CreateOrganizationService(_connectionUser).RetrieveMultiple(query).Entities;
            return new JsonObject { ["value"] = new JsonArray(rows.Select(row => (JsonNode)RowJson(row)).ToArray()) };
        }

        private TableMetadata TableOf(CloudFlow flow, string name, JsonObject parameters) =>
            DataverseWebApi.TableOf(_dataverse.Metadata, (string?)parameters["entityName"])
                ?? throw new FlowException($"The action {name} of {flow.Name} names the entity set '{(string?)parameters["entityName"]}', which no table of the loaded solution has.");

        /// <summary>A row as the connector hands it to a flow: columns by logical name, a lookup as _{column}_value.</summary>
        private static JsonObject RowJson(Entity row)
        {
            var body = new JsonObject();
            foreach (var (column, value) in row.Attributes)
            {
                body[value is EntityReference ? $"_{column}_value" : column] = AsJson(value);
            }
            return body;
        }

        /// <summary>"Perform a bound action": the one the product's flows use, SendEmail on an email they created.</summary>
        private JsonObject SendEmail(CloudFlow flow, string name, JsonObject parameters)
        {
            if ((string?)parameters["actionName"] != "Microsoft.Dynamics.CRM.SendEmail" || (string?)parameters["entityName"] != "emails")
            {
                throw new FlowException($"The action {name} of {flow.Name} performs {(string?)parameters["actionName"]} on {(string?)parameters["entityName"]}; the sandbox performs SendEmail on emails only.");
            }
            var request = new OrganizationRequest("SendEmail")
            {
                ["EmailId"] = Guid.Parse(FlowExpressions.AsText(parameters["recordId"])),
                ["IssueSend"] = parameters["item/IssueSend"]?.GetValue<bool>() ?? true,
                ["TrackingToken"] = "",
            };
            return AsJson(_dataverse.CreateOrganizationService(_connectionUser).Execute(request).Results);
        }

        /// <summary>
        /// A custom API of the solution (or WhoAmI, how a flow learns its connection's user), called as the connection user
        /// with its item/… parameters typed by the API's definition, as the Web API types them. An entity reference comes as
        /// its members, item/{Parameter}/@odata.type and item/{Parameter}/{table}id (INFERRED: the connector's flattened form
        /// of an object parameter, as its other object parameters are written).
        /// </summary>
        private FlowActionResult UnboundAction(CloudFlow flow, string name, JsonObject parameters)
        {
            var apiName = (string?)parameters["actionName"] ?? throw new FlowException($"The action {name} of {flow.Name} names no actionName.");
            if (apiName == "WhoAmI")
            {
                return Attempt(() => AsJson(_dataverse.CreateOrganizationService(_connectionUser).Execute(new OrganizationRequest("WhoAmI")).Results));
            }
            var api = _dataverse.Metadata?.CustomApis.FirstOrDefault(candidate => candidate.UniqueName == apiName)
                ?? throw new FlowException($"The action {name} of {flow.Name} calls {apiName}, which is no custom API of the loaded solution.");
            var request = new OrganizationRequest(apiName);
            var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
            foreach (var (key, value) in parameters.Where(parameter => parameter.Key.StartsWith("item/", StringComparison.Ordinal)))
            {
                var path = key["item/".Length..].Split('/', 2);
                if (path.Length == 1)
                {
                    values[path[0]] = value?.DeepClone();
                    continue;
                }
                var members = values.TryGetValue(path[0], out var existing) && existing is JsonObject known ? known : new JsonObject();
                members[path[1]] = value?.DeepClone();
                values[path[0]] = members;
            }
            foreach (var (key, value) in values)
            {
                var field = api.RequestParameters.FirstOrDefault(candidate => candidate.UniqueName == key)
                    ?? throw new FlowException($"The action {name} of {flow.Name} passes item/{key}, which {apiName} does not take.");
                try
                {
                    request[field.UniqueName] = DataverseWebApi.ValueOf(field, value);
                }
                catch (Exception exception) when (exception is FormatException or InvalidOperationException)
                {
                    return Failed($"{key} of {apiName}: {exception.Message}");
                }
            }
            return Attempt(() => AsJson(_dataverse.CreateOrganizationService(_connectionUser).Execute(request).Results));
        }

        private static JsonObject AsJson(IEnumerable<KeyValuePair<string, object>> values)
        {
            var json = new JsonObject();
            foreach (var (key, value) in values)
            {
                json[key] = AsJson(value);
            }
            return json;
        }

        /// <summary>A Dataverse value as the connector hands it to a flow: ids and dates as text, choices as numbers, lookups as their id.</summary>
        private static JsonNode? AsJson(object? value) => value switch
        {
            null => null,
            EntityReference reference => JsonValue.Create(reference.Id.ToString()),
            OptionSetValue option => JsonValue.Create(option.Value),
            Money money => JsonValue.Create(money.Value),
            Guid id => JsonValue.Create(id.ToString()),
            DateTime time => JsonValue.Create(time.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)),
            string or bool or int or long or decimal or double => JsonValue.Create(value),
            _ => JsonValue.Create(value.ToString()),
        };

        /// <summary>
        /// The row trigger fires after the change commits, as Dataverse's flow triggers do (asynchronously): on the messages its
        /// code names, for the table it names, when an update touches one of its filtering columns and the row then meets its
        /// filter expression. The trigger body is the row's columns by logical name, a lookup as _{column}_value.
        /// </summary>
        private void SubscribeToRows(CloudFlow flow)
        {
            var parameters = flow.Trigger["inputs"]?["parameters"] as JsonObject ?? new JsonObject();
            var code = (int?)FlowExpressions.Number(parameters["subscriptionRequest/message"]) ?? 0;
            var table = (string?)parameters["subscriptionRequest/entityname"] ?? throw new FlowException($"The trigger of {flow.Name} names no table (subscriptionRequest/entityname).");
            var filtering = StepRegistration.ColumnsOf((string?)parameters["subscriptionRequest/filteringattributes"]);
            var filter = (string?)parameters["subscriptionRequest/filterexpression"];
            var metadata = _dataverse.Metadata?.Table(table) ?? throw new FlowException($"The trigger of {flow.Name} watches {table}, which the loaded solution does not know.");
            var messages = TriggerMessages.TryGetValue(code, out var known) ? known : throw new FlowException($"The trigger of {flow.Name} has the message code {code}; the connector's are 1 to 7.");
            foreach (var message in messages)
            {
                _dataverse.RegisterStep(
                    new StepRegistration
                    {
                        Name = $"Cloud flow {flow.Name}: {message} of {table}",
                        PluginTypeName = "Sandbox.CloudFlowTrigger",
                        MessageName = message,
                        PrimaryEntity = table,
                        Stage = PipelineStage.PostOperation,
                        Mode = ExecutionMode.Asynchronous,
                        FilteringAttributes = message == "Update" ? filtering : Array.Empty<string>(),
                    },
                    new RowTrigger(context =>
                    {
                        var system = _dataverse.CreateOrganizationService(null);
                        if (message == "Delete")
                        {
                            Run(flow, new JsonObject { [metadata.PrimaryIdAttribute] = context.PrimaryEntityId.ToString(), ["SdkMessage"] = message });
                            return;
                        }
                        var query = filter is null ? new QueryExpression(table) { ColumnSet = new ColumnSet(true) } : ODataQuery.Translate(metadata, null, filter, null, null);
                        query.ColumnSet = new ColumnSet(true);
                        query.Criteria = new FilterExpression { Filters = { query.Criteria } };
                        query.Criteria.AddCondition(metadata.PrimaryIdAttribute, ConditionOperator.Equal, context.PrimaryEntityId);
                        if (system.RetrieveMultiple(query).Entities.FirstOrDefault() is { } row)
                        {
                            var body = RowJson(row);
                            body["SdkMessage"] = message;
                            Run(flow, body);
                        }
                    }));
            }
        }

        /// <summary>
        /// "When an action is performed" on a message bound to no table (a business event such as okos_VerificationEnded): the
        /// subscription names the message (subscriptionRequest/name, table "none", as exported flows show it), and the flow runs
        /// after the transaction that performed it commits, with the message's input parameters in its trigger body
        /// (body/InputParameters/{name}).
        /// </summary>
        private void SubscribeToAction(CloudFlow flow)
        {
            var message = PerformedActionOf(flow.Trigger)!;
            _dataverse.RegisterStep(
                new StepRegistration
                {
                    Name = $"Cloud flow {flow.Name}: {message}",
                    PluginTypeName = "Sandbox.CloudFlowTrigger",
                    MessageName = message,
                    Stage = PipelineStage.PostOperation,
                    Mode = ExecutionMode.Asynchronous,
                },
                new RowTrigger(context => Run(flow, new JsonObject
                {
                    ["MessageName"] = context.MessageName,
                    ["PrimaryEntityName"] = "none",
                    ["InputParameters"] = AsJson(context.InputParameters),
                })));
        }

        private sealed class RowTrigger(Action<IPluginExecutionContext> fire) : IPlugin
        {
            public void Execute(IServiceProvider serviceProvider) => fire((IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!);
        }

        private sealed class Terminated(string status, string? reason) : Exception
        {
            public string Status { get; } = status;

            public string? Reason { get; } = reason;
        }
    }
}
