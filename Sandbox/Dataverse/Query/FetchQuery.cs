using System.Collections.Generic;
using Microsoft.Xrm.Sdk.Query;

namespace OneKosmos.Sandbox.Dataverse.Query
{
    /// <summary>
    /// FetchXML read for the engine: the query model every query form shares, and what only FetchXML says — columns returned
    /// under an alias, and an aggregate query's groups and functions.
    /// </summary>
    internal sealed class FetchQuery
    {
        public FetchQuery(QueryExpression query)
        {
            Query = query;
        }

        public QueryExpression Query { get; }

        /// <value>Columns asked for under an alias: each comes back as an AliasedValue keyed by the alias alone.</value>
        public List<FetchColumn> AliasedColumns { get; } = new();

        /// <value>Set for <c>&lt;fetch aggregate="true"&gt;</c>.</value>
        public FetchAggregation? Aggregation { get; set; }
    }

    /// <summary>
    /// A column of the fetch's table (Link null) or of a link-entity, and the alias it comes back under. A link is named in
    /// the joined rows as the query's scope names it (its alias, or one the scope gives it).
    /// </summary>
    internal sealed record FetchColumn(string Alias, LinkEntity? Link, string Table, string Column)
    {
        /// <summary>Where the column stands in a row the engine returns: its name, or {link alias}.{name} for a linked table's.</summary>
        public string KeyIn(QueryScope scope) => Link is null ? Column : scope.AliasOf(Link) + "." + Column;
    }

    /// <summary>An aggregate query's parts, as "Aggregate data using FetchXml" gives them (learn.microsoft.com/power-apps/developer/data-platform/fetchxml/aggregate-data).</summary>
    internal sealed class FetchAggregation
    {
        /// <value>The default and highest number of rows an aggregate query may take in (AggregateQueryRecordLimit).</value>
        public const int MaxRecords = 50_000;

        public List<AggregateColumn> Aggregates { get; } = new();

        public List<GroupColumn> Groups { get; } = new();

        /// <value>Orders of the result, by the alias of a group or an aggregate.</value>
        public List<(string Alias, bool Descending)> Orders { get; } = new();

        /// <value>The fetch's aggregatelimit: a lower limit than <see cref="MaxRecords"/>.</value>
        public int Limit { get; set; } = MaxRecords;
    }

    internal enum AggregateFunction
    {
        Count,
        CountColumn,
        Sum,
        Avg,
        Min,
        Max,
    }

    internal sealed record AggregateColumn(FetchColumn Source, AggregateFunction Function, bool Distinct);

    /// <summary>A groupby column; DateGrouping (year, quarter, month, week or day) groups a date by that part, null by the whole value.</summary>
    internal sealed record GroupColumn(FetchColumn Source, string? DateGrouping);
}
