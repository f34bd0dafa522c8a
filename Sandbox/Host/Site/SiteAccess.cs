using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Host.Site
{
    /// <summary>
    /// What a signed-in site user may do on one table: the table permissions of their web roles, each judged in its scope —
    /// Global (every row), Contact (rows whose contact relationship points to the user's contact), Self (the user's own contact
    /// row). Rights add up across permissions, as Power Pages documents; Account and Parent scopes grant nothing here (the
    /// product ships neither).
    /// </summary>
    internal sealed class SiteAccess
    {
        public SiteAccess(IReadOnlyList<TablePermission> permissions, TableMetadata table, SiteUser user)
        {
            Permissions = permissions;
            Table = table;
            User = user;
        }

        public IReadOnlyList<TablePermission> Permissions { get; }

        public TableMetadata Table { get; }

        public SiteUser User { get; }

        /// <value>The columns a stored row is judged on: its id and its contact relationship's lookup, when a permission has one.</value>
        public string[] ScopeColumns => Permissions.Where(permission => permission.Scope == PermissionScope.Contact).Select(ContactColumn)
            .Append(Table.PrimaryIdAttribute).Distinct(StringComparer.Ordinal).ToArray();

        /// <summary>Whether a permission granting <paramref name="grants"/> covers the row.</summary>
        public bool Covers(Entity row, Func<TablePermission, bool> grants) => Permissions.Where(grants).Any(permission => permission.Scope switch
        {
            PermissionScope.Global => true,
            PermissionScope.Self => row.LogicalName == "contact" && row.Id == User.ContactId,
            PermissionScope.Contact => row.GetAttributeValue<EntityReference>(ContactColumn(permission)) is { } contact && contact.Id == User.ContactId,
            _ => false,
        });

        /// <summary>Narrows a query to the rows the permissions granting <paramref name="grants"/> cover; false when none grants it.</summary>
        public bool Scope(QueryExpression query, Func<TablePermission, bool> grants)
        {
            var granting = Permissions.Where(grants).ToList();
            if (granting.Count == 0)
            {
                return false;
            }
            if (granting.Any(permission => permission.Scope == PermissionScope.Global))
            {
                return true;
            }
            var scope = new FilterExpression(LogicalOperator.Or);
            foreach (var permission in granting)
            {
                switch (permission.Scope)
                {
                    case PermissionScope.Self when Table.LogicalName == "contact":
                        scope.AddCondition(Table.PrimaryIdAttribute, ConditionOperator.Equal, User.ContactId);
                        break;
                    case PermissionScope.Contact:
                        scope.AddCondition(ContactColumn(permission), ConditionOperator.Equal, User.ContactId);
                        break;
                }
            }
            if (scope.Conditions.Count == 0)
            {
                return false;
            }
            query.Criteria.AddFilter(scope);
            return true;
        }

        /// <summary>The lookup a Contact-scope permission's relationship stands on: the table's one lookup to contact.</summary>
        /// <exception cref="NotSupportedException">The table has no lookup to contact, or several (the sandbox cannot tell which).</exception>
        private string ContactColumn(TablePermission permission)
        {
            var lookups = Table.Columns.Values.Where(column => column.Type == ColumnType.Lookup && column.Targets.Contains("contact")).ToList();
            return lookups.Count == 1
                ? lookups[0].LogicalName
                : throw new NotSupportedException($"Table permission '{permission.Name}' scopes {Table.LogicalName} by contact relationship {permission.ContactRelationship}, but the sandbox finds {lookups.Count} lookups to contact on it: it judges only tables with exactly one.");
        }
    }
}
