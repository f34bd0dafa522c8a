using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace OneKosmos.Sandbox.Dataverse.Tests.Query
{
    [TestClass]
    public sealed class ConditionTests
    {
        private static readonly Guid AcmeOwner = Guid.Parse("11111111-2222-3333-4444-555555555555");

        private InMemoryDataverse _dataverse = null!;
        private IOrganizationService _service = null!;

        [TestInitialize]
        public void SeedContacts()
        {
            _dataverse = TestDataverse.Create();
            _service = _dataverse.CreateOrganizationService(null);
            _dataverse.Seed(
                Contact("Ada", "Lovelace", 36, new DateTime(2026, 1, 10), status: 1, owner: AcmeOwner),
                Contact("Grace", "Hopper", 85, new DateTime(2026, 2, 10), status: 2, owner: Guid.NewGuid()),
                Contact("Alan", "Turing", 41, null, status: 3, owner: Guid.NewGuid()),
                Contact("Katherine", "Johnson", null, new DateTime(2026, 3, 10), status: null, owner: AcmeOwner));
        }

        private static Entity Contact(string first, string last, int? age, DateTime? verified, int? status, Guid owner)
        {
            var contact = new Entity("contact")
            {
                ["firstname"] = first,
                ["lastname"] = last,
                ["ownerid"] = new EntityReference("systemuser", owner),
            };
            if (age.HasValue)
            {
                contact["okos_age"] = age.Value;
            }
            if (verified.HasValue)
            {
                contact["okos_verifiedat"] = verified.Value;
            }
            if (status.HasValue)
            {
                contact["okos_status"] = new OptionSetValue(status.Value);
            }
            return contact;
        }

        private string[] LastNames(FilterExpression criteria)
        {
            var query = new QueryExpression("contact") { ColumnSet = new ColumnSet("lastname"), Criteria = criteria };
            query.AddOrder("lastname", OrderType.Ascending);
            return _service.RetrieveMultiple(query).Entities.Select(row => row.GetAttributeValue<string>("lastname")).ToArray();
        }

        private static FilterExpression Where(string column, ConditionOperator op, params object[] values)
        {
            var filter = new FilterExpression();
            filter.AddCondition(column, op, values);
            return filter;
        }

        [TestMethod]
        public void Equal_OnString_IgnoresCase()
        {
            CollectionAssert.AreEqual(new[] { "Hopper" }, LastNames(Where("lastname", ConditionOperator.Equal, "HOPPER")));
        }

        [TestMethod]
        public void NotEqual_ExcludesRowsWhereTheColumnIsNull()
        {
            CollectionAssert.AreEqual(new[] { "Hopper", "Turing" }, LastNames(Where("okos_status", ConditionOperator.NotEqual, 1)));
        }

        [TestMethod]
        public void Equal_OnChoice_MatchesItsNumber()
        {
            CollectionAssert.AreEqual(new[] { "Hopper" }, LastNames(Where("okos_status", ConditionOperator.Equal, 2)));
        }

        [TestMethod]
        public void Equal_OnLookup_MatchesGuidOrGuidText()
        {
            CollectionAssert.AreEqual(new[] { "Johnson", "Lovelace" }, LastNames(Where("ownerid", ConditionOperator.Equal, AcmeOwner)));
            CollectionAssert.AreEqual(new[] { "Johnson", "Lovelace" }, LastNames(Where("ownerid", ConditionOperator.Equal, AcmeOwner.ToString())));
        }

        [TestMethod]
        public void In_MatchesAnyOfTheValues()
        {
            CollectionAssert.AreEqual(new[] { "Hopper", "Turing" }, LastNames(Where("firstname", ConditionOperator.In, "grace", "ALAN", "nobody")));
        }

        [TestMethod]
        public void NotIn_ExcludesTheValuesAndNulls()
        {
            CollectionAssert.AreEqual(new[] { "Lovelace" }, LastNames(Where("okos_status", ConditionOperator.NotIn, 2, 3)));
        }

        [TestMethod]
        public void NullAndNotNull_SplitRowsByWhetherTheColumnHasAValue()
        {
            CollectionAssert.AreEqual(new[] { "Johnson" }, LastNames(Where("okos_age", ConditionOperator.Null)));
            CollectionAssert.AreEqual(new[] { "Hopper", "Lovelace", "Turing" }, LastNames(Where("okos_age", ConditionOperator.NotNull)));
        }

        [TestMethod]
        public void GreaterAndLess_CompareNumbersAcrossTypes()
        {
            CollectionAssert.AreEqual(new[] { "Hopper", "Turing" }, LastNames(Where("okos_age", ConditionOperator.GreaterThan, 40m)));
            CollectionAssert.AreEqual(new[] { "Lovelace", "Turing" }, LastNames(Where("okos_age", ConditionOperator.LessEqual, 41L)));
            CollectionAssert.AreEqual(new[] { "Lovelace" }, LastNames(Where("okos_age", ConditionOperator.LessThan, 41)));
            CollectionAssert.AreEqual(new[] { "Hopper" }, LastNames(Where("okos_age", ConditionOperator.GreaterEqual, 85.0)));
        }

        [TestMethod]
        public void GreaterThan_OnDates_ComparesInstants()
        {
            CollectionAssert.AreEqual(new[] { "Hopper", "Johnson" }, LastNames(Where("okos_verifiedat", ConditionOperator.GreaterThan, new DateTime(2026, 2, 1))));
        }

        [TestMethod]
        public void Between_IsInclusiveAtBothEnds()
        {
            CollectionAssert.AreEqual(new[] { "Lovelace", "Turing" }, LastNames(Where("okos_age", ConditionOperator.Between, 36, 41)));
        }

        [TestMethod]
        public void Like_UsesSqlWildcardsAndIgnoresCase()
        {
            CollectionAssert.AreEqual(new[] { "Hopper", "Johnson", "Lovelace" }, LastNames(Where("lastname", ConditionOperator.Like, "_O%")));
            CollectionAssert.AreEqual(new[] { "Johnson" }, LastNames(Where("lastname", ConditionOperator.Like, "%h_s%")));
            CollectionAssert.AreEqual(new[] { "Hopper", "Turing" }, LastNames(Where("lastname", ConditionOperator.Like, "[ht]%")));
            CollectionAssert.AreEqual(new[] { "Johnson", "Lovelace" }, LastNames(Where("lastname", ConditionOperator.NotLike, "[ht]%")));
        }

        [TestMethod]
        public void BeginsWithAndEndsWith_TreatWildcardsInTheValueLiterally()
        {
            CollectionAssert.AreEqual(new[] { "Lovelace" }, LastNames(Where("lastname", ConditionOperator.BeginsWith, "love")));
            CollectionAssert.AreEqual(new[] { "Johnson" }, LastNames(Where("lastname", ConditionOperator.EndsWith, "SON")));
            CollectionAssert.AreEqual(Array.Empty<string>(), LastNames(Where("lastname", ConditionOperator.BeginsWith, "%")));
            CollectionAssert.AreEqual(new[] { "Hopper", "Johnson", "Turing" }, LastNames(Where("lastname", ConditionOperator.DoesNotBeginWith, "Love")));
        }

        [TestMethod]
        public void NestedFilters_CombineAndWithOr()
        {
            var criteria = new FilterExpression(LogicalOperator.And);
            criteria.AddCondition("ownerid", ConditionOperator.Equal, AcmeOwner);
            var either = criteria.AddFilter(LogicalOperator.Or);
            either.AddCondition("okos_age", ConditionOperator.Null);
            either.AddCondition("okos_age", ConditionOperator.GreaterThan, 80);

            CollectionAssert.AreEqual(new[] { "Johnson" }, LastNames(criteria));
        }

        /// <summary>#20: column comparison ("Filter rows", column comparison): a column against another of the same row.</summary>
        [TestMethod]
        public void ColumnComparison_ComparesTwoColumnsOfTheRow()
        {
            _dataverse.Seed(new Entity("contact") { ["firstname"] = "Lee", ["lastname"] = "Lee" });

            CollectionAssert.AreEqual(new[] { "Lee" }, LastNames(new FilterExpression { Conditions = { new ConditionExpression("firstname", ConditionOperator.Equal, true, "lastname") } }));
            CollectionAssert.AreEqual(new[] { "Johnson" }, LastNames(new FilterExpression { Conditions = { new ConditionExpression("firstname", ConditionOperator.GreaterThan, true, "lastname") } }));
        }

        [TestMethod]
        public void ColumnComparison_WithAnotherOperatorOrMismatchedTypes_IsRefused()
        {
            AssertFault.Throws(DataverseErrorCodes.InvalidArgument, () => LastNames(new FilterExpression { Conditions = { new ConditionExpression("firstname", ConditionOperator.Like, true, "lastname") } }));
            AssertFault.Throws(DataverseErrorCodes.InvalidArgument, () => LastNames(new FilterExpression { Conditions = { new ConditionExpression("lastname", ConditionOperator.Equal, true, "okos_age") } }));
        }

        [TestMethod]
        public void UnsupportedOperator_ThrowsNotSupportedNamingIt()
        {
            var exception = Assert.ThrowsExactly<NotSupportedException>(() => LastNames(Where("okos_verifiedat", ConditionOperator.ThisFiscalYear)));

            StringAssert.Contains(exception.Message, "ThisFiscalYear");
        }

        [TestMethod]
        public void Equal_WithTwoValues_FaultsWithInvalidArgument()
        {
            AssertFault.Throws(DataverseErrorCodes.InvalidArgument, () => LastNames(Where("lastname", ConditionOperator.Equal, "a", "b")));
        }

        [TestMethod]
        public void ConditionOnTheQuerysOwnTableName_AppliesToTheMainRow()
        {
            var filter = new FilterExpression();
            filter.AddCondition("contact", "lastname", ConditionOperator.Equal, "Turing");

            CollectionAssert.AreEqual(new[] { "Turing" }, LastNames(filter));
        }
    }
}
