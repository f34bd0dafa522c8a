using System;
using System.Globalization;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace OneKosmos.Sandbox.Dataverse.Query
{
    /// <summary>
    /// The date operators of Microsoft's condition operator reference
    /// (learn.microsoft.com/power-apps/developer/data-platform/fetchxml/reference/operators): dates relative to now, and the
    /// calendar-day comparisons On, NotOn, OnOrBefore, OnOrAfter.
    /// </summary>
    /// <remarks>
    /// Dataverse counts days in the caller's time zone and weeks from their first day of the week; the in-memory Dataverse
    /// keeps no user settings, so it counts in UTC with weeks from Sunday (the en-US default). "Last X days" runs from the
    /// start of the day X days ago up to now, "next X days" from now to the end of the day X days ahead, and the same for
    /// weeks, months and years; hours count from now exactly; "older than X units" is before now less X units. Fiscal
    /// periods need the organization's fiscal settings, which it does not keep: those operators are refused by name.
    /// </remarks>
    internal static class RelativeDates
    {
        /// <summary>
        /// The test a date operator makes of a column's value, counted from <paramref name="now"/>; null when
        /// <paramref name="condition"/>'s operator is not one of these.
        /// </summary>
        public static Func<DateTime, bool>? For(ConditionExpression condition, DateTime now)
        {
            var today = now.Date;
            var weekStart = today.AddDays(-(int)today.DayOfWeek);
            var monthStart = new DateTime(today.Year, today.Month, 1, 0, 0, 0, DateTimeKind.Utc);
            var yearStart = new DateTime(today.Year, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            return condition.Operator switch
            {
                ConditionOperator.On => at => at.Date == DateOf(condition),
                ConditionOperator.NotOn => at => at.Date != DateOf(condition),
                ConditionOperator.OnOrBefore => at => at.Date <= DateOf(condition),
                ConditionOperator.OnOrAfter => at => at.Date >= DateOf(condition),
                ConditionOperator.Today => at => at.Date == today,
                ConditionOperator.Yesterday => at => at.Date == today.AddDays(-1),
                ConditionOperator.Tomorrow => at => at.Date == today.AddDays(1),
                ConditionOperator.Last7Days => at => UpToNow(at, today.AddDays(-7), now),
                ConditionOperator.Next7Days => at => FromNow(at, now, today.AddDays(8)),
                ConditionOperator.ThisWeek => at => InPeriod(at, weekStart, weekStart.AddDays(7)),
                ConditionOperator.LastWeek => at => InPeriod(at, weekStart.AddDays(-7), weekStart),
                ConditionOperator.NextWeek => at => InPeriod(at, weekStart.AddDays(7), weekStart.AddDays(14)),
                ConditionOperator.ThisMonth => at => InPeriod(at, monthStart, monthStart.AddMonths(1)),
                ConditionOperator.LastMonth => at => InPeriod(at, monthStart.AddMonths(-1), monthStart),
                ConditionOperator.NextMonth => at => InPeriod(at, monthStart.AddMonths(1), monthStart.AddMonths(2)),
                ConditionOperator.ThisYear => at => InPeriod(at, yearStart, yearStart.AddYears(1)),
                ConditionOperator.LastYear => at => InPeriod(at, yearStart.AddYears(-1), yearStart),
                ConditionOperator.NextYear => at => InPeriod(at, yearStart.AddYears(1), yearStart.AddYears(2)),
                ConditionOperator.LastXHours => at => UpToNow(at, now.AddHours(-Count(condition)), now),
                ConditionOperator.NextXHours => at => FromNow(at, now, now.AddHours(Count(condition))),
                ConditionOperator.LastXDays => at => UpToNow(at, today.AddDays(-Count(condition)), now),
                ConditionOperator.NextXDays => at => FromNow(at, now, today.AddDays(Count(condition) + 1)),
                ConditionOperator.LastXWeeks => at => UpToNow(at, today.AddDays(-7 * Count(condition)), now),
                ConditionOperator.NextXWeeks => at => FromNow(at, now, today.AddDays((7 * Count(condition)) + 1)),
                ConditionOperator.LastXMonths => at => UpToNow(at, today.AddMonths(-Count(condition)), now),
                ConditionOperator.NextXMonths => at => FromNow(at, now, today.AddMonths(Count(condition)).AddDays(1)),
                ConditionOperator.LastXYears => at => UpToNow(at, today.AddYears(-Count(condition)), now),
                ConditionOperator.NextXYears => at => FromNow(at, now, today.AddYears(Count(condition)).AddDays(1)),
                ConditionOperator.OlderThanXMinutes => at => at < now.AddMinutes(-Count(condition)),
                ConditionOperator.OlderThanXHours => at => at < now.AddHours(-Count(condition)),
                ConditionOperator.OlderThanXDays => at => at < now.AddDays(-Count(condition)),
                ConditionOperator.OlderThanXWeeks => at => at < now.AddDays(-7 * Count(condition)),
                ConditionOperator.OlderThanXMonths => at => at < now.AddMonths(-Count(condition)),
                ConditionOperator.OlderThanXYears => at => at < now.AddYears(-Count(condition)),
                _ => null,
            };
        }

        /// <summary>A stored value as the date and time the operators test.</summary>
        public static DateTime Of(ConditionExpression condition, object value) =>
            ValueSemantics.Stored(value) is DateTime stored
                ? DateTime.SpecifyKind(stored, DateTimeKind.Utc)
                : throw DataverseFaults.InvalidArgument($"The condition operator {condition.Operator} applies to date and time columns; {condition.AttributeName} is not one.");

        /// <summary>A whole period: from its start, up to the start of the next.</summary>
        private static bool InPeriod(DateTime at, DateTime from, DateTime until) => at >= from && at < until;

        private static bool UpToNow(DateTime at, DateTime from, DateTime now) => at >= from && at <= now;

        private static bool FromNow(DateTime at, DateTime now, DateTime until) => at >= now && at < until;

        private static DateTime DateOf(ConditionExpression condition) =>
            condition.Values.Count == 1 && ValueSemantics.Stored(condition.Values[0]) switch
            {
                DateTime date => date,
                string text when DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed) => parsed,
                _ => (DateTime?)null,
            } is { } day
                ? day.Date
                : throw DataverseFaults.InvalidArgument($"The condition operator {condition.Operator} on {condition.AttributeName} takes one date.");

        private static int Count(ConditionExpression condition) =>
            condition.Values.Count == 1 && int.TryParse(Convert.ToString(ValueSemantics.Stored(condition.Values[0]), CultureInfo.InvariantCulture), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count >= 0
                ? count
                : throw DataverseFaults.InvalidArgument($"The condition operator {condition.Operator} on {condition.AttributeName} takes one whole number of units.");
    }
}
