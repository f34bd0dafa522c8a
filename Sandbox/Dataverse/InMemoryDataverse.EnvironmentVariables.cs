using System;
using System.Linq;
using Microsoft.Xrm.Sdk;

namespace OneKosmos.Sandbox.Dataverse
{
    public sealed partial class InMemoryDataverse
    {
        /// <summary>Sets an environment variable's current value, as an administrator does in the solution; no plug-in step runs.</summary>
        /// <exception cref="ArgumentException">The environment has no such environment variable.</exception>
        public void SetEnvironmentVariable(string schemaName, string value)
        {
            var definition = EnvironmentVariableDefinition(schemaName);
            if (CurrentValueOf(definition) is { } current)
            {
                Overwrite(new Entity("environmentvariablevalue", current.Id) { ["value"] = value });
                return;
            }
            Seed(new Entity("environmentvariablevalue") { ["schemaname"] = schemaName, ["value"] = value, ["environmentvariabledefinitionid"] = definition.ToEntityReference() });
        }

        /// <summary>An environment variable's current value, else its definition's default, as a flow or an app reads it.</summary>
        /// <exception cref="ArgumentException">The environment has no such environment variable.</exception>
        public string? EnvironmentVariable(string schemaName)
        {
            var definition = EnvironmentVariableDefinition(schemaName);
            return CurrentValueOf(definition)?.GetAttributeValue<string>("value") ?? definition.GetAttributeValue<string>("defaultvalue");
        }

        private Entity EnvironmentVariableDefinition(string schemaName) =>
            Rows("environmentvariabledefinition").FirstOrDefault(row => row.GetAttributeValue<string>("schemaname") == schemaName)
                ?? throw new ArgumentException($"The environment has no environment variable {schemaName}: the solutions it holds do not define it.", nameof(schemaName));

        private Entity? CurrentValueOf(Entity definition) =>
            Rows("environmentvariablevalue").FirstOrDefault(row => row.GetAttributeValue<EntityReference>("environmentvariabledefinitionid")?.Id == definition.Id);
    }
}
