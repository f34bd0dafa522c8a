using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Xml.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Sandbox.Dataverse.Metadata;
using OneKosmos.Sandbox.Dataverse.Security;
using OneKosmos.Sandbox.Dataverse.Storage;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Dataverse.Query
{
    /// <summary>Runs a <see cref="QueryExpression"/> over the store as Dataverse does.</summary>
    /// <remarks>
    /// Without paging a query returns at most 5,000 rows and sets <c>MoreRecords</c> when there are more;
    /// a link entity without an alias is named after its table and position (contact1, account2…), as the
    /// platform names it; columns of linked rows come back as <see cref="AliasedValue"/> under
    /// <c>alias.column</c>.
    /// </remarks>
    internal sealed class QueryEvaluator
    {
        public const int MaxPageSize = 5000;

        private readonly TableStore _store;
        private readonly MetadataGuard _guard;
        private readonly AccessGuard _access;
        private readonly TimeProvider _clock;
        private readonly SecurityPrincipals _principals;
        private readonly CultureInfo _culture;

        /// <remarks><c>clock</c> is "now" for the relative date operators (Today, LastXDays…); <c>businessUnitOf</c> gives a user's business unit, for EqualBusinessId.</remarks>
        public QueryEvaluator(TableStore store, MetadataGuard guard, AccessGuard access, TimeProvider clock, SecurityPrincipals principals, CultureInfo culture)
        {
            _culture = culture;
            _access = access;
            _store = store;
            _guard = guard;
            _clock = clock;
            _principals = principals;
        }

        /// <summary>FetchXML read into the query model against this environment's metadata (its text values take their columns' types).</summary>
        public FetchQuery Read(FetchExpression fetch) => FetchXml.Parse(fetch.Query ?? "", _guard);

        /// <summary>A FetchXML query: its rows with aliased columns under their aliases, or an aggregate query's groups.</summary>
        public EntityCollection Evaluate(FetchQuery fetch, Guid callerId)
        {
            if (fetch.Aggregation is { } aggregation)
            {
                var rows = Rows(fetch.Query, callerId);
                if (rows.Count > aggregation.Limit)
                {
                    throw DataverseFaults.AggregateQueryRecordLimit(aggregation.Limit);
                }
                var groups = Aggregates.Compute(rows, aggregation, fetch.Query.EntityName, _guard.Metadata, new QueryScope(fetch.Query));
                return Page(groups, fetch.Query, fetch.Query.PageInfo ?? new PagingInfo());
            }
            var result = Evaluate(fetch.Query, callerId);
            var scope = new QueryScope(fetch.Query);
            foreach (var row in result.Entities)
            {
                Aggregates.Realias(row, fetch.AliasedColumns, _guard.PrimaryIdOf(fetch.Query.EntityName), scope);
            }
            return result;
        }

        public EntityCollection Evaluate(QueryExpression query, Guid callerId) => Page(Rows(query, callerId), query, query.PageInfo ?? new PagingInfo());

        /// <summary>Every row a query matches, ordered and projected as the caller may see it, before paging.</summary>
        private List<Entity> Rows(QueryExpression query, Guid callerId)
        {
            if (string.IsNullOrEmpty(query.EntityName))
            {
                throw DataverseFaults.InvalidArgument("The query names no table (QueryExpression.EntityName is empty).");
            }
            var page = query.PageInfo ?? new PagingInfo();
            if (query.TopCount.HasValue && page.Count > 0)
            {
                throw DataverseFaults.InvalidArgument("A query cannot set both TopCount and PageInfo.Count.");
            }
            if (query.TopCount is < 0 or > MaxPageSize || page.Count is < 0 or > MaxPageSize)
            {
                throw DataverseFaults.InvalidArgument($"TopCount and PageInfo.Count must be between 0 and {MaxPageSize}.");
            }

            var scope = new QueryScope(query)
            {
                Now = _clock.GetUtcNow().UtcDateTime,
                CallerId = callerId,
                CallerBusinessUnit = _principals.BusinessUnitOf(callerId),
                CallerTeams = _principals.TeamsOf(callerId),
                AncestorsOf = Ancestors,
            };
            RequireKnownNames(query, scope);
            _access.DemandRead(callerId, query.EntityName);
            foreach (var link in scope.Links)
            {
                _access.DemandRead(callerId, link.LinkToEntityName);
            }
            var seen = new SeenBy(_access, callerId);
            var rows = Candidates(query).Where(row => _access.CanRead(callerId, row)).Select(row => new JoinedRow(seen.Row(row)));
            foreach (var link in query.LinkEntities)
            {
                rows = Join(rows, link, null, scope, seen);
            }
            var matching = rows.Where(row => ConditionEvaluator.Matches(query.Criteria, row, null, scope)).ToList();
            var ordered = Order(matching, query, scope);
            var projected = ordered.Select(row => _access.Mask(callerId, Project(row, query, scope))).ToList();
            if (query.Distinct)
            {
                projected = projected.GroupBy(Signature).Select(group => group.First()).ToList();
            }
            return projected;
        }

        /// <summary>
        /// The rows worth testing: where the query asks for one text value of a single-column alternate key (a receipt by
        /// message id, a verification by session id), the key's index gives the one row that can match; otherwise the table.
        /// The full criteria are still applied to what comes back.
        /// </summary>
        private IEnumerable<Entity> Candidates(QueryExpression query)
        {
            if (query.LinkEntities.Count == 0 && query.Criteria.FilterOperator == LogicalOperator.And)
            {
                foreach (var condition in query.Criteria.Conditions)
                {
                    if (condition.Operator == ConditionOperator.Equal && condition.EntityName is null && condition.Values.Count == 1 && condition.Values[0] is string value
                        && _guard.Metadata?.Table(query.EntityName)?.Column(condition.AttributeName)?.Type == ColumnType.String
                        && _store.KeysOf(query.EntityName).FirstOrDefault(key => key.Columns.Count == 1 && key.Columns[0] == condition.AttributeName) is { } key)
                    {
                        var row = _store.FindByKey(query.EntityName, key, new KeyAttributeCollection { { condition.AttributeName, value } });
                        return row is null ? Enumerable.Empty<Entity>() : new[] { row };
                    }
                }
            }
            return _store.Rows(query.EntityName);
        }

        /// <remarks>
        /// The link types as Microsoft's "Join tables" and "Filter rows" pages give them: Inner and LeftOuter join;
        /// MatchFirstRowUsingCrossApply joins the first matching row only; Exists, In, Any and NotAll keep a row that has a
        /// matching linked row and NotAny one that has none, each once and without the link's columns; All keeps a row that
        /// has linked rows of which none meets the link's criteria.
        /// </remarks>
        private IEnumerable<JoinedRow> Join(IEnumerable<JoinedRow> rows, LinkEntity link, string? parentAlias, QueryScope scope, SeenBy seen)
        {
            var filtering = link.JoinOperator is JoinOperator.Exists or JoinOperator.In or JoinOperator.Any or JoinOperator.NotAny or JoinOperator.All or JoinOperator.NotAll;
            if (link.JoinOperator == JoinOperator.Natural || (filtering && link.LinkEntities.Count > 0))
            {
                throw new NotSupportedException($"The in-memory Dataverse does not support the join operator {link.JoinOperator} (link to {link.LinkToEntityName}){(filtering ? " with links inside it" : "")}.");
            }
            var alias = scope.AliasOf(link);
            var candidates = _store.Rows(link.LinkToEntityName).Select(seen.Row).ToList();
            var joined = rows.SelectMany(row =>
            {
                var from = row.RowFor(parentAlias);
                var key = from is not null && from.Attributes.TryGetValue(link.LinkFromAttributeName, out var value) ? value : null;
                var related = key is null
                    ? new List<JoinedRow>()
                    : candidates
                        .Where(candidate => candidate.Attributes.TryGetValue(link.LinkToAttributeName, out var target) && ValueSemantics.AreEqual(key, target))
                        .Select(candidate => row.With(alias, candidate))
                        .ToList();
                var matches = related.Where(candidate => ConditionEvaluator.Matches(link.LinkCriteria, candidate, alias, scope)).ToList();
                return link.JoinOperator switch
                {
                    JoinOperator.LeftOuter when matches.Count == 0 => new[] { row.With(alias, null) },
                    JoinOperator.MatchFirstRowUsingCrossApply => matches.Take(1),
                    JoinOperator.Exists or JoinOperator.In or JoinOperator.Any or JoinOperator.NotAll => matches.Count > 0 ? new[] { row.With(alias, null) } : Array.Empty<JoinedRow>(),
                    JoinOperator.NotAny => matches.Count == 0 ? new[] { row.With(alias, null) } : Array.Empty<JoinedRow>(),
                    JoinOperator.All => related.Count > 0 && matches.Count == 0 ? new[] { row.With(alias, null) } : Array.Empty<JoinedRow>(),
                    _ => (IEnumerable<JoinedRow>)matches,
                };
            });
            foreach (var child in link.LinkEntities)
            {
                joined = Join(joined, child, alias, scope, seen);
            }
            return joined;
        }

        private IEnumerable<JoinedRow> Order(List<JoinedRow> rows, QueryExpression query, QueryScope scope)
        {
            var orders = query.Orders.Select(order => (order, alias: order.EntityName is null ? null : scope.ResolveAlias(order.EntityName), table: TableOf(order.EntityName, query.EntityName, scope)))
                .Concat(scope.Links.SelectMany(link => link.Orders.Select(order => (order, alias: (string?)scope.AliasOf(link), table: link.LinkToEntityName))))
                .ToList();
            IOrderedEnumerable<JoinedRow>? sorted = null;
            foreach (var (order, alias, table) in orders)
            {
                // A lookup sorts by the primary name of the row it points to and a choice by its label, not by id or number
                // (learn.microsoft.com/power-apps/developer/data-platform/fetchxml/order-rows).
                var labels = _guard.Metadata?.Table(table)?.Column(order.AttributeName)?.OptionLabels;
                object? KeyOf(JoinedRow row) => row.RowFor(alias) is { } target && target.Attributes.TryGetValue(order.AttributeName, out var value)
                    ? value switch
                    {
                        EntityReference reference => OrderKeyOf(reference),
                        OptionSetValue option when labels is { Count: > 0 } => labels.TryGetValue(option.Value, out var label) ? label : "",
                        _ => value,
                    }
                    : null;
                sorted = ValueSemantics.ThenOrder(sorted, rows, KeyOf, order.OrderType != OrderType.Ascending);
            }
            return sorted ?? (IEnumerable<JoinedRow>)rows;
        }

        /// <summary>
        /// Rows as the caller may see them while the query tests its conditions: a field-secured column the caller may not read
        /// is absent (read as null), so a filter on it tells nothing of its value — no one can search out a capture link they
        /// are not allowed to read. The stored row itself is used where nothing is hidden.
        /// </summary>
        private sealed class SeenBy(AccessGuard access, Guid callerId)
        {
            private readonly Dictionary<string, IReadOnlyCollection<string>> _hidden = new(StringComparer.Ordinal);

            public Entity Row(Entity row)
            {
                if (!_hidden.TryGetValue(row.LogicalName, out var hidden))
                {
                    _hidden[row.LogicalName] = hidden = access.HiddenColumns(callerId, row.LogicalName);
                }
                if (!hidden.Any(row.Attributes.ContainsKey))
                {
                    return row;
                }
                var copy = EntityCopy.Of(row);
                foreach (var column in hidden)
                {
                    copy.Attributes.Remove(column);
                }
                return copy;
            }
        }

        /// <summary>
        /// The rows above one in its table's hierarchy (parent first), following the lookup of the table's hierarchical
        /// relationship, as the hierarchy operators read it; a loop in the data ends the walk.
        /// </summary>
        /// <exception cref="System.ServiceModel.FaultException{OrganizationServiceFault}">The table has no hierarchical relationship.</exception>
        private IReadOnlyList<Guid> Ancestors(string table, Guid id)
        {
            var column = _guard.Metadata?.Table(table)?.HierarchyColumn
                ?? throw DataverseFaults.InvalidArgument($"The hierarchy operators need a hierarchical relationship, and {table} has none.");
            var ancestors = new List<Guid>();
            for (var current = _store.Find(table, id)?.GetAttributeValue<EntityReference>(column); current is not null && !ancestors.Contains(current.Id) && current.Id != id;
                current = _store.Find(table, current.Id)?.GetAttributeValue<EntityReference>(column))
            {
                ancestors.Add(current.Id);
            }
            return ancestors;
        }

        /// <summary>Every table and column a query names must exist, as Dataverse checks before it runs anything.</summary>
        private void RequireKnownNames(QueryExpression query, QueryScope scope)
        {
            _guard.Table(query.EntityName);
            RequireColumns(query.EntityName, query.ColumnSet);
            RequireFilter(query.Criteria, query.EntityName, scope);
            foreach (var order in query.Orders)
            {
                _guard.RequireColumns(TableOf(order.EntityName, query.EntityName, scope), new[] { order.AttributeName });
            }
            foreach (var link in scope.Links)
            {
                _guard.Table(link.LinkToEntityName);
                _guard.RequireColumns(link.LinkToEntityName, new[] { link.LinkToAttributeName });
                _guard.RequireColumns(scope.FromTableOf(link), new[] { link.LinkFromAttributeName });
                RequireColumns(link.LinkToEntityName, link.Columns);
                RequireFilter(link.LinkCriteria, link.LinkToEntityName, scope);
                foreach (var order in link.Orders)
                {
                    _guard.RequireColumns(link.LinkToEntityName, new[] { order.AttributeName });
                }
            }
        }

        public void RequireColumns(string table, ColumnSet? columns)
        {
            _guard.Table(table);
            if (columns is { AllColumns: false })
            {
                _guard.RequireColumns(table, columns.Columns);
            }
        }

        private void RequireFilter(FilterExpression? filter, string table, QueryScope scope)
        {
            if (filter is null)
            {
                return;
            }
            foreach (var condition in filter.Conditions)
            {
                var columns = condition.CompareColumns && condition.Values.Count == 1 && condition.Values[0] is string other
                    ? new[] { condition.AttributeName, other }
                    : new[] { condition.AttributeName };
                _guard.RequireColumns(TableOf(condition.EntityName, table, scope), columns);
            }
            foreach (var child in filter.Filters)
            {
                RequireFilter(child, table, scope);
            }
        }

        private static string TableOf(string? entityName, string table, QueryScope scope) =>
            entityName is null ? table : scope.TableOf(scope.ResolveAlias(entityName)) ?? table;

        private Entity Project(JoinedRow row, QueryExpression query, QueryScope scope)
        {
            var result = Columns(row.Main, query.ColumnSet);
            foreach (var link in scope.Links)
            {
                var alias = scope.AliasOf(link);
                if (row.RowFor(alias) is not { } linked)
                {
                    continue;
                }
                // A linked table gives only the columns asked for: its primary key is not added, as it is for the main table.
                var columns = Columns(linked, link.Columns, withPrimaryKey: false);
                foreach (var column in columns.Attributes)
                {
                    result.Attributes[alias + "." + column.Key] = new AliasedValue(linked.LogicalName, column.Key, column.Value);
                }
                foreach (var formatted in columns.FormattedValues)
                {
                    result.FormattedValues[alias + "." + formatted.Key] = formatted.Value;
                }
            }
            return result;
        }

        /// <summary>The row with the columns a column set asks for; the primary key comes back too unless <paramref name="withPrimaryKey"/> is false.</summary>
        public Entity Columns(Entity row, ColumnSet? columns, bool withPrimaryKey = true)
        {
            var copy = EntityCopy.Of(row);
            copy.KeyAttributes.Clear();
            if (columns is { AllColumns: true })
            {
                return Presented(copy);
            }
            var wanted = new HashSet<string>(columns?.Columns ?? Enumerable.Empty<string>(), StringComparer.Ordinal);
            if (withPrimaryKey)
            {
                wanted.Add(_guard.PrimaryIdOf(row.LogicalName));
            }
            foreach (var name in copy.Attributes.Keys.Where(name => !wanted.Contains(name)).ToList())
            {
                copy.Attributes.Remove(name);
            }
            return Presented(copy);
        }

        /// <summary>
        /// The row as Dataverse hands it out: each lookup carries the primary name of the row it points to, and the formatted
        /// values hold what a user sees — each lookup's name, each choice's label, money with its currency ("$20,000.00"),
        /// dates and times ("4/7/2023 2:59 PM"; a date-only column "2/13/2018"), numbers with group separators and the column's precision, Yes or No — in
        /// <see cref="InMemoryDataverseOptions.FormattingCulture"/>, times in UTC, as "Formatted values" in the Web API guide
        /// shows them (learn.microsoft.com/power-apps/developer/data-platform/webapi/query-data-web-api#formatted-values).
        /// </summary>
        private Entity Presented(Entity row)
        {
            var table = _guard.Metadata?.Table(row.LogicalName);
            foreach (var (name, value) in row.Attributes.ToList())
            {
                var column = table?.Column(name);
                switch (value)
                {
                    case EntityReference reference when (reference.Name ?? NameOf(reference)) is { } primaryName:
                        row.Attributes[name] = new EntityReference(reference.LogicalName, reference.Id) { Name = primaryName };
                        row.FormattedValues[name] = primaryName;
                        break;
                    case OptionSetValue option when column?.OptionLabels is { } labels && labels.TryGetValue(option.Value, out var label):
                        row.FormattedValues[name] = label;
                        break;
                    case OptionSetValueCollection options when column?.OptionLabels is { } labels:
                        row.FormattedValues[name] = string.Join("; ", options.Select(option => labels.TryGetValue(option.Value, out var each) ? each : option.Value.ToString(_culture)));
                        break;
                    case Money money:
                        row.FormattedValues[name] = money.Value.ToString("C" + (column?.Precision ?? 2).ToString(CultureInfo.InvariantCulture), _culture);
                        break;
                    case DateTime time:
                        // ICU writes a narrow no-break space before AM/PM; Dataverse's formatted values have a plain one.
                        row.FormattedValues[name] = (time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : time).ToString(column?.IsDateOnly == true ? "d" : "g", _culture).Replace('\u202F', ' ');
                        break;
                    case int or long when column?.Type is ColumnType.Integer or ColumnType.BigInt:
                        row.FormattedValues[name] = ((IFormattable)value).ToString("N0", _culture);
                        break;
                    case decimal or double when column?.Type is ColumnType.Decimal or ColumnType.Double:
                        row.FormattedValues[name] = ((IFormattable)value).ToString("N" + (column.Precision ?? 2).ToString(CultureInfo.InvariantCulture), _culture);
                        break;
                    case bool flag when column?.Type is ColumnType.Boolean:
                        row.FormattedValues[name] = flag ? "Yes" : "No";
                        break;
                }
            }
            return row;
        }

        /// <summary>What a lookup sorts by: the primary name of its row (empty when it has none), or its id when the table declares no primary name.</summary>
        private object OrderKeyOf(EntityReference reference) =>
            _guard.Metadata?.Table(reference.LogicalName)?.PrimaryNameAttribute is null ? reference.Id : NameOf(reference) ?? "";

        /// <summary>The primary name of the row a lookup points to; null when its table declares none or the row is gone.</summary>
        private string? NameOf(EntityReference reference) =>
            _guard.Metadata?.Table(reference.LogicalName)?.PrimaryNameAttribute is { } column && _store.Find(reference.LogicalName, reference.Id) is { } target
                ? target.GetAttributeValue<string>(column)
                : null;

        private string Signature(Entity row) =>
            string.Join("|", row.Attributes.Where(pair => pair.Key != _guard.PrimaryIdOf(row.LogicalName)).OrderBy(pair => pair.Key, StringComparer.Ordinal)
                .Select(pair => pair.Key + "=" + ValueSemantics.KeyText(pair.Value)));

        /// <remarks>
        /// Paging as "Page results using FetchXml" and "Page results using QueryExpression" describe it: a page that has more
        /// after it carries a paging cookie naming its first and last rows; a request for the next page that hands that
        /// cookie back continues after the last row even when rows were added before it since, where the page number alone
        /// would repeat one. A cookie that names no row of the result (the row is gone) falls back to the page number.
        /// </remarks>
        private EntityCollection Page(List<Entity> rows, QueryExpression query, PagingInfo page)
        {
            int skip = 0, take;
            bool more;
            var pageNumber = Math.Max(page.PageNumber, 1);
            if (query.TopCount.HasValue)
            {
                take = query.TopCount.Value;
                more = false;
            }
            else
            {
                // Without a Count the page size is 5,000, and PageNumber still counts pages of it.
                take = page.Count > 0 ? page.Count : MaxPageSize;
                skip = AfterCookie(rows, page) ?? (pageNumber - 1) * take;
                more = rows.Count > skip + take;
            }
            var taken = rows.Skip(skip).Take(take).ToList();
            var result = new EntityCollection(taken)
            {
                EntityName = query.EntityName,
                MoreRecords = more,
                TotalRecordCount = page.ReturnTotalRecordCount ? Math.Min(rows.Count, MaxPageSize) : -1,
                TotalRecordCountLimitExceeded = page.ReturnTotalRecordCount && rows.Count > MaxPageSize,
            };
            if (more)
            {
                result.PagingCookie = taken.Count > 0 && taken[0].Id != Guid.Empty
                    ? new XElement("cookie", new XAttribute("page", pageNumber), new XElement(
                        _guard.PrimaryIdOf(query.EntityName),
                        new XAttribute("last", taken[^1].Id.ToString("B").ToUpperInvariant()),
                        new XAttribute("first", taken[0].Id.ToString("B").ToUpperInvariant()))).ToString(SaveOptions.DisableFormatting)
                    : new XElement("cookie", new XAttribute("page", pageNumber)).ToString(SaveOptions.DisableFormatting);
            }
            return result;
        }

        /// <summary>Where the page after the one a cookie describes starts; null without a usable cookie.</summary>
        private static int? AfterCookie(List<Entity> rows, PagingInfo page)
        {
            if (string.IsNullOrEmpty(page.PagingCookie) || page.PageNumber <= 1)
            {
                return null;
            }
            XElement cookie;
            try
            {
                cookie = XElement.Parse(page.PagingCookie);
            }
            catch (System.Xml.XmlException)
            {
                throw DataverseFaults.InvalidArgument("The paging cookie is not one a previous page returned: pass EntityCollection.PagingCookie back as it came.");
            }
            if ((int?)cookie.Attribute("page") != page.PageNumber - 1
                || cookie.Elements().Select(element => (string?)element.Attribute("last")).FirstOrDefault() is not { } last
                || !Guid.TryParse(last, out var lastId))
            {
                return null;
            }
            var index = rows.FindIndex(row => row.Id == lastId);
            return index < 0 ? null : index + 1;
        }
    }
}
