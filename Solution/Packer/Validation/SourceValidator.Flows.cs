using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Xml.Linq;
using OneKosmos.Solution.Model;

namespace OneKosmos.Solution.Packer.Validation
{
    /// <summary>
    /// Solution cloud flows (Workflows/, as pac unpacks them) are well formed, and every call they make to a custom API of
    /// this solution names the API, its parameters and their types as the solution defines them: a renamed parameter fails
    /// here, not in the first run after an import.
    /// </summary>
    internal sealed partial class SourceValidator
    {
        public const string FlowsFolder = "Workflows";

        /// <summary>The definition language of a flow: the Logic Apps workflow definition schema of 2016-06-01.</summary>
        private const string WorkflowDefinitionSchema = "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#";

        /// <summary>
        /// The trigger and action types a flow's definition may hold, from the "Schema reference guide for trigger and action
        /// types" of the workflow definition language (learn.microsoft.com/azure/logic-apps/logic-apps-workflow-actions-triggers)
        /// and the connector types Power Automate writes (OpenApiConnection…).
        /// </summary>
        private static readonly HashSet<string> FlowTypes = new(StringComparer.Ordinal)
        {
            "Recurrence", "Request", "Http", "HttpWebhook", "ApiConnection", "ApiConnectionWebhook", "OpenApiConnection", "OpenApiConnectionWebhook",
            "OpenApiConnectionNotification", "Compose", "InitializeVariable", "SetVariable", "IncrementVariable", "DecrementVariable",
            "AppendToArrayVariable", "AppendToStringVariable", "If", "Switch", "Foreach", "Until", "Scope", "Terminate", "Response", "Wait",
            "ParseJson", "Query", "Select", "Table", "Join", "Workflow", "Expression",
        };

        /// <remarks>
        /// Each flow is a pair, as pac unpacks it: <c>Workflows/{Name}-{GUID}.json</c> (the definition) and the same name with
        /// <c>.data.xml</c> (the process row: category 5, a modern flow, and the JSON file it names). Calls to this solution's
        /// custom APIs are the Dataverse connector's PerformUnboundAction with <c>actionName</c> and one <c>item/{Parameter}</c>
        /// per request parameter.
        /// </remarks>
        private void CheckFlows(SolutionMetadata metadata)
        {
            var folder = Path.Combine(_source.Root, FlowsFolder);
            if (!Directory.Exists(folder))
            {
                return;
            }
            foreach (var file in Directory.GetFiles(folder, "*.json").OrderBy(file => file, StringComparer.Ordinal))
            {
                var path = $"{FlowsFolder}/{Path.GetFileName(file)}";
                CheckFlowRow(path);
                JsonDocument json;
                try
                {
                    json = JsonDocument.Parse(File.ReadAllText(file));
                }
                catch (JsonException exception)
                {
                    _problems.Add(new Problem(path, "json", $"not well-formed JSON: {exception.Message}"));
                    continue;
                }
                using (json)
                {
                    CheckFlowDefinition(path, json.RootElement, metadata);
                }
            }
        }

        private void CheckFlowRow(string jsonPath)
        {
            var rowPath = jsonPath + ".data.xml";
            var row = _source.Document(rowPath)?.Root;
            if (row is null)
            {
                _problems.Add(new Problem(rowPath, "Workflow", $"the flow {jsonPath} has no process row beside it: pac writes {rowPath}, and an import needs it"));
                return;
            }
            if ((string?)row.Element("JsonFileName") != "/" + jsonPath)
            {
                Add(rowPath, "JsonFileName", row, $"names '{(string?)row.Element("JsonFileName")}'; it must be '/{jsonPath}' (the leading slash is required)");
            }
            if ((string?)row.Element("Category") != "5")
            {
                Add(rowPath, "Category", row, "a cloud flow is category 5 (modern flow)");
            }
        }

        private void CheckFlowDefinition(string path, JsonElement flow, SolutionMetadata metadata)
        {
            if (!flow.TryGetProperty("properties", out var properties) || !properties.TryGetProperty("definition", out var definition))
            {
                _problems.Add(new Problem(path, "definition", "a solution flow holds properties.definition (the workflow definition) and properties.connectionReferences"));
                return;
            }
            if (!definition.TryGetProperty("$schema", out var schema) || schema.GetString() != WorkflowDefinitionSchema)
            {
                _problems.Add(new Problem(path, "$schema", $"the definition's $schema must be {WorkflowDefinitionSchema}"));
            }
            var references = properties.TryGetProperty("connectionReferences", out var found) && found.ValueKind == JsonValueKind.Object
                ? found.EnumerateObject().Select(reference => reference.Name).ToHashSet(StringComparer.Ordinal)
                : new HashSet<string>(StringComparer.Ordinal);
            if (found.ValueKind == JsonValueKind.Object)
            {
                CheckConnectionReferences(path, found);
            }
            if (!definition.TryGetProperty("triggers", out var triggers) || triggers.ValueKind != JsonValueKind.Object || triggers.EnumerateObject().Count() != 1)
            {
                _problems.Add(new Problem(path, "triggers", "a flow has exactly one trigger"));
            }
            else
            {
                CheckSteps(path, triggers, references, metadata, isTrigger: true);
            }
            if (!definition.TryGetProperty("actions", out var actions) || actions.ValueKind != JsonValueKind.Object)
            {
                _problems.Add(new Problem(path, "actions", "a flow's definition has an actions object"));
                return;
            }
            CheckSteps(path, actions, references, metadata, isTrigger: false);
        }

        /// <summary>
        /// Each connection a flow uses is one of the solution's connection references, which exports keep in
        /// Other/Customizations.xml (&lt;connectionreferences&gt;, one &lt;connectionreference connectionreferencelogicalname="…"&gt;
        /// each, naming the connector): the reference an administrator binds to a connection after the import.
        /// </summary>
        private void CheckConnectionReferences(string path, JsonElement references)
        {
            var declared = _source.Document("Other/Customizations.xml")?.Root?.Element("connectionreferences")?.Elements("connectionreference")
                .ToDictionary(reference => (string?)reference.Attribute("connectionreferencelogicalname") ?? "", reference => (string?)reference.Element("connectorid"), StringComparer.Ordinal)
                ?? new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var reference in references.EnumerateObject())
            {
                var logicalName = reference.Value.TryGetProperty("connection", out var connection) && connection.TryGetProperty("connectionReferenceLogicalName", out var name) ? name.GetString() : null;
                var api = reference.Value.TryGetProperty("api", out var apiElement) && apiElement.TryGetProperty("name", out var apiName) ? apiName.GetString() : null;
                if (logicalName is null || !logicalName.StartsWith(Prefix, StringComparison.Ordinal))
                {
                    _problems.Add(new Problem(path, reference.Name, $"names the connection reference '{logicalName}'; a solution's connection reference carries the publisher prefix '{Prefix}'"));
                }
                else if (!declared.TryGetValue(logicalName, out var connector))
                {
                    _problems.Add(new Problem(path, reference.Name, $"uses the connection reference {logicalName}, which Other/Customizations.xml does not declare (<connectionreferences>)"));
                }
                else if (connector != $"/providers/Microsoft.PowerApps/apis/{api}")
                {
                    _problems.Add(new Problem(path, reference.Name, $"uses {logicalName} for the connector {api}, but that reference is for {connector}"));
                }
            }
        }

        /// <summary>Triggers or the actions of one scope: their types, what they run after, and the calls to our custom APIs; nested scopes too.</summary>
        private void CheckSteps(string path, JsonElement steps, HashSet<string> references, SolutionMetadata metadata, bool isTrigger)
        {
            var names = steps.EnumerateObject().Select(step => step.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var step in steps.EnumerateObject())
            {
                var type = step.Value.TryGetProperty("type", out var typeElement) ? typeElement.GetString() : null;
                if (type is null || !FlowTypes.Contains(type))
                {
                    _problems.Add(new Problem(path, step.Name, $"'{type}' is not a trigger or action type of the workflow definition language"));
                    continue;
                }
                if (!isTrigger && step.Value.TryGetProperty("runAfter", out var runAfter) && runAfter.ValueKind == JsonValueKind.Object)
                {
                    foreach (var previous in runAfter.EnumerateObject().Where(previous => !names.Contains(previous.Name)))
                    {
                        _problems.Add(new Problem(path, step.Name, $"runs after '{previous.Name}', which is no action of its scope"));
                    }
                }
                if (step.Value.TryGetProperty("inputs", out var inputs) && inputs.ValueKind == JsonValueKind.Object
                    && inputs.TryGetProperty("host", out var host) && host.ValueKind == JsonValueKind.Object)
                {
                    if (host.TryGetProperty("connectionName", out var connection) && !references.Contains(connection.GetString() ?? ""))
                    {
                        _problems.Add(new Problem(path, step.Name, $"uses the connection '{connection.GetString()}', which properties.connectionReferences does not name"));
                    }
                    if (host.TryGetProperty("operationId", out var operation) && operation.GetString() == "PerformUnboundAction")
                    {
                        CheckCustomApiCall(path, step.Name, inputs, metadata);
                    }
                }
                foreach (var nested in NestedScopes(step.Value))
                {
                    CheckSteps(path, nested, references, metadata, isTrigger: false);
                }
            }
        }

        private static IEnumerable<JsonElement> NestedScopes(JsonElement step)
        {
            if (step.TryGetProperty("actions", out var actions) && actions.ValueKind == JsonValueKind.Object)
            {
                yield return actions;
            }
            if (step.TryGetProperty("else", out var otherwise) && otherwise.TryGetProperty("actions", out var elseActions) && elseActions.ValueKind == JsonValueKind.Object)
            {
                yield return elseActions;
            }
            if (step.TryGetProperty("cases", out var cases) && cases.ValueKind == JsonValueKind.Object)
            {
                foreach (var branch in cases.EnumerateObject().Where(branch => branch.Value.TryGetProperty("actions", out _)))
                {
                    yield return branch.Value.GetProperty("actions");
                }
            }
            if (step.TryGetProperty("default", out var fallback) && fallback.TryGetProperty("actions", out var defaultActions) && defaultActions.ValueKind == JsonValueKind.Object)
            {
                yield return defaultActions;
            }
        }

        /// <summary>A call to one of this solution's custom APIs names it and its parameters exactly, gives every required one, and writes literal values of their types.</summary>
        private void CheckCustomApiCall(string path, string action, JsonElement inputs, SolutionMetadata metadata)
        {
            if (!inputs.TryGetProperty("parameters", out var parameters) || parameters.ValueKind != JsonValueKind.Object
                || !parameters.TryGetProperty("actionName", out var actionName) || actionName.GetString() is not { } apiName)
            {
                _problems.Add(new Problem(path, action, "calls PerformUnboundAction without parameters.actionName"));
                return;
            }
            if (!apiName.StartsWith(Prefix, StringComparison.Ordinal))
            {
                return;
            }
            var api = metadata.CustomApis.FirstOrDefault(candidate => candidate.UniqueName == apiName);
            if (api is null)
            {
                _problems.Add(new Problem(path, action, $"calls {apiName}, which is no custom API of this solution (customapis/)"));
                return;
            }
            var given = new HashSet<string>(StringComparer.Ordinal);
            foreach (var parameter in parameters.EnumerateObject().Where(parameter => parameter.Name.StartsWith("item/", StringComparison.Ordinal)))
            {
                // An entity reference is written as its members: item/{Parameter}/@odata.type and item/{Parameter}/{table}id.
                var (name, member) = parameter.Name["item/".Length..].Split('/', 2) is var parts && parts.Length == 2 ? (parts[0], parts[1]) : (parts[0], null);
                given.Add(name);
                var field = api.RequestParameters.FirstOrDefault(candidate => candidate.UniqueName == name);
                if (field is null)
                {
                    _problems.Add(new Problem(path, action, $"passes the parameter {name} to {apiName}, which has no such parameter (it takes {string.Join(", ", api.RequestParameters.Select(candidate => candidate.UniqueName))})"));
                }
                else if (member is not null)
                {
                    if (WrongMember(field, member, parameter.Value) is { } wrong)
                    {
                        _problems.Add(new Problem(path, action, $"passes {name}/{member} of {apiName}: {wrong}"));
                    }
                }
                else if (WrongLiteral(field, parameter.Value) is { } wrong)
                {
                    _problems.Add(new Problem(path, action, $"passes {name} of {apiName} {wrong}; it is a {field.TypeName}"));
                }
            }
            foreach (var missing in api.RequestParameters.Where(field => !field.IsOptional && !given.Contains(field.UniqueName)))
            {
                _problems.Add(new Problem(path, action, $"calls {apiName} without its required parameter {missing.UniqueName}"));
            }
        }

        /// <summary>
        /// Why a member of an entity reference does not fit: only EntityReference parameters have members, the type names a
        /// table (Microsoft.Dynamics.CRM.{table}) the parameter may point to, and the key is a row id; null when it fits.
        /// </summary>
        private static string? WrongMember(CustomApiField field, string member, JsonElement value)
        {
            if (field.TypeName != "EntityReference")
            {
                return $"only an EntityReference parameter has members; {field.UniqueName} is a {field.TypeName}";
            }
            var literal = value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : null;
            if (member == "@odata.type")
            {
                const string Namespace = "Microsoft.Dynamics.CRM.";
                if (literal is null || !literal.StartsWith(Namespace, StringComparison.Ordinal))
                {
                    return $"the type must be \"{Namespace}{{table}}\", not {value.GetRawText()}";
                }
                var table = literal[Namespace.Length..];
                return field.LogicalEntityName is { Length: > 0 } only && only != table ? $"{field.UniqueName} takes a {only}, not a {table}" : null;
            }
            if (!member.EndsWith("id", StringComparison.Ordinal) || member.Contains('/'))
            {
                return $"an entity reference has the members @odata.type and {{table}}id, not {member}";
            }
            return literal is not null && (literal.StartsWith('@') || Guid.TryParse(literal, out _)) ? null : $"the literal {value.GetRawText()} is no row id";
        }

        /// <summary>Why a literal value does not fit the parameter's type; null when it does, or when it is an expression (@…) the run evaluates.</summary>
        private static string? WrongLiteral(CustomApiField field, JsonElement value)
        {
            if (value.ValueKind == JsonValueKind.String && (value.GetString() ?? "").StartsWith('@'))
            {
                return null;
            }
            var fits = field.TypeName switch
            {
                "Boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
                "Integer" or "Picklist" => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _),
                "Decimal" or "Float" or "Money" => value.ValueKind == JsonValueKind.Number,
                "Guid" => value.ValueKind == JsonValueKind.String && Guid.TryParse(value.GetString(), out _),
                "DateTime" => value.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(value.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _),
                "String" => value.ValueKind == JsonValueKind.String,
                _ => true,
            };
            return fits ? null : $"the literal {value.GetRawText()}";
        }
    }
}
