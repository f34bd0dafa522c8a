using System;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using OneKosmos.Core.Verification;

namespace OneKosmos.Plugins.Dataverse
{
    /// <summary>
    /// okos_GatePolicy as stored: a JSON list of gate rules, for example
    /// <c>[{"table":"opportunity","message":"Win","threshold":"estimatedvalue &gt;= 100000","requiredIal":"IAL2","stepUpMaxAgeMinutes":15}]</c>.
    /// </summary>
    public static class GatePolicyJson
    {
        private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal)
        {
            "table", "message", "columns", "threshold", "requiredIal", "stepUpMaxAgeMinutes", "requireStepUp",
        };

        /// <exception cref="FormatException">The policy is not valid; the message says which entry and what to fix.</exception>
        public static IReadOnlyList<GateRule> Parse(string json)
        {
            JArray entries;
            try
            {
                entries = JsonConvert.DeserializeObject<JToken>(json, new JsonSerializerSettings { DateParseHandling = DateParseHandling.None }) as JArray
                    ?? throw new FormatException("it is not a JSON list of rules");
            }
            catch (JsonException exception)
            {
                throw new FormatException($"it is not valid JSON ({exception.Message})");
            }
            return entries.Select((entry, index) => Rule(entry as JObject ?? throw new FormatException($"entry {index + 1} is not an object"), index + 1)).ToList();
        }

        private static GateRule Rule(JObject entry, int number)
        {
            string Where(string problem) => $"entry {number}: {problem}";
            foreach (var property in entry.Properties().Where(property => !KnownFields.Contains(property.Name)))
            {
                throw new FormatException(Where($"unknown field '{property.Name}' (known: {string.Join(", ", KnownFields)})"));
            }
            string Required(string name) =>
                entry[name] is JValue { Type: JTokenType.String } value && !string.IsNullOrWhiteSpace((string?)value)
                    ? ((string)value!).Trim()
                    : throw new FormatException(Where($"'{name}' is required"));
            var columns = entry["columns"] switch
            {
                null => new List<string>(),
                JArray list when list.All(item => item.Type == JTokenType.String) => list.Select(item => ((string)item!).Trim().ToLowerInvariant()).ToList(),
                _ => throw new FormatException(Where("'columns' must be a list of column names")),
            };
            GateThreshold? threshold = null;
            if (entry["threshold"] is { Type: not JTokenType.Null } thresholdText)
            {
                try
                {
                    threshold = GateThreshold.Parse(thresholdText.Type == JTokenType.String ? (string)thresholdText! : thresholdText.ToString());
                }
                catch (FormatException exception)
                {
                    throw new FormatException(Where(exception.Message));
                }
            }
            var level = (string?)entry["requiredIal"] switch
            {
                null or "IAL2" => AssuranceLevel.IAL2,
                "IAL1" => AssuranceLevel.IAL1,
                var other => throw new FormatException(Where($"'requiredIal' is '{other}', not IAL1 or IAL2")),
            };
            int? maxAge = entry["stepUpMaxAgeMinutes"] switch
            {
                null => null,
                JValue { Type: JTokenType.Integer } minutes when (long)minutes >= 1 => (int)(long)minutes,
                _ => throw new FormatException(Where("'stepUpMaxAgeMinutes' must be a whole number of at least 1")),
            };
            var requireStepUp = entry["requireStepUp"] switch
            {
                null => true,
                JValue { Type: JTokenType.Boolean } flag => (bool)flag,
                _ => throw new FormatException(Where("'requireStepUp' must be true or false")),
            };
            return new GateRule(Required("table").ToLowerInvariant(), Required("message"), columns, threshold, level, maxAge, requireStepUp);
        }
    }
}
