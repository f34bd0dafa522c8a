using System;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace OneKosmos.Sandbox.Dataverse.Query
{
    /// <summary>Evaluates filters and conditions on a joined row, with SQL's treatment of nulls.</summary>
    internal static class ConditionEvaluator
    {
        public static bool Matches(FilterExpression? filter, JoinedRow row, string? defaultAlias, QueryScope scope)
        {
            if (filter is null || (filter.Conditions.Count == 0 && filter.Filters.Count == 0))
            {
                return true;
            }
            var results = filter.Conditions.Select(condition => Matches(condition, row, defaultAlias, scope))
                .Concat(filter.Filters.Select(child => Matches(child, row, defaultAlias, scope)));
            return filter.FilterOperator == LogicalOperator.And ? results.All(match => match) : results.Any(match => match);
        }

        private static bool Matches(ConditionExpression condition, JoinedRow row, string? defaultAlias, QueryScope scope)
        {
            if (string.IsNullOrEmpty(condition.AttributeName))
            {
                throw DataverseFaults.InvalidArgument("A condition has no attribute name.");
            }
            var alias = condition.EntityName is null ? defaultAlias : scope.ResolveAlias(condition.EntityName);
            var target = row.RowFor(alias);
            var value = target is not null && target.Attributes.TryGetValue(condition.AttributeName, out var stored) ? stored : null;
            var values = condition.Values;
            if (condition.CompareColumns)
            {
                return ColumnsCompare(condition, value, target);
            }

            switch (condition.Operator)
            {
                case ConditionOperator.Null:
                    return value is null;
                case ConditionOperator.NotNull:
                    return value is not null;
            }
            if (value is null)
            {
                return false;
            }
            return condition.Operator switch
            {
                ConditionOperator.EqualUserId => ValueSemantics.AreEqual(value, scope.CallerId),
                ConditionOperator.NotEqualUserId => !ValueSemantics.AreEqual(value, scope.CallerId),
                ConditionOperator.EqualUserTeams => scope.CallerTeams.Any(team => ValueSemantics.AreEqual(value, team)),
                ConditionOperator.EqualUserOrUserTeams => ValueSemantics.AreEqual(value, scope.CallerId) || scope.CallerTeams.Any(team => ValueSemantics.AreEqual(value, team)),
                ConditionOperator.EqualUserOrUserHierarchy => ValueSemantics.AreEqual(value, scope.CallerId) || Hierarchy.ManagedBy(scope, value),
                ConditionOperator.EqualUserOrUserHierarchyAndTeams => ValueSemantics.AreEqual(value, scope.CallerId) || Hierarchy.ManagedBy(scope, value)
                    || scope.CallerTeams.Any(team => ValueSemantics.AreEqual(value, team)),
                ConditionOperator.Under => Hierarchy.Above(scope, target!, Single(condition), value),
                ConditionOperator.UnderOrEqual => ValueSemantics.AreEqual(value, Single(condition)) || Hierarchy.Above(scope, target!, Single(condition), value),
                ConditionOperator.NotUnder => !Hierarchy.Above(scope, target!, Single(condition), value),
                ConditionOperator.Above => Hierarchy.Above(scope, target!, value, Single(condition)),
                ConditionOperator.AboveOrEqual => ValueSemantics.AreEqual(value, Single(condition)) || Hierarchy.Above(scope, target!, value, Single(condition)),
                ConditionOperator.EqualBusinessId => ValueSemantics.AreEqual(value, scope.CallerBusinessUnit),
                ConditionOperator.NotEqualBusinessId => !ValueSemantics.AreEqual(value, scope.CallerBusinessUnit),
                ConditionOperator.Equal => ValueSemantics.AreEqual(value, Single(condition)),
                ConditionOperator.NotEqual => !ValueSemantics.AreEqual(value, Single(condition)),
                ConditionOperator.GreaterThan => ValueSemantics.Compare(value, Single(condition)) > 0,
                ConditionOperator.GreaterEqual => ValueSemantics.Compare(value, Single(condition)) >= 0,
                ConditionOperator.LessThan => ValueSemantics.Compare(value, Single(condition)) < 0,
                ConditionOperator.LessEqual => ValueSemantics.Compare(value, Single(condition)) <= 0,
                ConditionOperator.In => values.Any(candidate => ValueSemantics.AreEqual(value, candidate)),
                ConditionOperator.NotIn => !values.Any(candidate => ValueSemantics.AreEqual(value, candidate)),
                ConditionOperator.Between => InRange(value, condition),
                ConditionOperator.NotBetween => !InRange(value, condition),
                ConditionOperator.Like => Like(value, Text(condition)),
                ConditionOperator.NotLike => !Like(value, Text(condition)),
                ConditionOperator.BeginsWith => Like(value, Escape(Text(condition)) + "%"),
                ConditionOperator.DoesNotBeginWith => !Like(value, Escape(Text(condition)) + "%"),
                ConditionOperator.EndsWith => Like(value, "%" + Escape(Text(condition))),
                ConditionOperator.DoesNotEndWith => !Like(value, "%" + Escape(Text(condition))),
                // A full-text search: "only the Dynamics 365 KBArticle (article) table has columns that have full-text indexing"
                // (Web API "Query data", Dataverse query functions), and no table the in-memory Dataverse knows has one.
                ConditionOperator.Contains or ConditionOperator.DoesNotContain => throw DataverseFaults.InvalidArgument(
                    $"{condition.Operator} is a full-text search, for columns with a full-text index, which {condition.AttributeName} has not: use Like with '%text%'."),
                ConditionOperator.ContainValues => Chosen(value, condition).Any(option => values.Any(wanted => ValueSemantics.AreEqual(option, wanted))),
                ConditionOperator.DoesNotContainValues => !Chosen(value, condition).Any(option => values.Any(wanted => ValueSemantics.AreEqual(option, wanted))),
                // The date operators come last: the common comparisons above never build their test.
                _ => RelativeDates.For(condition, scope.Now) is { } test
                    ? test(RelativeDates.Of(condition, value))
                    : throw new NotSupportedException($"The in-memory Dataverse does not support the condition operator {condition.Operator} (on {condition.AttributeName})."),
            };
        }

        /// <summary>
        /// A column compared with another column of the same row (learn.microsoft.com/power-apps/developer/data-platform/org-service/queryexpression/filter-rows,
        /// "column comparison"): only the six comparison operators, two columns at a time; a null on either side matches nothing.
        /// </summary>
        private static bool ColumnsCompare(ConditionExpression condition, object? value, Entity? row)
        {
            if (condition.Operator is not (ConditionOperator.Equal or ConditionOperator.NotEqual or ConditionOperator.GreaterThan
                or ConditionOperator.GreaterEqual or ConditionOperator.LessThan or ConditionOperator.LessEqual))
            {
                throw DataverseFaults.InvalidArgument($"A column comparison takes Equal, NotEqual, GreaterThan, GreaterEqual, LessThan or LessEqual, not {condition.Operator}.");
            }
            if (condition.Values.Count != 1 || condition.Values[0] is not string other || other.Length == 0)
            {
                throw DataverseFaults.InvalidArgument($"A column comparison on {condition.AttributeName} names exactly one other column as its value.");
            }
            var otherValue = row is not null && row.Attributes.TryGetValue(other, out var stored) ? stored : null;
            if (value is null || otherValue is null)
            {
                return false;
            }
            int order;
            try
            {
                order = ValueSemantics.Compare(value, otherValue);
            }
            catch (NotSupportedException)
            {
                throw DataverseFaults.InvalidArgument($"The columns {condition.AttributeName} and {other} are not of the same type: they cannot be compared.");
            }
            return condition.Operator switch
            {
                ConditionOperator.Equal => order == 0,
                ConditionOperator.NotEqual => order != 0,
                ConditionOperator.GreaterThan => order > 0,
                ConditionOperator.GreaterEqual => order >= 0,
                ConditionOperator.LessThan => order < 0,
                _ => order <= 0,
            };
        }

        /// <summary>
        /// A multi-select choice's options, for ContainValues (any of the values chosen) and DoesNotContainValues (none of them),
        /// as "Multi-select choice columns" describes them (learn.microsoft.com/power-apps/developer/data-platform/multi-select-picklist).
        /// </summary>
        private static OptionSetValueCollection Chosen(object value, ConditionExpression condition) =>
            value as OptionSetValueCollection
            ?? throw DataverseFaults.InvalidArgument($"The condition operator {condition.Operator} applies to a multi-select choice column; {condition.AttributeName} holds a {value.GetType().Name}.");

        /// <summary>
        /// The hierarchy operators, as "Query hierarchical data" describes them
        /// (learn.microsoft.com/power-apps/developer/data-platform/query-hierarchical-data): Under finds the rows below a row
        /// (its children, theirs, and so on), Above the rows above it; the OrEqual forms include the row itself.
        /// </summary>
        private static class Hierarchy
        {
            public static bool Above(QueryScope scope, Entity row, object? upper, object? lower) =>
                ValueSemantics.Stored(lower) is Guid lowerId && scope.AncestorsOf(row.LogicalName, lowerId).Any(ancestor => ValueSemantics.AreEqual(ancestor, upper));

            /// <summary>Whether a user (an owner, a lookup to a user) is below the caller in the manager hierarchy (a user's parentsystemuserid).</summary>
            public static bool ManagedBy(QueryScope scope, object? user) =>
                ValueSemantics.Stored(user) is Guid userId && scope.AncestorsOf("systemuser", userId).Contains(scope.CallerId);
        }

        private static object? Single(ConditionExpression condition)
        {
            if (condition.Values.Count != 1)
            {
                throw DataverseFaults.InvalidArgument(
                    $"The condition operator {condition.Operator} on {condition.AttributeName} takes one value; it was given {condition.Values.Count}.");
            }
            return condition.Values[0];
        }

        private static bool InRange(object value, ConditionExpression condition)
        {
            if (condition.Values.Count != 2)
            {
                throw DataverseFaults.InvalidArgument(
                    $"The condition operator {condition.Operator} on {condition.AttributeName} takes two values; it was given {condition.Values.Count}.");
            }
            return ValueSemantics.Compare(value, condition.Values[0]) >= 0 && ValueSemantics.Compare(value, condition.Values[1]) <= 0;
        }

        private static string Text(ConditionExpression condition) =>
            Single(condition) as string
            ?? throw DataverseFaults.InvalidArgument($"The condition operator {condition.Operator} on {condition.AttributeName} takes a string value.");

        /// <remarks>SQL LIKE: <c>%</c> is any run of characters, <c>_</c> one character, <c>[abc]</c> one of a set; case-insensitive.</remarks>
        private static bool Like(object value, string pattern) =>
            value is string text
            && Regex.IsMatch(text, LikeToRegex(pattern), RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant);

        private static string LikeToRegex(string pattern)
        {
            var regex = new StringBuilder("^");
            for (var i = 0; i < pattern.Length; i++)
            {
                var c = pattern[i];
                var close = c == '[' ? pattern.IndexOf(']', i + 1) : -1;
                if (close > i + 1)
                {
                    var set = pattern.Substring(i + 1, close - i - 1);
                    var negated = set.StartsWith("^", StringComparison.Ordinal);
                    regex.Append(negated ? "[^" : "[").Append(Regex.Escape(negated ? set.Substring(1) : set).Replace("]", "\\]")).Append(']');
                    i = close;
                }
                else
                {
                    regex.Append(c switch { '%' => ".*", '_' => ".", _ => Regex.Escape(c.ToString()) });
                }
            }
            return regex.Append('$').ToString();
        }

        private static string Escape(string literal) =>
            literal.Replace("[", "[[]").Replace("%", "[%]").Replace("_", "[_]");
    }
}
