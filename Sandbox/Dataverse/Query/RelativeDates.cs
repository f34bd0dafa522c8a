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
        public static bool Handles(ConditionOperator op) => op switch
        {
            ConditionOperator.On or ConditionOperator.NotOn or ConditionOperator.OnOrBefore or ConditionOperator.OnOrAfter
                or ConditionOperator.Today or ConditionOperator.Yesterday or ConditionOperator.Tomorrow
                or ConditionOperator.Last7Days or ConditionOperator.Next7Days
                or ConditionOperator.LastWeek or ConditionOperator.ThisWeek or ConditionOperator.NextWeek
                or ConditionOperator.LastMonth or ConditionOperator.ThisMonth or ConditionOperator.NextMonth
                or ConditionOperator.LastYear or ConditionOperator.ThisYear or ConditionOperator.NextYear
                or ConditionOperator.LastXHours or ConditionOperator.NextXHours or ConditionOperator.LastXDays or ConditionOperator.NextXDays
                or ConditionOperator.LastXWeeks or ConditionOperator.NextXWeeks or ConditionOperator.LastXMonths or ConditionOperator.NextXMonths
                or ConditionOperator.LastXYears or ConditionOperator.NextXYears
                or ConditionOperator.OlderThanXMinutes or ConditionOperator.OlderThanXHours or ConditionOperator.OlderThanXDays
                or ConditionOperator.OlderThanXWeeks or ConditionOperator.OlderThanXMonths or ConditionOperator.OlderThanXYears => true,
            _ => false,
        };

        public static bool Matches(ConditionExpression condition, object value, DateTime now)
        {
            if (ValueSemantics.Stored(value) is not DateTime stored)
            {
                throw DataverseFaults.InvalidArgument($"The condition operator {condition.Operator} applies to date and time columns; {condition.AttributeName} is not one.");
            }
            var at = DateTime.SpecifyKind(stored, DateTimeKind.Utc);
            var today = now.Date;
            var weekStart = today.AddDays(-(int)today.DayOfWeek);
            var monthStart = new DateTime(today.Year, today.Month, 1, 0, 0, 0, DateTimeKind.Utc);
            var yearStart = new DateTime(today.Year, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            return condition.Operator switch
            {
                ConditionOperator.On => at.Date == DateOf(condition),
                ConditionOperator.NotOn => at.Date != DateOf(condition),
                ConditionOperator.OnOrBefore => at.Date <= DateOf(condition),
                ConditionOperator.OnOrAfter => at.Date >= DateOf(condition),
                ConditionOperator.Today => at.Date == today,
                ConditionOperator.Yesterday => at.Date == today.AddDays(-1),
                ConditionOperator.Tomorrow => at.Date == today.AddDays(1),
                ConditionOperator.Last7Days => UpToNow(at, today.AddDays(-7), now),
                ConditionOperator.Next7Days => FromNow(at, now, today.AddDays(8)),
                ConditionOperator.ThisWeek => InPeriod(at, weekStart, weekStart.AddDays(7)),
                ConditionOperator.LastWeek => InPeriod(at, weekStart.AddDays(-7), weekStart),
                ConditionOperator.NextWeek => InPeriod(at, weekStart.AddDays(7), weekStart.AddDays(14)),
                ConditionOperator.ThisMonth => InPeriod(at, monthStart, monthStart.AddMonths(1)),
                ConditionOperator.LastMonth => InPeriod(at, monthStart.AddMonths(-1), monthStart),
                ConditionOperator.NextMonth => InPeriod(at, monthStart.AddMonths(1), monthStart.AddMonths(2)),
                ConditionOperator.ThisYear => InPeriod(at, yearStart, yearStart.AddYears(1)),
                ConditionOperator.LastYear => InPeriod(at, yearStart.AddYears(-1), yearStart),
                ConditionOperator.NextYear => InPeriod(at, yearStart.AddYears(1), yearStart.AddYears(2)),
                ConditionOperator.LastXHours => UpToNow(at, now.AddHours(-Count(condition)), now),
                ConditionOperator.NextXHours => FromNow(at, now, now.AddHours(Count(condition))),
                ConditionOperator.LastXDays => UpToNow(at, today.AddDays(-Count(condition)), now),
                ConditionOperator.NextXDays => FromNow(at, now, today.AddDays(Count(condition) + 1)),
                ConditionOperator.LastXWeeks => UpToNow(at, today.AddDays(-7 * Count(condition)), now),
                ConditionOperator.NextXWeeks => FromNow(at, now, today.AddDays((7 * Count(condition)) + 1)),
                ConditionOperator.LastXMonths => UpToNow(at, today.AddMonths(-Count(condition)), now),
                ConditionOperator.NextXMonths => FromNow(at, now, today.AddMonths(Count(condition)).AddDays(1)),
                ConditionOperator.LastXYears => UpToNow(at, today.AddYears(-Count(condition)), now),
                ConditionOperator.NextXYears => FromNow(at, now, today.AddYears(Count(condition)).AddDays(1)),
                ConditionOperator.OlderThanXMinutes => at < now.AddMinutes(-Count(condition)),
                ConditionOperator.OlderThanXHours => at < now.AddHours(-Count(condition)),
                ConditionOperator.OlderThanXDays => at < now.AddDays(-Count(condition)),
                ConditionOperator.OlderThanXWeeks => at < now.AddDays(-7 * Count(condition)),
                ConditionOperator.OlderThanXMonths => at < now.AddMonths(-Count(condition)),
                ConditionOperator.OlderThanXYears => at < now.AddYears(-Count(condition)),
                _ => throw new NotSupportedException($"The in-memory Dataverse does not support the condition operator {condition.Operator}."),
            };
        }

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
