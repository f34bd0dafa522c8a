using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Xrm.Sdk.Query;

namespace OneKosmos.Sandbox.Dataverse.Query
{
    /// <summary>The link entities of one query and the alias each answers to.</summary>
    internal sealed class QueryScope
    {
        private readonly OrderedDictionary<LinkEntity, string> _aliases = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<LinkEntity, string> _fromTables = new(ReferenceEqualityComparer.Instance);
        private readonly string _mainTable;

        public QueryScope(QueryExpression query)
        {
            _mainTable = query.EntityName;
            var position = 0;
            foreach (var (link, fromTable) in Flatten(query.LinkEntities, query.EntityName))
            {
                if (string.IsNullOrEmpty(link.LinkToEntityName) || string.IsNullOrEmpty(link.LinkFromAttributeName) || string.IsNullOrEmpty(link.LinkToAttributeName))
                {
                    throw DataverseFaults.InvalidArgument("A link entity must name the table it links to and the columns on both sides.");
                }
                position++;
                var alias = string.IsNullOrEmpty(link.EntityAlias) ? link.LinkToEntityName + position : link.EntityAlias;
                if (_aliases.ContainsValue(alias))
                {
                    throw DataverseFaults.InvalidArgument($"The alias {alias} is used by more than one link entity in this query.");
                }
                _aliases.Add(link, alias);
                _fromTables.Add(link, fromTable);
            }
        }

        /// <value>When the query runs (UTC): what the relative date operators count from.</value>
        public DateTime Now { get; init; }

        /// <value>Who runs the query: what EqualUserId compares with.</value>
        public Guid CallerId { get; init; }

        /// <value>The caller's business unit: what EqualBusinessId compares with.</value>
        public Guid CallerBusinessUnit { get; init; }

        /// <value>The teams the caller is a member of: what EqualUserTeams and EqualUserOrUserTeams compare with.</value>
        public IReadOnlyCollection<Guid> CallerTeams { get; init; } = Array.Empty<Guid>();

        /// <value>The rows above a row in its table's hierarchy, for the hierarchy operators.</value>
        public Func<string, Guid, IReadOnlyList<Guid>> AncestorsOf { get; init; } = (_, _) => Array.Empty<Guid>();

        /// <summary>Every link entity, parents before their children.</summary>
        public IEnumerable<LinkEntity> Links => _aliases.Keys;

        public string AliasOf(LinkEntity link) => _aliases[link];

        /// <summary>The table behind an alias; null for the query's own table.</summary>
        public string? TableOf(string? alias) =>
            alias is null ? null : _aliases.Where(pair => pair.Value == alias).Select(pair => pair.Key.LinkToEntityName).FirstOrDefault();

        /// <summary>
        /// The alias a condition or order means by its entity name: an alias, the table name of one link, or
        /// the query's own table (null).
        /// </summary>
        public string? ResolveAlias(string entityName)
        {
            if (_aliases.ContainsValue(entityName))
            {
                return entityName;
            }
            if (entityName == _mainTable)
            {
                return null;
            }
            var byTable = _aliases.Where(pair => pair.Key.LinkToEntityName == entityName).Select(pair => pair.Value).ToList();
            return byTable.Count == 1
                ? byTable[0]
                : throw DataverseFaults.InvalidArgument($"No link entity of this query is called {entityName}, or several are: name the alias.");
        }

        /// <summary>
        /// The table a link joins from: its parent link's table, or the query's for a top-level link. Dataverse joins a child
        /// to its parent whatever LinkFromEntityName says (LinkEntity.AddLink fills it with the parent's own "from").
        /// </summary>
        public string FromTableOf(LinkEntity link) => _fromTables[link];

        private static IEnumerable<(LinkEntity Link, string FromTable)> Flatten(IEnumerable<LinkEntity> links, string fromTable) =>
            links.SelectMany(link => new[] { (link, fromTable) }.Concat(Flatten(link.LinkEntities, link.LinkToEntityName)));
    }
}
