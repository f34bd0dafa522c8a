using System;
using System.Collections.Generic;
using System.Linq;

namespace OneKosmos.Solution.Model
{
    /// <summary>
    /// Roles every environment has before our solution arrives, as far as the product's tests need them: agents in
    /// Dynamics hold an ordinary sales or service role beside ours, and the sandbox must check those tables too.
    /// </summary>
    /// <remarks>
    /// An approximation of the platform's Salesperson role (own records written, business unit's records read), not a copy
    /// of its definition: the real role holds many more privileges, at depths an organization may have changed.
    /// </remarks>
    internal static class StandardRoles
    {
        public const string Salesperson = "Salesperson";

        private static readonly string[] CustomerTables = { "Contact", "Account", "Lead", "Opportunity", "OpportunityClose", "Incident", "Note", "Activity" };

        public static IEnumerable<RoleMetadata> All()
        {
            var privileges = new Dictionary<string, PrivilegeDepth>(StringComparer.Ordinal);
            foreach (var table in CustomerTables)
            {
                privileges["prvRead" + table] = PrivilegeDepth.Local;
                privileges["prvAppendTo" + table] = PrivilegeDepth.Local;
                foreach (var action in new[] { "Create", "Write", "Append", "Delete" })
                {
                    privileges["prv" + action + table] = PrivilegeDepth.Basic;
                }
            }
            privileges["prvReadEnvironmentVariableDefinition"] = PrivilegeDepth.Global;
            privileges["prvReadEnvironmentVariableValue"] = PrivilegeDepth.Global;
            yield return new RoleMetadata(new Guid("6d5b8a8e-4f3c-5b0e-9a51-0c2f6b9f1a01"), Salesperson, privileges);
        }

        public static RoleMetadata? Named(string name) => All().FirstOrDefault(role => role.Name == name);
    }
}
