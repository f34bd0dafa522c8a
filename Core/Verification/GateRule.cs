using System;
using System.Collections.Generic;
using System.Linq;

namespace OneKosmos.Core.Verification
{
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
}
