using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.Xrm.Sdk;

namespace OneKosmos.Sandbox.Dataverse.Query
{
    /// <summary>How Dataverse compares column values: by what is stored, with its default collation.</summary>
    /// <remarks>
    /// A lookup compares as its row id, a choice as its number, money as its amount; strings compare
    /// case-insensitively; numbers compare across types; a string that holds a Guid matches that Guid.
    /// </remarks>
    internal static class ValueSemantics
    {
        public static object? Stored(object? value) => value switch
        {
            EntityReference reference => reference.Id,
            OptionSetValue option => option.Value,
            Money money => money.Value,
            AliasedValue aliased => Stored(aliased.Value),
            Enum enumValue => Convert.ToInt32(enumValue, CultureInfo.InvariantCulture),
            DateTime { Kind: DateTimeKind.Local } local => local.ToUniversalTime(),
            _ => value,
        };

        /// <summary>
        /// Adds one more order to rows (the first when <paramref name="sorted"/> is null), comparing keys as stored values
        /// compare: how a query's orders and an aggregate query's orders by alias sort, one key after another.
        /// </summary>
        public static IOrderedEnumerable<T> ThenOrder<T>(IOrderedEnumerable<T>? sorted, IEnumerable<T> rows, Func<T, object?> key, bool descending) =>
            (sorted, descending) switch
            {
                (null, false) => rows.OrderBy(key, Order),
                (null, true) => rows.OrderByDescending(key, Order),
                (_, false) => sorted.ThenBy(key, Order),
                _ => sorted.ThenByDescending(key, Order),
            };

        private static readonly IComparer<object?> Order = Comparer<object?>.Create(Compare);

        public static bool AreEqual(object? left, object? right) => Compare(left, right) == 0;

        /// <summary>Orders two stored values; nulls sort first, as in SQL Server.</summary>
        public static int Compare(object? left, object? right)
        {
            left = Stored(left);
            right = Stored(right);
            if (left is null || right is null)
            {
                return left is null ? (right is null ? 0 : -1) : 1;
            }
            // A text against a typed value is read as that type, as Dataverse reads FetchXML's text values.
            (left, right) = (AsTypeOf(right, left), AsTypeOf(left, right));
            if (IsNumber(left) && IsNumber(right))
            {
                return ToDecimal(left).CompareTo(ToDecimal(right));
            }
            if (left is Guid leftGuid && TryGuid(right, out var rightGuid))
            {
                return leftGuid.CompareTo(rightGuid);
            }
            if (right is Guid guid && TryGuid(left, out var leftParsed))
            {
                return leftParsed.CompareTo(guid);
            }
            if (left is string leftText && right is string rightText)
            {
                return string.Compare(leftText, rightText, StringComparison.OrdinalIgnoreCase);
            }
            if (left is DateTime leftTime && right is DateTime rightTime)
            {
                return leftTime.CompareTo(rightTime);
            }
            if (left is bool leftFlag && right is bool rightFlag)
            {
                return leftFlag.CompareTo(rightFlag);
            }
            throw new NotSupportedException(
                $"The in-memory Dataverse cannot compare a {left.GetType().Name} value with a {right.GetType().Name} value.");
        }

        /// <summary>A text that is equal for two values exactly when Dataverse treats them as the same key value.</summary>
        public static string KeyText(object? value) => Stored(value) switch
        {
            null => "\u0000null",
            string text => "s:" + text.ToUpperInvariant(),
            Guid id => "g:" + id.ToString("N"),
            DateTime time => "d:" + time.Ticks.ToString(CultureInfo.InvariantCulture),
            var other when IsNumber(other) => "n:" + ToDecimal(other).ToString("G29", CultureInfo.InvariantCulture),
            OptionSetValueCollection options => "m:" + string.Join(",", options.Select(option => option.Value).OrderBy(value => value)),
            var other => other.GetType().Name + ":" + Convert.ToString(other, CultureInfo.InvariantCulture),
        };

        /// <summary><paramref name="value"/> read as <paramref name="typed"/>'s type when it is a text that holds one; otherwise as it is.</summary>
        private static object AsTypeOf(object typed, object value) => (typed, value) switch
        {
            (_, not string) => value,
            (var number, string text) when IsNumber(number) && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            (DateTime, string text) when DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date) => date,
            (bool, "1" or "true") => true,
            (bool, "0" or "false") => false,
            _ => value,
        };

        private static bool IsNumber(object value) =>
            value is int or long or short or decimal or double or float or byte;

        private static decimal ToDecimal(object value) => Convert.ToDecimal(value, CultureInfo.InvariantCulture);

        private static bool TryGuid(object value, out Guid id)
        {
            switch (value)
            {
                case Guid guid:
                    id = guid;
                    return true;
                case string text:
                    return Guid.TryParse(text, out id);
                default:
                    id = Guid.Empty;
                    return false;
            }
        }
    }
}
