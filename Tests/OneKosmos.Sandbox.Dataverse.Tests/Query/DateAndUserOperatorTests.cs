using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace OneKosmos.Sandbox.Dataverse.Tests.Query
{
    /// <summary>
    /// #20: the date and user condition operators of Microsoft's operator reference
    /// (learn.microsoft.com/power-apps/developer/data-platform/fetchxml/reference/operators), counted in UTC from the
    /// sandbox's clock: Sunday 1 March 2026, 09:30.
    /// </summary>
    [TestClass]
    public sealed class DateAndUserOperatorTests
    {
        private static readonly Guid Caller = Guid.Parse("00000000-0000-0000-0000-0000000000ca");
        private InMemoryDataverse _dataverse = null!;
        private IOrganizationService _service = null!;

        [TestInitialize]
        public void Seed()
        {
            _dataverse = TestDataverse.Create();
            _service = _dataverse.CreateOrganizationService(Caller);
            _dataverse.Seed(
                Row("today-before-now", new DateTime(2026, 3, 1, 8, 0, 0), Caller),
                Row("today-after-now", new DateTime(2026, 3, 1, 12, 0, 0), Guid.NewGuid()),
                Row("today-early", new DateTime(2026, 3, 1, 6, 0, 0), Guid.NewGuid()),
                Row("yesterday", new DateTime(2026, 2, 28, 10, 0, 0), Caller),
                Row("tomorrow", new DateTime(2026, 3, 2, 10, 0, 0), Guid.NewGuid()),
                Row("nine-days-ago", new DateTime(2026, 2, 20, 10, 0, 0), Guid.NewGuid()),
                Row("thursday", new DateTime(2026, 3, 5, 10, 0, 0), Guid.NewGuid()),
                Row("last-year", new DateTime(2025, 12, 31, 10, 0, 0), Guid.NewGuid()));
        }

        private static Entity Row(string name, DateTime at, Guid owner) => new("contact")
        {
            ["lastname"] = name,
            ["okos_verifiedat"] = DateTime.SpecifyKind(at, DateTimeKind.Utc),
            ["ownerid"] = new EntityReference("systemuser", owner),
            ["owningbusinessunit"] = new EntityReference("businessunit", owner == Caller ? TestDataverseBusinessUnit : Guid.NewGuid()),
        };

        private static Guid TestDataverseBusinessUnit => new InMemoryDataverseOptions().BusinessUnitId;

        private string[] Matching(string column, ConditionOperator op, params object[] values)
        {
            var query = new QueryExpression("contact") { ColumnSet = new ColumnSet("lastname") };
            query.Criteria.AddCondition(column, op, values);
            return _service.RetrieveMultiple(query).Entities.Select(row => row.GetAttributeValue<string>("lastname")).OrderBy(name => name, StringComparer.Ordinal).ToArray();
        }

        [TestMethod]
        [DataRow(ConditionOperator.Today, null, "today-after-now,today-before-now,today-early")]
        [DataRow(ConditionOperator.Yesterday, null, "yesterday")]
        [DataRow(ConditionOperator.Tomorrow, null, "tomorrow")]
        [DataRow(ConditionOperator.Last7Days, null, "today-before-now,today-early,yesterday")]
        [DataRow(ConditionOperator.Next7Days, null, "thursday,today-after-now,tomorrow")]
        [DataRow(ConditionOperator.ThisWeek, null, "thursday,today-after-now,today-before-now,today-early,tomorrow")]
        [DataRow(ConditionOperator.LastWeek, null, "yesterday")]
        [DataRow(ConditionOperator.NextWeek, null, "")]
        [DataRow(ConditionOperator.ThisMonth, null, "thursday,today-after-now,today-before-now,today-early,tomorrow")]
        [DataRow(ConditionOperator.LastMonth, null, "nine-days-ago,yesterday")]
        [DataRow(ConditionOperator.NextMonth, null, "")]
        [DataRow(ConditionOperator.LastYear, null, "last-year")]
        [DataRow(ConditionOperator.ThisYear, null, "nine-days-ago,thursday,today-after-now,today-before-now,today-early,tomorrow,yesterday")]
        [DataRow(ConditionOperator.NextYear, null, "")]
        [DataRow(ConditionOperator.LastXHours, 2, "today-before-now")]
        [DataRow(ConditionOperator.LastXHours, 4, "today-before-now,today-early")]
        [DataRow(ConditionOperator.NextXHours, 3, "today-after-now")]
        [DataRow(ConditionOperator.LastXDays, 1, "today-before-now,today-early,yesterday")]
        [DataRow(ConditionOperator.NextXDays, 1, "today-after-now,tomorrow")]
        [DataRow(ConditionOperator.LastXWeeks, 2, "nine-days-ago,today-before-now,today-early,yesterday")]
        [DataRow(ConditionOperator.NextXWeeks, 1, "thursday,today-after-now,tomorrow")]
        [DataRow(ConditionOperator.LastXMonths, 3, "last-year,nine-days-ago,today-before-now,today-early,yesterday")]
        [DataRow(ConditionOperator.NextXMonths, 1, "thursday,today-after-now,tomorrow")]
        [DataRow(ConditionOperator.LastXYears, 1, "last-year,nine-days-ago,today-before-now,today-early,yesterday")]
        [DataRow(ConditionOperator.NextXYears, 1, "thursday,today-after-now,tomorrow")]
        [DataRow(ConditionOperator.OlderThanXMinutes, 60, "last-year,nine-days-ago,today-before-now,today-early,yesterday")]
        [DataRow(ConditionOperator.OlderThanXHours, 24, "last-year,nine-days-ago")]
        [DataRow(ConditionOperator.OlderThanXDays, 5, "last-year,nine-days-ago")]
        [DataRow(ConditionOperator.OlderThanXWeeks, 2, "last-year")]
        [DataRow(ConditionOperator.OlderThanXMonths, 3, "")]
        [DataRow(ConditionOperator.OlderThanXYears, 1, "")]
        public void RelativeDateOperators_CountFromNow(ConditionOperator op, object? count, string expected)
        {
            var values = count is null ? Array.Empty<object>() : new[] { count };

            CollectionAssert.AreEqual(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), Matching("okos_verifiedat", op, values), op.ToString());
        }

        [TestMethod]
        [DataRow(ConditionOperator.On, "2026-03-02", "tomorrow")]
        [DataRow(ConditionOperator.NotOn, "2026-03-01", "last-year,nine-days-ago,thursday,tomorrow,yesterday")]
        [DataRow(ConditionOperator.OnOrBefore, "2026-02-28", "last-year,nine-days-ago,yesterday")]
        [DataRow(ConditionOperator.OnOrAfter, "2026-03-02", "thursday,tomorrow")]
        public void CalendarDayOperators_CompareTheDateOnly(ConditionOperator op, string day, string expected) =>
            CollectionAssert.AreEqual(expected.Split(','), Matching("okos_verifiedat", op, DateTime.Parse(day, System.Globalization.CultureInfo.InvariantCulture)));

        [TestMethod]
        public void ADateOperatorOnANonDateColumn_IsRefusedWithTheReason() =>
            AssertFault.Throws(DataverseErrorCodes.InvalidArgument, () => Matching("lastname", ConditionOperator.Today));

        [TestMethod]
        public void UserOperators_CompareWithTheCallerAndTheirBusinessUnit()
        {
            CollectionAssert.AreEqual(new[] { "today-before-now", "yesterday" }, Matching("ownerid", ConditionOperator.EqualUserId));
            Assert.AreEqual(6, Matching("ownerid", ConditionOperator.NotEqualUserId).Length);
            CollectionAssert.AreEqual(new[] { "today-before-now", "yesterday" }, Matching("owningbusinessunit", ConditionOperator.EqualBusinessId));
            Assert.AreEqual(6, Matching("owningbusinessunit", ConditionOperator.NotEqualBusinessId).Length);
        }
    }
}
