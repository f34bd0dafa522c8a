using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Xrm.Sdk;

namespace OneKosmos.Sandbox.Dataverse.Storage
{
    /// <summary>The rows of every table, in insertion order, with their alternate keys and one open transaction at most.</summary>
    /// <remarks>
    /// While a transaction is open every write records how to undo itself; rolling back replays those undo
    /// steps newest first, so the store is exactly as it was, row order included.
    /// </remarks>
    internal sealed class TableStore
    {
        private readonly Dictionary<string, OrderedDictionary<Guid, Entity>> _tables = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<AlternateKey>> _keys = new(StringComparer.Ordinal);

        /// <summary>Per table and key: the key's identity text to the row holding it, so key lookups and checks never scan a table.</summary>
        private readonly Dictionary<AlternateKey, Dictionary<string, Guid>> _index = new();
        private List<Action>? _undo;
        private long _rowVersion;

        public bool InTransaction => _undo is not null;

        public void BeginTransaction()
        {
            if (_undo is not null)
            {
                throw new InvalidOperationException("A transaction is already open.");
            }
            _undo = new List<Action>();
        }

        public void Commit() => _undo = null;

        public void Rollback()
        {
            var undo = _undo ?? throw new InvalidOperationException("No transaction is open.");
            _undo = null;
            for (var i = undo.Count - 1; i >= 0; i--)
            {
                undo[i]();
            }
        }

        public bool HasKey(string table, string keyName) => _keys.TryGetValue(table, out var keys) && keys.Any(key => key.Name == keyName);

        public void DefineKey(string table, AlternateKey key)
        {
            if (!_keys.TryGetValue(table, out var keys))
            {
                keys = new List<AlternateKey>();
                _keys.Add(table, keys);
            }
            if (keys.Any(existing => existing.Name == key.Name))
            {
                throw new ArgumentException($"Table {table} already has an alternate key named {key.Name}.", nameof(key));
            }
            keys.Add(key);
            _index[key] = Rows(table).ToDictionary(row => key.Identity(column => ValueOf(row, column)), row => row.Id, StringComparer.Ordinal);
        }

        public IReadOnlyList<AlternateKey> KeysOf(string table) =>
            _keys.TryGetValue(table, out var keys) ? keys : Array.Empty<AlternateKey>();

        public IEnumerable<Entity> Rows(string table) =>
            _tables.TryGetValue(table, out var rows) ? rows.Values : Enumerable.Empty<Entity>();

        public Entity? Find(string table, Guid id) =>
            _tables.TryGetValue(table, out var rows) && rows.TryGetValue(id, out var row) ? row : null;

        public Entity? FindByKey(string table, AlternateKey key, KeyAttributeCollection values)
        {
            var wanted = key.Identity(column => values.TryGetValue(column, out var value) ? value : null);
            return _index[key].TryGetValue(wanted, out var id) ? Find(table, id) : null;
        }

        /// <summary>The key another row already holds with the values <paramref name="candidate"/> would have.</summary>
        public AlternateKey? ConflictingKey(Entity candidate) =>
            KeysOf(candidate.LogicalName).FirstOrDefault(key =>
                _index[key].TryGetValue(key.Identity(column => ValueOf(candidate, column)), out var holder) && holder != candidate.Id);

        /// <summary>Stores <paramref name="row"/> as it is (the caller passes a copy) with a fresh row version.</summary>
        public void Put(Entity row)
        {
            if (!_tables.TryGetValue(row.LogicalName, out var rows))
            {
                rows = new OrderedDictionary<Guid, Entity>();
                _tables.Add(row.LogicalName, rows);
            }
            row.RowVersion = (++_rowVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (rows.TryGetValue(row.Id, out var previous))
            {
                Unindex(previous);
                _undo?.Add(() =>
                {
                    Unindex(row);
                    rows[row.Id] = previous;
                    Index(previous);
                });
            }
            else
            {
                _undo?.Add(() =>
                {
                    Unindex(row);
                    rows.Remove(row.Id);
                });
            }
            rows[row.Id] = row;
            Index(row);
        }

        public bool Remove(string table, Guid id)
        {
            if (!_tables.TryGetValue(table, out var rows) || !rows.TryGetValue(id, out var previous))
            {
                return false;
            }
            var position = rows.IndexOf(id);
            rows.Remove(id);
            Unindex(previous);
            _undo?.Add(() =>
            {
                rows.Insert(position, id, previous);
                Index(previous);
            });
            return true;
        }

        private void Index(Entity row)
        {
            foreach (var key in KeysOf(row.LogicalName))
            {
                _index[key][key.Identity(column => ValueOf(row, column))] = row.Id;
            }
        }

        private void Unindex(Entity row)
        {
            foreach (var key in KeysOf(row.LogicalName))
            {
                var entries = _index[key];
                var identity = key.Identity(column => ValueOf(row, column));
                if (entries.TryGetValue(identity, out var holder) && holder == row.Id)
                {
                    entries.Remove(identity);
                }
            }
        }

        private static object? ValueOf(Entity row, string column) =>
            row.Attributes.TryGetValue(column, out var value) ? value : null;
    }
}
