using System.Collections.Generic;
using Microsoft.Xrm.Sdk;

namespace OneKosmos.Sandbox.Dataverse.Query
{
    /// <summary>One row of a query's result before projection: the main row and the row each link joined (null when a left-outer link found none).</summary>
    internal sealed class JoinedRow
    {
        private readonly Dictionary<string, Entity?> _linked;

        public JoinedRow(Entity main)
            : this(main, new Dictionary<string, Entity?>())
        {
        }

        private JoinedRow(Entity main, Dictionary<string, Entity?> linked)
        {
            Main = main;
            _linked = linked;
        }

        public Entity Main { get; }

        public IReadOnlyDictionary<string, Entity?> Linked => _linked;

        public JoinedRow With(string alias, Entity? linked) =>
            new(Main, new Dictionary<string, Entity?>(_linked) { [alias] = linked });

        public Entity? RowFor(string? alias) =>
            alias is null ? Main : _linked.TryGetValue(alias, out var row) ? row : null;
    }
}
