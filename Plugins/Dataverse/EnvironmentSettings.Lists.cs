using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace OneKosmos.Plugins.Dataverse
{
    /// <summary>The settings that hold JSON, apart so the rest compiles without a JSON library (the workflow assembly).</summary>
    public sealed partial class EnvironmentSettings
    {
        public IReadOnlyList<string> VerificationStages => Names(Schema.EnvironmentVariables.VerificationStages);

        private IReadOnlyList<string> Names(string name)
        {
            try
            {
                return JArray.Parse(Raw(name)).Select(item => item.Type == JTokenType.String ? ((string?)item)!.Trim() : throw new JsonException()).ToList();
            }
            catch (JsonException)
            {
                throw Problem(name, "is not a JSON list of names, like [\"Propose\", \"Close\"]");
            }
        }
    }
}
