using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.Xrm.Sdk;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Dataverse.Query
{
    /// <summary>
    /// What FetchXML's aliases and aggregates do to a query's rows, as "Aggregate data using FetchXml" describes them
    /// (learn.microsoft.com/power-apps/developer/data-platform/fetchxml/aggregate-data): nulls take no part; count counts
    /// rows and countcolumn values (distinct ones when asked); sum and avg keep the column's type (an average of whole
    /// numbers is a whole number: the page's 35,200 employees over 9 accounts average 3,911); groups include the one
    /// without a value; a date groups by its year, quarter, month, week (of the year, weeks from Sunday) or day (of the
    /// month), in UTC, as the in-memory Dataverse keeps no user settings.
    /// </summary>
    internal static class Aggregates
    {
        /// <summary>Moves each aliased column of a returned row under its alias, as an AliasedValue.</summary>
        public static void Realias(Entity row, IReadOnlyList<FetchColumn> aliased, string primaryKey, QueryScope scope)
        {
            foreach (var column in aliased)
            {
                var key = column.KeyIn(scope);
                if (!row.Attributes.TryGetValue(key, out var value))
                {
                    continue;
                }
                row.Attributes[column.Alias] = new AliasedValue(column.Table, column.Column, value is AliasedValue linked ? linked.Value : value);
                if (row.FormattedValues.TryGetValue(key, out var formatted))
                {
                    row.FormattedValues[column.Alias] = formatted;
                }
                if (key != primaryKey && key != column.Alias)
                {
                    row.Attributes.Remove(key);
                    row.FormattedValues.Remove(key);
                }
            }
        }

        public static List<Entity> Compute(IReadOnlyList<Entity> rows, FetchAggregation aggregation, string table, SolutionMetadata? metadata, QueryScope scope)
        {
            var groups = aggregation.Groups.Count == 0
                ? new List<IGrouping<string, Entity>> { new Group(rows) }
                : rows.GroupBy(row => string.Join("|", aggregation.Groups.Select(group => ValueSemantics.KeyText(GroupValue(row, group, scope)))), StringComparer.Ordinal).ToList();
            var results = groups.Select(members =>
            {
                var result = new Entity(table);
                foreach (var group in aggregation.Groups)
                {
                    Put(result, group.Source, GroupValue(members.First(), group, scope));
                }
                foreach (var aggregate in aggregation.Aggregates)
                {
                    Put(result, aggregate.Source, Value(members.ToList(), aggregate, scope, metadata?.Table(aggregate.Source.Table)?.Column(aggregate.Source.Column)));
                }
                return result;
            }).ToList();
            IOrderedEnumerable<Entity>? sorted = null;
            foreach (var (alias, descending) in aggregation.Orders)
            {
                if (!aggregation.Groups.Any(group => group.Source.Alias == alias) && !aggregation.Aggregates.Any(aggregate => aggregate.Source.Alias == alias))
                {
                    throw DataverseFaults.InvalidArgument($"The order names the alias {alias}, which no group or aggregate of the query has.");
                }
                object? KeyOf(Entity row) => row.Attributes.TryGetValue(alias, out var value) && value is AliasedValue aliased ? OrderKey(aliased.Value) : null;
                sorted = ValueSemantics.ThenOrder(sorted, results, KeyOf, descending);
            }
            return sorted?.ToList() ?? results;
        }

        private static object? OrderKey(object? value) => value switch
        {
            EntityReference reference => reference.Name ?? (object)reference.Id,
            _ => value,
        };

        /// <remarks>A null result is left out of the row, as Dataverse leaves out empty columns.</remarks>
        private static void Put(Entity result, FetchColumn source, object? value)
        {
            if (value is not null)
            {
                result.Attributes[source.Alias] = new AliasedValue(source.Table, source.Column, value);
            }
        }

        private static object? ColumnValue(Entity row, FetchColumn source, QueryScope scope)
        {
            var key = source.KeyIn(scope);
            return row.Attributes.TryGetValue(key, out var value) ? value is AliasedValue linked ? linked.Value : value : null;
        }

        private static object? GroupValue(Entity row, GroupColumn group, QueryScope scope)
        {
            var value = ColumnValue(row, group.Source, scope);
            if (group.DateGrouping is null || value is null)
            {
                return value;
            }
            if (value is not DateTime date)
            {
                throw DataverseFaults.InvalidArgument($"dategrouping applies to a date column; {group.Source.Column} holds a {value.GetType().Name}.");
            }
            var utc = date.Kind == DateTimeKind.Local ? date.ToUniversalTime() : date;
            return group.DateGrouping switch
            {
                "year" => utc.Year,
                "quarter" => (utc.Month + 2) / 3,
                "month" => utc.Month,
                // SQL's week of the year: week 1 holds January 1st, and weeks start on Sunday.
                "week" => ((utc.DayOfYear - 1 + (int)new DateTime(utc.Year, 1, 1).DayOfWeek) / 7) + 1,
                _ => utc.Day,
            };
        }

        private static object? Value(List<Entity> rows, AggregateColumn aggregate, QueryScope scope, ColumnMetadata? column)
        {
            if (aggregate.Function == AggregateFunction.Count)
            {
                return rows.Count;
            }
            var values = rows.Select(row => ColumnValue(row, aggregate.Source, scope)).Where(value => value is not null).Select(value => value!).ToList();
            return aggregate.Function switch
            {
                AggregateFunction.CountColumn => aggregate.Distinct ? values.Select(ValueSemantics.KeyText).Distinct(StringComparer.Ordinal).Count() : values.Count,
                AggregateFunction.Min => values.Count == 0 ? null : values.Min(Comparer<object>.Create((a, b) => ValueSemantics.Compare(a, b))),
                AggregateFunction.Max => values.Count == 0 ? null : values.Max(Comparer<object>.Create((a, b) => ValueSemantics.Compare(a, b))),
                AggregateFunction.Sum => Typed(values.Sum(Number), values.FirstOrDefault(), column),
                _ => values.Count == 0 ? null : Typed(values.Sum(Number) / values.Count, values[0], column),
            };
        }

        private static decimal Number(object value) => value switch
        {
            Money money => money.Value,
            int or long or decimal or double => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
            _ => throw DataverseFaults.InvalidArgument($"sum and avg take a number column; a {value.GetType().Name} is not one."),
        };

        /// <summary>A total or an average in the type of the column it came from: whole numbers truncated, money as Money.</summary>
        private static object Typed(decimal number, object? sample, ColumnMetadata? column) =>
            (sample, column?.Type) switch
            {
                (Money, _) or (null, ColumnType.Money) => new Money(number),
                (int, _) or (null, ColumnType.Integer) => (int)decimal.Truncate(number),
                (long, _) or (null, ColumnType.BigInt) => (long)decimal.Truncate(number),
                (double, _) or (null, ColumnType.Double) => (double)number,
                (decimal, _) or (null, ColumnType.Decimal) => number,
                _ => (int)decimal.Truncate(number),
            };

        /// <summary>All the rows as one group: an aggregate without groupby gives one row, even over no rows.</summary>
        private sealed class Group(IEnumerable<Entity> rows) : IGrouping<string, Entity>
        {
            public string Key => "";

            public IEnumerator<Entity> GetEnumerator() => rows.GetEnumerator();

            System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        }
    }
}
