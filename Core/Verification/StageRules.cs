using System;
using System.Collections.Generic;
using System.Linq;

namespace OneKosmos.Core.Verification
{
    /// <summary>Whether moving into a stage asks for a verification, by the names an administrator lists in okos_VerificationStages.</summary>
    public static class StageRules
    {
        /// <value>The labels of the opportunity's standard Sales Stage choice, by value.</value>
        private static readonly string[] SalesStageLabels = { "Qualify", "Develop", "Propose", "Close" };

        /// <summary>The names a seller may know a stage by: the step name as written, without its "3-" numbering, and the sales stage label.</summary>
        public static IEnumerable<string> NamesOf(string? stepName, int? salesStage)
        {
            if (!string.IsNullOrWhiteSpace(stepName))
            {
                yield return stepName!.Trim();
                var dash = stepName.IndexOf('-');
                if (dash > 0 && stepName.Take(dash).All(char.IsDigit))
                {
                    yield return stepName.Substring(dash + 1).Trim();
                }
            }
            if (salesStage is { } value && value >= 0 && value < SalesStageLabels.Length)
            {
                yield return SalesStageLabels[value];
            }
        }

        public static bool IsListed(IEnumerable<string> stageNames, IReadOnlyList<string> listed) =>
            stageNames.Any(name => listed.Contains(name, StringComparer.OrdinalIgnoreCase));
    }
}
