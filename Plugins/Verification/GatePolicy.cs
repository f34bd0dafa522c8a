using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace OneKosmos.Plugins.Verification
{
    /// <summary>A numeric condition on the gated record, such as <c>estimatedvalue &gt;= 100000</c>: only records that meet it are gated.</summary>
    public sealed class GateThreshold
    {
        private static readonly Regex Shape = new(@"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(>=|<=|==|!=|=|>|<)\s*(-?\d+(?:\.\d+)?)\s*$", RegexOptions.CultureInvariant);

        private GateThreshold(string column, string comparison, decimal value)
        {
            Column = column;
            Comparison = comparison;
            Value = value;
        }

        public string Column { get; }

        public string Comparison { get; }

        public decimal Value { get; }

        /// <exception cref="FormatException">The text is not "column operator number".</exception>
        public static GateThreshold Parse(string text)
        {
            var match = Shape.Match(text ?? "");
            if (!match.Success)
            {
                throw new FormatException($"the threshold '{text}' is not of the form \"column >= number\" (operators >=, >, <=, <, ==, !=)");
            }
            return new GateThreshold(match.Groups[1].Value.ToLowerInvariant(), match.Groups[2].Value, decimal.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture));
        }

        /// <remarks>A record with no value in the column counts as 0.</remarks>
        public bool IsMetBy(decimal? value)
        {
            var actual = value ?? 0m;
            return Comparison switch
            {
                ">=" => actual >= Value,
                ">" => actual > Value,
                "<=" => actual <= Value,
                "<" => actual < Value,
                "!=" => actual != Value,
                _ => actual == Value,
            };
        }

        public override string ToString() => $"{Column} {Comparison} {Value.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>One entry of okos_GatePolicy: which action on which table needs which identity assurance.</summary>
    public sealed class GateRule
    {
        public GateRule(string table, string message, IReadOnlyList<string> columns, GateThreshold? threshold, AssuranceLevel requiredLevel, int? stepUpMaxAgeMinutes, bool requireStepUp)
        {
            Table = table;
            Message = message;
            Columns = columns;
            Threshold = threshold;
            RequiredLevel = requiredLevel;
            StepUpMaxAgeMinutes = stepUpMaxAgeMinutes;
            RequireStepUp = requireStepUp;
        }

        public string Table { get; }

        public string Message { get; }

        /// <value>For Update: the rule applies only when one of these columns changes. Empty: any change.</value>
        public IReadOnlyList<string> Columns { get; }

        public GateThreshold? Threshold { get; }

        public AssuranceLevel RequiredLevel { get; }

        /// <value>This gate's own step-up age; null takes okos_StepUpMaxAgeMinutes.</value>
        public int? StepUpMaxAgeMinutes { get; }

        public bool RequireStepUp { get; }

        public bool AppliesTo(string table, string message, IEnumerable<string>? changedColumns) =>
            string.Equals(Table, table, StringComparison.OrdinalIgnoreCase)
            && string.Equals(Message, message, StringComparison.OrdinalIgnoreCase)
            && (Columns.Count == 0 || changedColumns is null || changedColumns.Any(column => Columns.Contains(column, StringComparer.OrdinalIgnoreCase)));
    }

    /// <summary>
    /// okos_GatePolicy: a JSON list of gate rules, for example
    /// <c>[{"table":"opportunity","message":"Win","threshold":"estimatedvalue &gt;= 100000","requiredIal":"IAL2","stepUpMaxAgeMinutes":15}]</c>,
    /// and the verdict a rule gives on a contact's standing.
    /// </summary>
    public static class GatePolicy
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

        /// <summary>Why <paramref name="rule"/> blocks the action, or null when the contact meets it.</summary>
        /// <remarks>The sentence names what is missing and how to fix it (DESIGN.md §6); it is shown to the user as is.</remarks>
        public static string? Block(GateRule rule, IdentityStanding standing, string who, int defaultStepUpMaxAgeMinutes, DateTimeOffset now)
        {
            var verified = standing.Status == VerificationStatus.Verified && standing.Level is { } level && level >= rule.RequiredLevel;
            var maxAge = rule.StepUpMaxAgeMinutes ?? defaultStepUpMaxAgeMinutes;
            var fresh = !rule.RequireStepUp || StatusPolicy.IsStepUpFresh(standing.LastStepUpAt, maxAge, now);
            if (verified && fresh)
            {
                return null;
            }
            var stepUp = standing.LastStepUpAt is { } last
                ? $"last step-up {StatusPolicy.Age(now - last)} ago, policy requires {maxAge} min"
                : $"no biometric step-up yet, policy requires one within {maxAge} min";
            var current = standing.Status == VerificationStatus.Verified ? $"verified at {standing.Level}" : standing.Status.ToString();
            var problem = !verified && !fresh ? $"Contact {who} needs {rule.RequiredLevel} verification (now: {current}); {stepUp}."
                : !verified ? $"Contact {who} needs {rule.RequiredLevel} verification (now: {current})."
                : $"Contact {who} needs a biometric step-up: {stepUp}.";
            var fix = !verified && !fresh
                ? " Start an identity verification for the contact (Start Identity Verification) and, once it is Verified, ask for a step-up (Request Biometric Step-up); then try again."
                : !verified
                ? " Start an identity verification for the contact (Start Identity Verification), and try again once it is Verified."
                : " Ask the contact for a step-up (Request Biometric Step-up), and try again once they have approved it.";
            return problem + fix;
        }
    }
}
