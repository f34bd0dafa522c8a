using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Sandbox.Dataverse.Metadata;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Host.WebApi
{
    /// <summary>
    /// The part of the OData query language the product's web resources use, turned into a <see cref="QueryExpression"/>:
    /// <c>$select</c>, <c>$filter</c> (eq, ne, gt, ge, lt, le with and, or and parentheses; lookups as <c>_column_value</c>),
    /// <c>$orderby</c> and <c>$top</c>. Anything else is refused with the reason, never ignored.
    /// </summary>
    internal sealed class ODataQuery
    {
        private static readonly Dictionary<string, ConditionOperator> Operators = new(StringComparer.Ordinal)
        {
            ["eq"] = ConditionOperator.Equal, ["ne"] = ConditionOperator.NotEqual, ["gt"] = ConditionOperator.GreaterThan,
            ["ge"] = ConditionOperator.GreaterEqual, ["lt"] = ConditionOperator.LessThan, ["le"] = ConditionOperator.LessEqual,
        };

        private readonly TableMetadata _table;
        private readonly List<string> _tokens;
        private int _position;

        private ODataQuery(TableMetadata table, string filter)
        {
            _table = table;
            _tokens = Tokenize(filter);
        }

        /// <exception cref="FormatException">The query uses something this sandbox does not translate, or names an unknown column.</exception>
        public static QueryExpression Translate(TableMetadata table, string? select, string? filter, string? orderBy, string? top)
        {
            var query = new QueryExpression(table.LogicalName)
            {
                ColumnSet = string.IsNullOrWhiteSpace(select) ? new ColumnSet(true) : new ColumnSet(select!.Split(',').Select(name => ColumnOf(table, name.Trim())).ToArray()),
            };
            if (!string.IsNullOrWhiteSpace(filter))
            {
                var parser = new ODataQuery(table, filter!);
                query.Criteria = parser.Or();
                if (parser._position < parser._tokens.Count)
                {
                    throw new FormatException($"Syntax error at '{parser._tokens[parser._position]}' in $filter.");
                }
            }
            if (!string.IsNullOrWhiteSpace(orderBy))
            {
                foreach (var clause in orderBy!.Split(','))
                {
                    var parts = clause.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    query.AddOrder(ColumnOf(table, parts[0]), parts.Length > 1 && parts[1] == "desc" ? OrderType.Descending : OrderType.Ascending);
                }
            }
            if (!string.IsNullOrWhiteSpace(top))
            {
                query.TopCount = int.TryParse(top, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0 ? count : throw new FormatException($"$top is '{top}', not a positive whole number.");
            }
            return query;
        }

        /// <summary>The logical name behind an OData property: lookups are <c>_name_value</c>.</summary>
        public static string ColumnOf(TableMetadata table, string property)
        {
            var name = property.StartsWith('_') && property.EndsWith("_value", StringComparison.Ordinal) ? property[1..^"_value".Length] : property;
            return table.Column(name) is not null ? name : throw new FormatException($"Could not find a property named '{property}' on type 'Microsoft.Dynamics.CRM.{table.LogicalName}'.");
        }

        private FilterExpression Or()
        {
            var left = And();
            if (Peek() != "or")
            {
                return left;
            }
            var filter = new FilterExpression(LogicalOperator.Or);
            filter.AddFilter(left);
            while (Peek() == "or")
            {
                _position++;
                filter.AddFilter(And());
            }
            return filter;
        }

        private FilterExpression And()
        {
            var filter = new FilterExpression(LogicalOperator.And);
            Term(filter);
            while (Peek() == "and")
            {
                _position++;
                Term(filter);
            }
            return filter;
        }

        private void Term(FilterExpression into)
        {
            if (Peek() == "(")
            {
                _position++;
                into.AddFilter(Or());
                Expect(")");
                return;
            }
            var column = ColumnOf(_table, Next());
            var operation = Next();
            if (!Operators.TryGetValue(operation, out var op))
            {
                throw new FormatException($"The operator '{operation}' is not supported in $filter here: use eq, ne, gt, ge, lt or le.");
            }
            var literal = Next();
            if (literal == "null")
            {
                into.AddCondition(column, op == ConditionOperator.Equal ? ConditionOperator.Null : op == ConditionOperator.NotEqual ? ConditionOperator.NotNull
                    : throw new FormatException("Only eq and ne compare with null."));
                return;
            }
            into.AddCondition(column, op, Value(_table.Column(column)!, literal));
        }

        private static object Value(ColumnMetadata column, string literal)
        {
            var text = literal.StartsWith('\'') ? literal[1..^1].Replace("''", "'", StringComparison.Ordinal) : literal;
            return column.Type switch
            {
                ColumnType.PrimaryKey or ColumnType.Lookup or ColumnType.UniqueIdentifier => Guid.Parse(text),
                ColumnType.Choice or ColumnType.Integer => int.Parse(text, CultureInfo.InvariantCulture),
                ColumnType.BigInt => long.Parse(text, CultureInfo.InvariantCulture),
                ColumnType.Decimal or ColumnType.Money => decimal.Parse(text, CultureInfo.InvariantCulture),
                ColumnType.Double => double.Parse(text, CultureInfo.InvariantCulture),
                ColumnType.Boolean => bool.Parse(text),
                ColumnType.DateTime => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                _ => literal.StartsWith('\'') ? text : throw new FormatException($"A text value in $filter goes in single quotes: '{literal}'."),
            };
        }

        private string? Peek() => _position < _tokens.Count ? _tokens[_position] : null;

        private string Next() => _position < _tokens.Count ? _tokens[_position++] : throw new FormatException("$filter ends too early.");

        private void Expect(string token)
        {
            if (Next() != token)
            {
                throw new FormatException($"Expected '{token}' in $filter.");
            }
        }

        /// <remarks>Quoted strings keep their quotes (with '' for a quote inside); parentheses are tokens of their own.</remarks>
        private static List<string> Tokenize(string filter)
        {
            var tokens = new List<string>();
            for (var i = 0; i < filter.Length;)
            {
                var c = filter[i];
                if (char.IsWhiteSpace(c))
                {
                    i++;
                }
                else if (c is '(' or ')')
                {
                    tokens.Add(c.ToString());
                    i++;
                }
                else if (c == '\'')
                {
                    var end = i + 1;
                    while (true)
                    {
                        if (end >= filter.Length)
                        {
                            throw new FormatException("A quoted value in $filter is not closed.");
                        }
                        if (filter[end] == '\'' && (end + 1 >= filter.Length || filter[end + 1] != '\''))
                        {
                            break;
                        }
                        end += filter[end] == '\'' ? 2 : 1;
                    }
                    tokens.Add(filter[i..(end + 1)]);
                    i = end + 1;
                }
                else
                {
                    var end = i;
                    while (end < filter.Length && !char.IsWhiteSpace(filter[end]) && filter[end] is not ('(' or ')'))
                    {
                        end++;
                    }
                    tokens.Add(filter[i..end]);
                    i = end;
                }
            }
            return tokens;
        }
    }
}
