using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Xrm.Sdk;
using OneKosmos.Sandbox.Dataverse.Metadata;
using OneKosmos.Sandbox.Dataverse.Security;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Dataverse.Storage
{
    /// <summary>Creates, changes, finds and deletes rows as Dataverse does, including its system columns.</summary>
    /// <remarks>
    /// Writing null to a column clears it: Dataverse does not return empty columns, so neither does the store.
    /// Every write sets <c>modifiedon</c>/<c>modifiedby</c> (and <c>createdon</c>/<c>createdby</c> on create)
    /// from the sandbox clock and the calling user, and gives the row a new <c>RowVersion</c>.
    /// </remarks>
    internal sealed class RowWriter
    {
        private readonly TableStore _store;
        private readonly TimeProvider _clock;
        private readonly Func<Guid> _newId;
        private readonly MetadataGuard _guard;
        private readonly AccessGuard _access;

        public RowWriter(TableStore store, TimeProvider clock, Func<Guid> newId, MetadataGuard guard, AccessGuard access)
        {
            _access = access;
            _store = store;
            _clock = clock;
            _newId = newId;
            _guard = guard;
        }

        public Guid Insert(Entity target, Guid callerId)
        {
            RequireTable(target);
            target = Checked(target);
            _guard.RequireColumns(target.LogicalName, target.KeyAttributes.Keys);
            var primaryKey = PrimaryKeyOf(target.LogicalName);
            var declaredId = target.Attributes.TryGetValue(primaryKey, out var raw) && raw is Guid attributeId ? attributeId : Guid.Empty;
            if (target.Id != Guid.Empty && declaredId != Guid.Empty && target.Id != declaredId)
            {
                throw DataverseFaults.InvalidArgument($"The {target.LogicalName} to create has Id {target.Id} but {primaryKey} {declaredId}.");
            }
            var id = target.Id != Guid.Empty ? target.Id : declaredId != Guid.Empty ? declaredId : _newId();
            if (_store.Find(target.LogicalName, id) is not null)
            {
                throw DataverseFaults.DuplicateRecord(target.LogicalName, id);
            }

            var row = new Entity(target.LogicalName, id);
            foreach (var key in target.KeyAttributes)
            {
                Assign(row, key.Key, key.Value);
            }
            foreach (var attribute in target.Attributes)
            {
                Assign(row, attribute.Key, attribute.Value);
            }
            row[primaryKey] = id;
            DefaultState(row);
            ComposeFullName(row);
            if (_guard.Metadata?.Table(row.LogicalName)?.Ownership == Ownership.UserOwned && !row.Contains("ownerid"))
            {
                row["ownerid"] = new EntityReference("systemuser", callerId);
            }
            _access.CheckCreate(callerId, row);
            var now = Now();
            var caller = new EntityReference("systemuser", callerId);
            row["createdon"] = now;
            row["createdby"] = caller;
            Stamp(row, now, caller);
            Save(row);
            return id;
        }

        /// <remarks>As Dataverse does, a new row is active (statecode 0) with the first status of that state unless the caller sets them.</remarks>
        private void DefaultState(Entity row)
        {
            var table = _guard.Metadata?.Table(row.LogicalName);
            if (table?.Column("statecode") is not null && !row.Contains("statecode"))
            {
                row["statecode"] = new OptionSetValue(0);
            }
            if (table?.Column("statuscode") is { Options.Count: > 0 } status && !row.Contains("statuscode"))
            {
                row["statuscode"] = new OptionSetValue(status.Options.First());
            }
        }

        /// <remarks>As Dataverse does for contacts, leads and users, the full name is composed from the first and last names (first name first).</remarks>
        private void ComposeFullName(Entity row)
        {
            var table = _guard.Metadata?.Table(row.LogicalName);
            if (table?.Column("fullname") is null || table.Column("firstname") is null || table.Column("lastname") is null)
            {
                return;
            }
            var parts = new[] { row.GetAttributeValue<string>("firstname"), row.GetAttributeValue<string>("lastname") }.Where(part => !string.IsNullOrWhiteSpace(part));
            var fullName = string.Join(" ", parts);
            if (fullName.Length == 0)
            {
                row.Attributes.Remove("fullname");
            }
            else
            {
                row["fullname"] = fullName;
            }
        }

        /// <summary>Puts a row back as an earlier sandbox kept it: every column as it was (created on, owner…), a new row version.</summary>
        public void Restore(Entity row)
        {
            RequireTable(row);
            if (_store.Find(row.LogicalName, row.Id) is not null)
            {
                throw DataverseFaults.DuplicateRecord(row.LogicalName, row.Id);
            }
            Save(EntityCopy.Of(row));
        }

        public void Change(Entity target, Guid callerId, ConcurrencyBehavior concurrency)
        {
            RequireTable(target);
            target = Checked(target);
            var existing = Locate(target.LogicalName, target.Id, target.KeyAttributes);
            CheckVersion(existing, target.RowVersion, concurrency);
            _access.CheckUpdate(callerId, existing, target);
            var primaryKey = PrimaryKeyOf(target.LogicalName);
            var row = EntityCopy.Of(existing);
            foreach (var attribute in target.Attributes)
            {
                if (attribute.Key == primaryKey)
                {
                    if (!Equals(attribute.Value, existing.Id))
                    {
                        throw DataverseFaults.InvalidArgument($"{primaryKey} cannot be changed (row {existing.Id}).");
                    }
                    continue;
                }
                Assign(row, attribute.Key, attribute.Value);
            }
            ComposeFullName(row);
            Stamp(row, Now(), new EntityReference("systemuser", callerId));
            Save(row);
        }

        public void Delete(string table, Guid id, KeyAttributeCollection? keys, string? rowVersion, ConcurrencyBehavior concurrency, Guid callerId)
        {
            RefuseIntersect(table);
            var existing = Locate(table, id, keys);
            CheckVersion(existing, rowVersion, concurrency);
            _access.CheckDelete(callerId, existing);
            _store.Remove(table, existing.Id);
            // A deleted row's many-to-many links go with it, as Dataverse removes them.
            foreach (var relationship in ManyToManyOf(table))
            {
                foreach (var link in Links(relationship).Where(link => Equals(link[relationship.IntersectColumn1], existing.Id) || Equals(link[relationship.IntersectColumn2], existing.Id)).ToList())
                {
                    _store.Remove(relationship.IntersectTable, link.Id);
                }
            }
        }

        /// <summary>Links two rows through a many-to-many relationship (an intersect row); the rows are in the relationship's column order.</summary>
        /// <exception cref="System.ServiceModel.FaultException{OrganizationServiceFault}">The two rows are linked already.</exception>
        public void Link(ManyToManyMetadata relationship, EntityReference first, EntityReference second)
        {
            if (FindLink(relationship, first, second) is not null)
            {
                throw DataverseFaults.AlreadyAssociated(relationship.SchemaName, first, second);
            }
            var id = _newId();
            _store.Put(new Entity(relationship.IntersectTable, id)
            {
                [PrimaryKeyOf(relationship.IntersectTable)] = id,
                [relationship.IntersectColumn1] = first.Id,
                [relationship.IntersectColumn2] = second.Id,
            });
        }

        /// <summary>Removes the link between two rows, if they are linked.</summary>
        public void Unlink(ManyToManyMetadata relationship, EntityReference first, EntityReference second)
        {
            if (FindLink(relationship, first, second) is { } link)
            {
                _store.Remove(relationship.IntersectTable, link.Id);
            }
        }

        public ManyToManyMetadata? ManyToMany(string schemaName) => _guard.Metadata?.ManyToMany(schemaName);

        private Entity? FindLink(ManyToManyMetadata relationship, EntityReference first, EntityReference second) =>
            Links(relationship).FirstOrDefault(link => Equals(link[relationship.IntersectColumn1], first.Id) && Equals(link[relationship.IntersectColumn2], second.Id));

        private IEnumerable<Entity> Links(ManyToManyMetadata relationship) => _store.Rows(relationship.IntersectTable);

        private IEnumerable<ManyToManyMetadata> ManyToManyOf(string table) =>
            _guard.Metadata?.ManyToManyRelationships.Where(relationship => relationship.Table1 == table || relationship.Table2 == table)
            ?? Enumerable.Empty<ManyToManyMetadata>();

        private void RefuseIntersect(string table)
        {
            if (_guard.Metadata?.Table(table)?.IntersectOf is { } relationship)
            {
                throw DataverseFaults.IntersectWrite(table, relationship.SchemaName);
            }
        }

        /// <summary>The stored row a target names by id or by alternate key; a fault when there is none.</summary>
        public Entity Locate(string table, Guid id, KeyAttributeCollection? keys)
        {
            if (id != Guid.Empty)
            {
                return _store.Find(table, id) ?? throw DataverseFaults.ObjectDoesNotExist(table, id);
            }
            return Find(table, keys) ?? throw (keys is { Count: > 0 }
                ? DataverseFaults.ObjectDoesNotExist(table, keys)
                : DataverseFaults.InvalidArgument($"The {table} row is identified neither by Id nor by alternate key."));
        }

        /// <summary>The stored row an alternate key (or the primary key given as a key attribute) names, if any.</summary>
        public Entity? Find(string table, KeyAttributeCollection? keys)
        {
            if (keys is null || keys.Count == 0)
            {
                return null;
            }
            var primaryKey = PrimaryKeyOf(table);
            if (keys.Count == 1 && keys.TryGetValue(primaryKey, out var value))
            {
                return value is Guid id
                    ? _store.Find(table, id)
                    : throw DataverseFaults.InvalidArgument($"The key attribute {primaryKey} must be a Guid.");
            }
            var key = _store.KeysOf(table).FirstOrDefault(candidate => candidate.Matches(keys.Keys))
                ?? throw DataverseFaults.InvalidArgument(
                    $"The key attributes ({string.Join(", ", keys.Keys)}) are not an alternate key of the {table} table.");
            return _store.FindByKey(table, key, keys);
        }

        public string PrimaryKeyOf(string table) => _guard.PrimaryIdOf(table);

        /// <summary>A copy of the target with the metadata checks passed and platform-set columns dropped; the caller's entity stays as it was.</summary>
        private Entity Checked(Entity target)
        {
            var copy = EntityCopy.Of(target);
            _guard.CheckWrite(copy);
            return copy;
        }

        private void Save(Entity row)
        {
            if (_store.ConflictingKey(row) is { } key)
            {
                throw DataverseFaults.DuplicateRecordEntityKey(
                    row.LogicalName,
                    key.Name,
                    key.Columns.Select(column => new System.Collections.Generic.KeyValuePair<string, object>(column, row.Contains(column) ? row[column] : null!)));
            }
            _store.Put(row);
        }

        private static void CheckVersion(Entity existing, string? rowVersion, ConcurrencyBehavior concurrency)
        {
            if (concurrency != ConcurrencyBehavior.IfRowVersionMatches)
            {
                return;
            }
            if (string.IsNullOrEmpty(rowVersion))
            {
                throw DataverseFaults.InvalidArgument("ConcurrencyBehavior.IfRowVersionMatches needs the RowVersion the caller read.");
            }
            if (rowVersion != existing.RowVersion)
            {
                throw DataverseFaults.ConcurrencyVersionMismatch(existing.LogicalName, existing.Id);
            }
        }

        private static void Assign(Entity row, string column, object? value)
        {
            if (value is null)
            {
                row.Attributes.Remove(column);
            }
            else
            {
                row[column] = EntityCopy.Value(value);
            }
        }

        private static void Stamp(Entity row, DateTime now, EntityReference caller)
        {
            row["modifiedon"] = now;
            row["modifiedby"] = caller;
        }

        private DateTime Now() => _clock.GetUtcNow().UtcDateTime;

        private void RequireTable(Entity target)
        {
            if (string.IsNullOrEmpty(target.LogicalName))
            {
                throw DataverseFaults.InvalidArgument("The entity has no LogicalName: say which table it belongs to.");
            }
            RefuseIntersect(target.LogicalName);
        }
    }
}
