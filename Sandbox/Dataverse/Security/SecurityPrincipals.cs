using System;
using System.Collections.Generic;
using System.Linq;
using OneKosmos.Sandbox.Dataverse.Metadata;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Dataverse.Security
{
    /// <summary>The users a test created, their business units, roles and field security profiles.</summary>
    /// <remarks>Any other caller (SYSTEM, the default user, an id nobody registered) acts as a System Administrator.</remarks>
    internal sealed class SecurityPrincipals
    {
        private readonly Dictionary<Guid, Guid?> _businessUnitParents = new();
        private readonly Dictionary<Guid, User> _users = new();
        private readonly Dictionary<Guid, HashSet<Guid>> _teamsOfUser = new();

        public SecurityPrincipals(Guid rootBusinessUnit)
        {
            RootBusinessUnit = rootBusinessUnit;
            _businessUnitParents[rootBusinessUnit] = null;
        }

        public Guid RootBusinessUnit { get; }

        public void AddBusinessUnit(Guid id, Guid parent)
        {
            if (!_businessUnitParents.ContainsKey(parent))
            {
                throw new ArgumentException($"Business unit {parent} does not exist.", nameof(parent));
            }
            _businessUnitParents.Add(id, parent);
        }

        public void AddUser(Guid id, Guid businessUnit, IReadOnlyList<RoleMetadata> roles, IReadOnlyList<FieldSecurityProfileMetadata> profiles)
        {
            if (!_businessUnitParents.ContainsKey(businessUnit))
            {
                throw new ArgumentException($"Business unit {businessUnit} does not exist.", nameof(businessUnit));
            }
            _users.Add(id, new User(businessUnit, roles, profiles));
        }

        public void AddTeamMember(Guid team, Guid user)
        {
            if (!_teamsOfUser.TryGetValue(user, out var teams))
            {
                _teamsOfUser[user] = teams = new HashSet<Guid>();
            }
            teams.Add(team);
        }

        /// <summary>The teams the user is a member of (none for a user no team names).</summary>
        public IReadOnlyCollection<Guid> TeamsOf(Guid userId) => _teamsOfUser.TryGetValue(userId, out var teams) ? teams : Array.Empty<Guid>();

        /// <summary>The user's restrictions, or null for a caller with the powers of a System Administrator.</summary>
        public User? Restricted(Guid callerId) => _users.TryGetValue(callerId, out var user) ? user : null;

        public Guid BusinessUnitOf(Guid userId) => _users.TryGetValue(userId, out var user) ? user.BusinessUnit : RootBusinessUnit;

        public bool IsWithin(Guid businessUnit, Guid ancestor)
        {
            for (Guid? current = businessUnit; current is { } unit; current = _businessUnitParents.TryGetValue(unit, out var parent) ? parent : null)
            {
                if (unit == ancestor)
                {
                    return true;
                }
            }
            return false;
        }

        internal sealed class User
        {
            public User(Guid businessUnit, IReadOnlyList<RoleMetadata> roles, IReadOnlyList<FieldSecurityProfileMetadata> profiles)
            {
                BusinessUnit = businessUnit;
                Roles = roles;
                Profiles = profiles;
            }

            public Guid BusinessUnit { get; }

            public IReadOnlyList<RoleMetadata> Roles { get; }

            public IReadOnlyList<FieldSecurityProfileMetadata> Profiles { get; }

            /// <summary>The deepest depth any of the user's roles grants the privilege at; null when none grants it.</summary>
            public PrivilegeDepth? Depth(string privilege) =>
                Roles.Select(role => role.Privileges.TryGetValue(privilege, out var depth) ? depth : (PrivilegeDepth?)null).Max();

            public bool MayColumn(string table, string column, Func<FieldPermission, bool> allows) =>
                Profiles.SelectMany(profile => profile.Permissions).Any(permission => permission.Table == table && permission.Column == column && allows(permission));
        }
    }
}
