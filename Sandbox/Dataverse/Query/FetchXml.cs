using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Xml;
using System.Xml.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Sandbox.Dataverse.Metadata;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Dataverse.Query
{
    /// <summary>
    /// FetchXML read into the query model, so it runs through the same engine as a QueryExpression: fetch (top, count,
    /// page, paging-cookie, distinct, returntotalrecordcount), entity and link-entity (from, to, alias, link-type),
    /// attribute (with alias, aggregate, groupby) and all-attributes, order, filter and condition (value, value elements, valueof) as Microsoft's FetchXML
    /// reference and its schema (Fetch.xsd) give them. A condition's text values take the type of their column.
    /// </summary>
    /// <remarks>
    /// Aggregates (count, countcolumn with distinct, sum, avg, min, max; groupby with year, quarter, month, week and day date
    /// grouping; order by alias; aggregatelimit) and attribute aliases are read into <see cref="FetchQuery"/>; fiscal date
    /// grouping and rowaggregate are refused by name.
    /// </remarks>
    internal static class FetchXml
    {
        private static readonly Dictionary<string, ConditionOperator> Operators = new(StringComparer.Ordinal)
        {
            ["eq"] = ConditionOperator.Equal, ["neq"] = ConditionOperator.NotEqual, ["ne"] = ConditionOperator.NotEqual,
            ["gt"] = ConditionOperator.GreaterThan, ["ge"] = ConditionOperator.GreaterEqual, ["lt"] = ConditionOperator.LessThan, ["le"] = ConditionOperator.LessEqual,
            ["like"] = ConditionOperator.Like, ["not-like"] = ConditionOperator.NotLike, ["in"] = ConditionOperator.In, ["not-in"] = ConditionOperator.NotIn,
            ["between"] = ConditionOperator.Between, ["not-between"] = ConditionOperator.NotBetween, ["null"] = ConditionOperator.Null, ["not-null"] = ConditionOperator.NotNull,
            ["yesterday"] = ConditionOperator.Yesterday, ["today"] = ConditionOperator.Today, ["tomorrow"] = ConditionOperator.Tomorrow,
            ["last-seven-days"] = ConditionOperator.Last7Days, ["next-seven-days"] = ConditionOperator.Next7Days,
            ["last-week"] = ConditionOperator.LastWeek, ["this-week"] = ConditionOperator.ThisWeek, ["next-week"] = ConditionOperator.NextWeek,
            ["last-month"] = ConditionOperator.LastMonth, ["this-month"] = ConditionOperator.ThisMonth, ["next-month"] = ConditionOperator.NextMonth,
            ["on"] = ConditionOperator.On, ["on-or-before"] = ConditionOperator.OnOrBefore, ["on-or-after"] = ConditionOperator.OnOrAfter,
            ["last-year"] = ConditionOperator.LastYear, ["this-year"] = ConditionOperator.ThisYear, ["next-year"] = ConditionOperator.NextYear,
            ["last-x-hours"] = ConditionOperator.LastXHours, ["next-x-hours"] = ConditionOperator.NextXHours,
            ["last-x-days"] = ConditionOperator.LastXDays, ["next-x-days"] = ConditionOperator.NextXDays,
            ["last-x-weeks"] = ConditionOperator.LastXWeeks, ["next-x-weeks"] = ConditionOperator.NextXWeeks,
            ["last-x-months"] = ConditionOperator.LastXMonths, ["next-x-months"] = ConditionOperator.NextXMonths,
            ["last-x-years"] = ConditionOperator.LastXYears, ["next-x-years"] = ConditionOperator.NextXYears,
            ["olderthan-x-minutes"] = ConditionOperator.OlderThanXMinutes, ["olderthan-x-hours"] = ConditionOperator.OlderThanXHours,
            ["olderthan-x-days"] = ConditionOperator.OlderThanXDays, ["olderthan-x-weeks"] = ConditionOperator.OlderThanXWeeks,
            ["olderthan-x-months"] = ConditionOperator.OlderThanXMonths, ["olderthan-x-years"] = ConditionOperator.OlderThanXYears,
            ["eq-userid"] = ConditionOperator.EqualUserId, ["ne-userid"] = ConditionOperator.NotEqualUserId,
            ["eq-userteams"] = ConditionOperator.EqualUserTeams, ["eq-useroruserteams"] = ConditionOperator.EqualUserOrUserTeams,
            ["eq-useroruserhierarchy"] = ConditionOperator.EqualUserOrUserHierarchy, ["eq-useroruserhierarchyandteams"] = ConditionOperator.EqualUserOrUserHierarchyAndTeams,
            ["eq-businessid"] = ConditionOperator.EqualBusinessId, ["ne-businessid"] = ConditionOperator.NotEqualBusinessId,
            ["eq-userlanguage"] = ConditionOperator.EqualUserLanguage,
            ["this-fiscal-year"] = ConditionOperator.ThisFiscalYear, ["this-fiscal-period"] = ConditionOperator.ThisFiscalPeriod,
            ["next-fiscal-year"] = ConditionOperator.NextFiscalYear, ["next-fiscal-period"] = ConditionOperator.NextFiscalPeriod,
            ["last-fiscal-year"] = ConditionOperator.LastFiscalYear, ["last-fiscal-period"] = ConditionOperator.LastFiscalPeriod,
            ["last-x-fiscal-years"] = ConditionOperator.LastXFiscalYears, ["last-x-fiscal-periods"] = ConditionOperator.LastXFiscalPeriods,
            ["next-x-fiscal-years"] = ConditionOperator.NextXFiscalYears, ["next-x-fiscal-periods"] = ConditionOperator.NextXFiscalPeriods,
            ["in-fiscal-year"] = ConditionOperator.InFiscalYear, ["in-fiscal-period"] = ConditionOperator.InFiscalPeriod,
            ["in-fiscal-period-and-year"] = ConditionOperator.InFiscalPeriodAndYear,
            ["in-or-before-fiscal-period-and-year"] = ConditionOperator.InOrBeforeFiscalPeriodAndYear,
            ["in-or-after-fiscal-period-and-year"] = ConditionOperator.InOrAfterFiscalPeriodAndYear,
            ["begins-with"] = ConditionOperator.BeginsWith, ["not-begin-with"] = ConditionOperator.DoesNotBeginWith,
            ["ends-with"] = ConditionOperator.EndsWith, ["not-end-with"] = ConditionOperator.DoesNotEndWith,
            ["under"] = ConditionOperator.Under, ["eq-or-under"] = ConditionOperator.UnderOrEqual, ["not-under"] = ConditionOperator.NotUnder,
            ["above"] = ConditionOperator.Above, ["eq-or-above"] = ConditionOperator.AboveOrEqual,
            ["contain-values"] = ConditionOperator.ContainValues, ["not-contain-values"] = ConditionOperator.DoesNotContainValues,
        };

        private static readonly Dictionary<string, JoinOperator> LinkTypes = new(StringComparer.Ordinal)
        {
            ["inner"] = JoinOperator.Inner, ["outer"] = JoinOperator.LeftOuter, ["any"] = JoinOperator.Any, ["not any"] = JoinOperator.NotAny,
            ["all"] = JoinOperator.All, ["not all"] = JoinOperator.NotAll, ["exists"] = JoinOperator.Exists, ["in"] = JoinOperator.In,
            ["matchfirstrowusingcrossapply"] = JoinOperator.MatchFirstRowUsingCrossApply,
        };

        private static readonly Dictionary<string, AggregateFunction> Functions = new(StringComparer.Ordinal)
        {
            ["count"] = AggregateFunction.Count, ["countcolumn"] = AggregateFunction.CountColumn, ["sum"] = AggregateFunction.Sum,
            ["avg"] = AggregateFunction.Avg, ["min"] = AggregateFunction.Min, ["max"] = AggregateFunction.Max,
        };

        private static readonly HashSet<string> DateGroupings = new(StringComparer.Ordinal) { "year", "quarter", "month", "week", "day" };

        /// <exception cref="System.ServiceModel.FaultException{T}">The text is not FetchXML the platform would run (InvalidArgument, with why).</exception>
        public static FetchQuery Parse(string fetchXml, MetadataGuard metadata)
        {
            XElement fetch;
            try
            {
                fetch = XElement.Parse(fetchXml);
            }
            catch (XmlException exception)
            {
                throw DataverseFaults.InvalidArgument($"The FetchXML is not well-formed XML: {exception.Message}");
            }
            if (fetch.Name.LocalName != "fetch" || fetch.Element("entity") is not { } entity)
            {
                throw DataverseFaults.InvalidArgument("FetchXML starts with <fetch> holding one <entity>.");
            }
            var query = new QueryExpression(Required(entity, "name"))
            {
                ColumnSet = new ColumnSet(false),
                Distinct = Flag(fetch, "distinct"),
                NoLock = Flag(fetch, "no-lock"),
                TopCount = Number(fetch, "top"),
            };
            if (Number(fetch, "count") is { } count)
            {
                query.PageInfo.Count = count;
            }
            query.PageInfo.PageNumber = Number(fetch, "page") ?? 1;
            query.PageInfo.PagingCookie = (string?)fetch.Attribute("paging-cookie");
            query.PageInfo.ReturnTotalRecordCount = Flag(fetch, "returntotalrecordcount");
            var result = new FetchQuery(query);
            if (Flag(fetch, "aggregate"))
            {
                result.Aggregation = new FetchAggregation();
                if (Number(fetch, "aggregatelimit") is { } limit)
                {
                    result.Aggregation.Limit = limit is > 0 and <= FetchAggregation.MaxRecords
                        ? limit
                        : throw DataverseFaults.InvalidArgument($"aggregatelimit is {limit}: it takes 1 to {FetchAggregation.MaxRecords}.");
                }
            }
            new Reader(result, metadata).Table(entity, query.EntityName, null, query.ColumnSet, query.Orders, query.Criteria, query.LinkEntities);
            if (result.Aggregation is { Aggregates.Count: 0, Groups.Count: 0 })
            {
                throw DataverseFaults.InvalidArgument("An aggregate FetchXML query needs at least one <attribute> with aggregate or groupby.");
            }
            return result;
        }

        /// <summary>Reads one fetch's tables, links and filters, with the state the links share (their aliases).</summary>
        private sealed class Reader(FetchQuery result, MetadataGuard metadata)
        {
            public void Table(XElement element, string table, LinkEntity? link, ColumnSet columns, DataCollection<OrderExpression> orders, FilterExpression criteria,
                DataCollection<LinkEntity> links)
            {
                foreach (var child in element.Elements())
                {
                    switch (child.Name.LocalName)
                    {
                        case "attribute" when child.Attribute("rowaggregate") is not null:
                            throw new NotSupportedException("The in-memory Dataverse does not compute rowaggregate (hierarchical relationships are not modelled).");
                        case "attribute" when result.Aggregation is { } aggregation:
                            columns.AddColumn(Required(child, "name"));
                            ReadAggregateAttribute(child, table, link, aggregation);
                            break;
                        case "attribute" when child.Attribute("aggregate") is not null || child.Attribute("groupby") is not null:
                            throw DataverseFaults.InvalidArgument("An <attribute> with aggregate or groupby needs aggregate=\"true\" on <fetch>.");
                        case "attribute" when (string?)child.Attribute("alias") is { Length: > 0 } alias:
                            columns.AddColumn(Required(child, "name"));
                            result.AliasedColumns.Add(new FetchColumn(alias, link, table, Required(child, "name")));
                            break;
                        case "attribute":
                            columns.AddColumn(Required(child, "name"));
                            break;
                        case "all-attributes" when result.Aggregation is not null:
                            throw DataverseFaults.InvalidArgument("An aggregate FetchXML query cannot ask for <all-attributes>: name each column with its aggregate or groupby.");
                        case "all-attributes":
                            columns.AllColumns = true;
                            break;
                        case "order" when result.Aggregation is { } aggregation:
                            aggregation.Orders.Add(((string?)child.Attribute("alias") is { Length: > 0 } orderAlias
                                ? orderAlias
                                : throw DataverseFaults.InvalidArgument("An aggregate FetchXML query orders by the alias of a group or an aggregate (<order alias=\"…\">)."), Flag(child, "descending")));
                            break;
                        case "order" when child.Attribute("alias") is not null:
                            throw DataverseFaults.InvalidArgument("<order alias=\"…\"> orders an aggregate query; this one is not (aggregate=\"true\" on <fetch>).");
                        case "order":
                            orders.Add(new OrderExpression(Required(child, "attribute"), Flag(child, "descending") ? OrderType.Descending : OrderType.Ascending)
                            {
                                EntityName = (string?)child.Attribute("entityname"),
                            });
                            break;
                        case "filter":
                            var filter = ReadFilter(child, table, metadata);
                            if (criteria.Conditions.Count == 0 && criteria.Filters.Count == 0)
                            {
                                criteria.FilterOperator = filter.FilterOperator;
                                Merge(criteria, filter);
                            }
                            else
                            {
                                criteria.AddFilter(filter);
                            }
                            break;
                        case "link-entity":
                            links.Add(Link(child, table));
                            break;
                        default:
                            throw DataverseFaults.InvalidArgument($"FetchXML has no <{child.Name.LocalName}> inside <{element.Name.LocalName}>.");
                    }
                }
            }

            private void ReadAggregateAttribute(XElement attribute, string table, LinkEntity? link, FetchAggregation aggregation)
            {
                var name = Required(attribute, "name");
                var alias = (string?)attribute.Attribute("alias") is { Length: > 0 } given
                    ? given
                    : throw DataverseFaults.InvalidArgument($"In an aggregate FetchXML query every <attribute> needs an alias ({name} has none).");
                var source = new FetchColumn(alias, link, table, name);
                if ((string?)attribute.Attribute("aggregate") is { } function)
                {
                    aggregation.Aggregates.Add(new AggregateColumn(
                        source,
                        Functions.TryGetValue(function, out var known) ? known : throw DataverseFaults.InvalidArgument($"'{function}' is not a FetchXML aggregate ({string.Join(", ", Functions.Keys)})."),
                        Flag(attribute, "distinct")));
                }
                else if (Flag(attribute, "groupby"))
                {
                    var dateGrouping = (string?)attribute.Attribute("dategrouping");
                    if (dateGrouping is "fiscal-period" or "fiscal-year")
                    {
                        throw new NotSupportedException($"The in-memory Dataverse does not group by {dateGrouping}: it keeps no fiscal year settings.");
                    }
                    if (dateGrouping is not null && !DateGroupings.Contains(dateGrouping))
                    {
                        throw DataverseFaults.InvalidArgument($"dategrouping '{dateGrouping}' is not one FetchXML knows (year, quarter, month, week, day, fiscal-period, fiscal-year).");
                    }
                    aggregation.Groups.Add(new GroupColumn(source, dateGrouping));
                }
                else
                {
                    throw DataverseFaults.InvalidArgument($"In an aggregate FetchXML query every <attribute> has aggregate or groupby ({alias} has neither).");
                }
            }

            /// <remarks>In FetchXML <c>from</c> is the linked table's column and <c>to</c> the parent's.</remarks>
            private LinkEntity Link(XElement element, string parentTable)
            {
                var table = Required(element, "name");
                var linkType = (string?)element.Attribute("link-type") ?? "inner";
                if (!LinkTypes.TryGetValue(linkType, out var joinOperator))
                {
                    throw DataverseFaults.InvalidArgument($"link-type '{linkType}' is not one FetchXML knows ({string.Join(", ", LinkTypes.Keys)}).");
                }
                var link = new LinkEntity(parentTable, table, Required(element, "to"), Required(element, "from"), joinOperator)
                {
                    EntityAlias = (string?)element.Attribute("alias"),
                    Columns = new ColumnSet(false),
                };
                Table(element, table, link, link.Columns, link.Orders, link.LinkCriteria, link.LinkEntities);
                return link;
            }
        }

        private static void Merge(FilterExpression into, FilterExpression from)
        {
            foreach (var condition in from.Conditions)
            {
                into.Conditions.Add(condition);
            }
            foreach (var filter in from.Filters)
            {
                into.Filters.Add(filter);
            }
        }

        private static FilterExpression ReadFilter(XElement element, string table, MetadataGuard metadata)
        {
            var type = (string?)element.Attribute("type") ?? "and";
            var filter = new FilterExpression(type switch
            {
                "and" => LogicalOperator.And,
                "or" => LogicalOperator.Or,
                _ => throw DataverseFaults.InvalidArgument($"A FetchXML filter's type is 'and' or 'or', not '{type}'."),
            });
            foreach (var child in element.Elements())
            {
                switch (child.Name.LocalName)
                {
                    case "condition":
                        filter.AddCondition(ReadCondition(child, table, metadata));
                        break;
                    case "filter":
                        filter.AddFilter(ReadFilter(child, table, metadata));
                        break;
                    default:
                        throw DataverseFaults.InvalidArgument($"FetchXML has no <{child.Name.LocalName}> inside <filter>.");
                }
            }
            return filter;
        }

        private static ConditionExpression ReadCondition(XElement element, string table, MetadataGuard metadata)
        {
            var attribute = Required(element, "attribute");
            var name = Required(element, "operator");
            if (!Operators.TryGetValue(name, out var op))
            {
                throw DataverseFaults.InvalidArgument($"'{name}' is not a FetchXML condition operator.");
            }
            var entityName = (string?)element.Attribute("entityname");
            if ((string?)element.Attribute("valueof") is { } other)
            {
                return new ConditionExpression(entityName, attribute, op, compareColumns: true, value: other);
            }
            var texts = element.Attribute("value") is { } single ? new[] { single.Value } : element.Elements("value").Select(value => value.Value).ToArray();
            // A condition on a linked table's column names it with entityname: its type is that table's, which is not known here.
            var column = entityName is null ? metadata.Metadata?.Table(table)?.Column(attribute) : null;
            var condition = new ConditionExpression(attribute, op, texts.Select(text => Typed(text, column)).ToArray());
            condition.EntityName = entityName;
            return condition;
        }

        /// <summary>A condition's text as its column's type; the text itself without metadata (comparisons then read it as a number, a date or an id).</summary>
        private static object Typed(string text, ColumnMetadata? column)
        {
            try
            {
                return column?.Type switch
                {
                    ColumnType.Integer or ColumnType.Choice or ColumnType.MultiChoice => int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture),
                    ColumnType.BigInt => long.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture),
                    ColumnType.Decimal or ColumnType.Money => decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
                    ColumnType.Double => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
                    ColumnType.Boolean => text is "1" or "true",
                    ColumnType.DateTime => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                    ColumnType.Lookup or ColumnType.PrimaryKey or ColumnType.UniqueIdentifier => Guid.Parse(text.Trim('{', '}')),
                    _ => text,
                };
            }
            catch (FormatException)
            {
                throw DataverseFaults.InvalidArgument($"The value '{text}' is not a valid {column!.Type} for {column.LogicalName}.");
            }
        }

        private static string Required(XElement element, string attribute) =>
            (string?)element.Attribute(attribute) is { Length: > 0 } value
                ? value
                : throw DataverseFaults.InvalidArgument($"FetchXML <{element.Name.LocalName}> needs its '{attribute}' attribute.");

        private static bool Flag(XElement element, string attribute) => (string?)element.Attribute(attribute) is "true" or "1";

        private static int? Number(XElement element, string attribute) =>
            (string?)element.Attribute(attribute) is { } text
                ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : throw DataverseFaults.InvalidArgument($"FetchXML's {attribute} is '{text}', not a whole number.")
                : null;
    }
}
