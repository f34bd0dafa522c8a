using System;
using System.Linq;
using System.Xml.Linq;
using OneKosmos.Solution.Model;

namespace OneKosmos.Solution.Packer.Validation
{
    /// <summary>Role privileges name a table the solution defines, at a depth its ownership allows.</summary>
    internal sealed partial class SourceValidator
    {
        private void CheckRoles(SolutionMetadata metadata)
        {
            string[] actions = { "Create", "Read", "Write", "Delete", "Append", "AppendTo", "Assign", "Share" };
            foreach (var (path, document) in _source.Under("Roles"))
            {
                foreach (var privilege in document.Root!.Descendants("RolePrivilege"))
                {
                    var name = (string?)privilege.Attribute("name") ?? "";
                    var action = actions.OrderByDescending(candidate => candidate.Length).FirstOrDefault(candidate => name.StartsWith("prv" + candidate, StringComparison.Ordinal));
                    var table = action is null ? null : name[(3 + action.Length)..];
                    if (table is null || !table.StartsWith(Prefix, StringComparison.Ordinal))
                    {
                        continue;
                    }
                    var tableMetadata = metadata.Table(table);
                    if (tableMetadata is null)
                    {
                        Add(path, "RolePrivilege", privilege, $"{name} is a privilege on {table}, which the solution does not define");
                    }
                    else if (tableMetadata.Ownership == Ownership.OrganizationOwned && action is "Assign" or "Share")
                    {
                        Add(path, "RolePrivilege", privilege, $"{table} is organization-owned: it has no {action} privilege");
                    }
                    else if (tableMetadata.Ownership == Ownership.OrganizationOwned && (string?)privilege.Attribute("level") != "Global")
                    {
                        Add(path, "RolePrivilege", privilege, $"{table} is organization-owned: {name} can only be granted at level Global");
                    }
                }
            }
        }
    }
}
