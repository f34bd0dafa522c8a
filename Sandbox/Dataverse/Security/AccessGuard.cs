using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Xrm.Sdk;
using OneKosmos.Sandbox.Dataverse.Metadata;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Dataverse.Security
{
    /// <summary>
    /// Enforces security as Dataverse does on every declared table that has privileges (the solution's and the standard
    /// ones: contact, opportunity, lead, incident, notes…): each action needs its privilege (prvCreate…, prvReadContact…)
    /// from one of the caller's roles, at a depth that reaches the row's owner; field-secured columns need a field security
    /// profile. Platform tables declared without privileges (users, business units, roles) are not checked.
    /// </summary>
    internal sealed class AccessGuard
    {
        private readonly SecurityPrincipals _principals;
        private readonly MetadataGuard _metadata;

        public AccessGuard(SecurityPrincipals principals, MetadataGuard metadata)
        {
            _principals = principals;
            _metadata = metadata;
        }

        public void CheckCreate(Guid callerId, Entity row)
        {
            if (Restricted(callerId, row.LogicalName) is not { } user)
            {
                return;
            }
            Demand(callerId, user, "Create", row);
            CheckLookups(callerId, user, row, row.Attributes.Select(pair => pair.Key));
            CheckSecuredWrite(callerId, user, row.LogicalName, row.Attributes.Select(pair => pair.Key), permission => permission.CanCreate, "set");
        }

        public void CheckUpdate(Guid callerId, Entity existing, Entity changes)
        {
            if (Restricted(callerId, existing.LogicalName) is not { } user)
            {
                return;
            }
            Demand(callerId, user, "Write", existing);
            if (changes.Contains("ownerid") && !Equals(changes["ownerid"], existing.GetAttributeValue<EntityReference>("ownerid")))
            {
                Demand(callerId, user, "Assign", existing);
            }
            CheckLookups(callerId, user, existing, changes.Attributes.Select(pair => pair.Key));
            CheckSecuredWrite(callerId, user, existing.LogicalName, changes.Attributes.Select(pair => pair.Key), permission => permission.CanUpdate, "update");
        }

        /// <summary>
        /// Associate and Disassociate: Write and Append on the target row, AppendTo on the related one, as Microsoft's "Associate
        /// message privileges" lists them (https://learn.microsoft.com/previous-versions/dynamicscrm-2016/developers-guide/gg328270(v=crm.8)).
        /// </summary>
        public void CheckAssociate(Guid callerId, Entity target, Entity related)
        {
            if (Restricted(callerId, target.LogicalName) is { } user)
            {
                Demand(callerId, user, "Write", target);
                Demand(callerId, user, "Append", target);
            }
            if (Restricted(callerId, related.LogicalName) is { } relatedUser)
            {
                Demand(callerId, relatedUser, "AppendTo", related);
            }
        }

        public void CheckDelete(Guid callerId, Entity existing)
        {
            if (Restricted(callerId, existing.LogicalName) is { } user)
            {
                Demand(callerId, user, "Delete", existing);
            }
        }

        public void CheckRead(Guid callerId, Entity row)
        {
            if (Restricted(callerId, row.LogicalName) is { } user)
            {
                Demand(callerId, user, "Read", row);
            }
        }

        /// <summary>Faults unless the caller may read the table at all; queries then return only the rows within reach.</summary>
        /// <remarks>An intersect table has no privileges of its own: a caller learns which rows are linked only if they may read both tables.</remarks>
        public void DemandRead(Guid callerId, string table)
        {
            if (_metadata.Metadata?.Table(table)?.IntersectOf is { } relationship)
            {
                DemandRead(callerId, relationship.Table1);
                DemandRead(callerId, relationship.Table2);
                return;
            }
            if (Restricted(callerId, table) is { } user && user.Depth(Privilege("Read", table)) is null)
            {
                throw DataverseFaults.PrivilegeDenied(callerId, Privilege("Read", table));
            }
        }

        public bool CanRead(Guid callerId, Entity row) =>
            Restricted(callerId, row.LogicalName) is not { } user || Reaches(callerId, user.Depth(Privilege("Read", row.LogicalName)), row);

        /// <summary>The field-secured columns of <paramref name="table"/> the caller may not read (none for SYSTEM or an unrestricted caller).</summary>
        public IReadOnlyCollection<string> HiddenColumns(Guid callerId, string table) =>
            _principals.Restricted(callerId) is { } user && _metadata.Metadata?.Table(table) is { } metadata
                ? metadata.Columns.Values.Where(column => column.IsSecured && !user.MayColumn(table, column.LogicalName, permission => permission.CanRead)).Select(column => column.LogicalName).ToList()
                : Array.Empty<string>();

        /// <summary>Removes the field-secured columns the caller may not read: a caller without the profile reads them as empty.</summary>
        public Entity Mask(Guid callerId, Entity row)
        {
            if (_principals.Restricted(callerId) is not { } user || _metadata.Metadata?.Table(row.LogicalName) is not { } table)
            {
                return row;
            }
            foreach (var column in row.Attributes.Keys.ToList())
            {
                var alias = column.IndexOf('.', StringComparison.Ordinal);
                var (columnTable, columnName) = alias < 0 ? (table, column) : (LinkedTable(row, column), column[(alias + 1)..]);
                if (columnTable?.Column(columnName) is { IsSecured: true } && !user.MayColumn(columnTable.LogicalName, columnName, permission => permission.CanRead))
                {
                    row.Attributes.Remove(column);
                    // A secured lookup's name or choice's label would tell what the column holds.
                    row.FormattedValues.Remove(column);
                }
            }
            return row;
        }

        /// <summary>
        /// The rights <paramref name="principalId"/> holds on <paramref name="row"/>, as RetrievePrincipalAccess answers them:
        /// each right whose privilege one of the principal's roles grants at a depth that reaches the row's owner.
        /// </summary>
        public AccessRights RightsOf(Guid principalId, Entity row)
        {
            if (Restricted(principalId, row.LogicalName) is not { } user)
            {
                return AccessRights.All;
            }
            var rights = AccessRights.None;
            foreach (var (action, right) in RightsByAction)
            {
                if (Reaches(principalId, user.Depth(Privilege(action, row.LogicalName)), row))
                {
                    rights |= right;
                }
            }
            return rights;
        }

        private static readonly (string Action, AccessRights Right)[] RightsByAction =
        {
            ("Read", AccessRights.ReadAccess), ("Write", AccessRights.WriteAccess), ("Append", AccessRights.AppendAccess),
            ("AppendTo", AccessRights.AppendToAccess), ("Create", AccessRights.CreateAccess), ("Delete", AccessRights.DeleteAccess),
            ("Share", AccessRights.ShareAccess), ("Assign", AccessRights.AssignAccess),
        };

        public void DemandExecute(Guid callerId, string privilege)
        {
            var user = _principals.Restricted(callerId);
            if (user is not null && user.Depth(privilege) is null)
            {
                throw DataverseFaults.PrivilegeDenied(callerId, privilege);
            }
        }

        private TableMetadata? LinkedTable(Entity row, string aliasedColumn) =>
            row[aliasedColumn] is AliasedValue aliased ? _metadata.Metadata?.Table(aliased.EntityLogicalName) : null;

        private SecurityPrincipals.User? Restricted(Guid callerId, string table) =>
            IsChecked(table) ? _principals.Restricted(callerId) : null;

        private bool IsChecked(string table) => _metadata.Metadata?.Table(table)?.PrivilegeName is not null;

        private void Demand(Guid callerId, SecurityPrincipals.User user, string action, Entity row)
        {
            var privilege = Privilege(action, row.LogicalName);
            var depth = user.Depth(privilege) ?? throw DataverseFaults.PrivilegeDenied(callerId, privilege);
            if (!Reaches(callerId, depth, row))
            {
                throw DataverseFaults.AccessDenied(callerId, action + "Access", row.LogicalName, row.Id);
            }
        }

        private void CheckLookups(Guid callerId, SecurityPrincipals.User user, Entity row, System.Collections.Generic.IEnumerable<string> columns)
        {
            var table = _metadata.Metadata!.Table(row.LogicalName)!;
            var lookups = columns.Where(column => column != "ownerid" && table.Column(column)?.Type == ColumnType.Lookup).ToList();
            if (lookups.Count == 0)
            {
                return;
            }
            Demand(callerId, user, "Append", row);
            foreach (var target in lookups.Select(column => row.GetAttributeValue<EntityReference>(column)).Where(target => target is not null && IsChecked(target.LogicalName)))
            {
                if (user.Depth(Privilege("AppendTo", target!.LogicalName)) is null)
                {
                    throw DataverseFaults.PrivilegeDenied(callerId, Privilege("AppendTo", target.LogicalName));
                }
            }
        }

        private void CheckSecuredWrite(Guid callerId, SecurityPrincipals.User user, string table, System.Collections.Generic.IEnumerable<string> columns, Func<FieldPermission, bool> allows, string action)
        {
            var metadata = _metadata.Metadata!.Table(table)!;
            foreach (var column in columns.Where(column => metadata.Column(column) is { IsSecured: true }))
            {
                if (!user.MayColumn(table, column, allows))
                {
                    throw DataverseFaults.SecuredColumn(callerId, table, column, action);
                }
            }
        }

        private bool Reaches(Guid callerId, PrivilegeDepth? depth, Entity row)
        {
            if (depth is null)
            {
                return false;
            }
            if (depth == PrivilegeDepth.Global || row.GetAttributeValue<EntityReference>("ownerid") is not { } owner)
            {
                return depth == PrivilegeDepth.Global || _metadata.Metadata?.Table(row.LogicalName)?.Ownership == Ownership.OrganizationOwned;
            }
            var callerUnit = _principals.BusinessUnitOf(callerId);
            var ownerUnit = _principals.BusinessUnitOf(owner.Id);
            return depth switch
            {
                PrivilegeDepth.Basic => owner.Id == callerId,
                PrivilegeDepth.Local => ownerUnit == callerUnit,
                _ => _principals.IsWithin(ownerUnit, callerUnit),
            };
        }

        private string Privilege(string action, string table) => "prv" + action + (_metadata.Metadata?.Table(table)?.PrivilegeName ?? table);
    }
}
