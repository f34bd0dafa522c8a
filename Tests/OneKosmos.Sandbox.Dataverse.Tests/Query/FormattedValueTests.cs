using System;
using System.IO;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Tests.Shared;

namespace OneKosmos.Sandbox.Dataverse.Tests.Query
{
    /// <summary>
    /// #20: formatted values for money, dates, numbers, yes/no and multi-select choices, as the Web API guide's "Formatted
    /// values" example shows them for a user with the default settings ("revenue": "$20,000.00"; "modifiedon": "4/7/2023
    /// 2:59 PM"): https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-data-web-api#formatted-values.
    /// The sandbox keeps no personal settings: English (United States), times in UTC, unless the options say otherwise.
    /// </summary>
    [TestClass]
    public sealed class FormattedValueTests
    {
        private static Entity Retrieved(InMemoryDataverse dataverse, Entity row, params string[] columns)
        {
            var id = dataverse.Seed(row)[0];
            return dataverse.CreateOrganizationService(null).Retrieve(row.LogicalName, id, new ColumnSet(columns));
        }

        [TestMethod]
        public void MoneyAndDates_AreFormattedAsTheDocumentedExample()
        {
            var dataverse = new InMemoryDataverse(new InMemoryDataverseOptions { Clock = new FakeTimeProvider(new DateTimeOffset(2023, 4, 7, 21, 59, 1, TimeSpan.Zero)) });

            var row = Retrieved(dataverse, new Entity("opportunity") { ["name"] = "Deal", ["estimatedvalue"] = new Money(20000m) }, "estimatedvalue", "createdon");

            Assert.AreEqual("$20,000.00", row.FormattedValues["estimatedvalue"]);
            Assert.AreEqual("4/7/2023 9:59 PM", row.FormattedValues["createdon"], "the example's 2:59 PM was the same instant in Pacific time; the sandbox writes UTC");
        }

        [TestMethod]
        public void NumbersYesNoAndDateOnlyColumns_AreFormattedByTheirColumns()
        {
            var dataverse = InMemoryDataverse.FromSolution(RepositoryPaths.SolutionSource);
            var contact = dataverse.Seed(new Entity("contact") { ["lastname"] = "Doe" })[0];

            var row = Retrieved(dataverse, new Entity("okos_verification")
            {
                ["okos_name"] = "V-1",
                ["okos_contactid"] = new EntityReference("contact", contact),
                ["okos_matchconfidence"] = 0.9731m,
                ["okos_checkfailures"] = 1500,
                ["okos_photoincluded"] = true,
                ["okos_documentexpireson"] = new DateTime(2018, 2, 13, 0, 0, 0, DateTimeKind.Utc),
                ["okos_reservationkey"] = "V-1",
            }, "okos_matchconfidence", "okos_checkfailures", "okos_photoincluded", "okos_documentexpireson");

            Assert.AreEqual("0.9731", row.FormattedValues["okos_matchconfidence"], "a decimal keeps its column's precision");
            Assert.AreEqual("1,500", row.FormattedValues["okos_checkfailures"]);
            Assert.AreEqual("Yes", row.FormattedValues["okos_photoincluded"]);
            Assert.AreEqual("2/13/2018", row.FormattedValues["okos_documentexpireson"], "a date-only column shows no time");
        }

        [TestMethod]
        public void AMultiSelectChoice_ListsTheLabelsOfItsOptions()
        {
            var dataverse = InMemoryDataverse.FromSolution(Path.Combine(AppContext.BaseDirectory, "Fixtures", "RelationshipSolution"));

            var row = Retrieved(dataverse, new Entity("okos_club")
            {
                ["okos_name"] = "Chess",
                ["okos_meetingdays"] = new OptionSetValueCollection { new OptionSetValue(1), new OptionSetValue(5) },
            }, "okos_meetingdays");

            Assert.AreEqual("Monday; Friday", row.FormattedValues["okos_meetingdays"]);
        }

        [TestMethod]
        public void TheFormattingCulture_IsAnOption()
        {
            var dataverse = new InMemoryDataverse(new InMemoryDataverseOptions { FormattingCulture = System.Globalization.CultureInfo.GetCultureInfo("fr-FR") });

            var row = Retrieved(dataverse, new Entity("opportunity") { ["name"] = "Deal", ["estimatedvalue"] = new Money(1234.5m) }, "estimatedvalue");

            Assert.AreEqual(1234.5m.ToString("C2", System.Globalization.CultureInfo.GetCultureInfo("fr-FR")), row.FormattedValues["estimatedvalue"]);
        }
    }
}
