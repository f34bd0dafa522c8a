using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Host.Flows
{
    /// <summary>A solution cloud flow as pac unpacks it: Workflows/{Name}-{GUID}.json, named by its .json.data.xml process row.</summary>
    public sealed class CloudFlow
    {
        private CloudFlow(string name, JsonObject properties, JsonObject definition)
        {
            Name = name;
            Definition = definition;
            var triggers = definition["triggers"] as JsonObject ?? throw new FlowException($"The flow {name} has no triggers.");
            if (triggers.Count != 1 || triggers.First() is not { Value: JsonObject trigger } only)
            {
                throw new FlowException($"The flow {name} has {triggers.Count} triggers; a flow has one.");
            }
            (TriggerName, Trigger) = (only.Key, trigger);
            Actions = definition["actions"] as JsonObject ?? new JsonObject();
            ConnectionReferences = (properties["connectionReferences"] as JsonObject ?? new JsonObject())
                .Select(reference => (string?)reference.Value?["connection"]?["connectionReferenceLogicalName"])
                .OfType<string>()
                .ToList();
        }

        /// <value>The logical names of the connection references the flow's connections are bound through.</value>
        public IReadOnlyList<string> ConnectionReferences { get; }

        /// <value>The flow's display name (the process row's Name), else its file name.</value>
        public string Name { get; }

        public JsonObject Definition { get; }

        public string TriggerName { get; }

        public JsonObject Trigger { get; }

        public JsonObject Actions { get; }

        /// <exception cref="FlowException">The text is not a solution flow.</exception>
        public static CloudFlow FromJson(string name, string json)
        {
            var properties = (JsonNode.Parse(json) as JsonObject)?["properties"] as JsonObject;
            var definition = properties?["definition"] as JsonObject
                ?? throw new FlowException($"The flow {name} holds no properties.definition: it is not a solution flow.");
            return new CloudFlow(name, properties!, definition);
        }

        /// <summary>Every flow of an unpacked solution (Workflows/*.json), named by its process row.</summary>
        public static IReadOnlyList<CloudFlow> LoadAll(string solutionSource) =>
            SolutionFlowReader.Read(solutionSource).Select(flow => FromJson(flow.Name, File.ReadAllText(flow.DefinitionFile))).ToList();
    }
}
