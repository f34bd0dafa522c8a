using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Tests.Shared;

namespace OneKosmos.Sandbox.Dataverse.Tests.Query
{
    /// <summary>
    /// #20: each FetchXML comparison and text operator name, as the condition element reference lists them
    /// (learn.microsoft.com/power-apps/developer/data-platform/fetchxml/reference/operators), reaches the operator it names,
    /// its text values read as the column's type (a whole number, a decimal).
    /// </summary>
    [TestClass]
    public sealed class FetchXmlOperatorTests
    {
        private static IOrganizationService Seeded()
        {
            var dataverse = InMemoryDataverse.FromSolution(RepositoryPaths.SolutionSource);
            var contact = new EntityReference("contact", dataverse.Seed(new Entity("contact") { ["lastname"] = "Doe" })[0]);
            Entity Verification(string name, int failures, decimal? confidence)
            {
                var row = new Entity("okos_verification")
                {
                    ["okos_name"] = name,
                    ["okos_contactid"] = contact,
                    ["okos_reservationkey"] = name,
                    ["okos_checkfailures"] = failures,
                };
                if (confidence.HasValue)
                {
                    row["okos_matchconfidence"] = confidence.Value;
                }
                return row;
            }
            dataverse.Seed(Verification("Alpha", 1, 0.5m), Verification("Beta_1", 2, 0.75m), Verification("Gamma", 3, null));
            return dataverse.CreateOrganizationService(null);
        }

        [TestMethod]
        [DataRow("okos_checkfailures", "eq", "2", "Beta_1")]
        [DataRow("okos_checkfailures", "neq", "2", "Alpha,Gamma")]
        [DataRow("okos_checkfailures", "ne", "2", "Alpha,Gamma")]
        [DataRow("okos_checkfailures", "gt", "1", "Beta_1,Gamma")]
        [DataRow("okos_checkfailures", "ge", "2", "Beta_1,Gamma")]
        [DataRow("okos_checkfailures", "lt", "2", "Alpha")]
        [DataRow("okos_checkfailures", "le", "2", "Alpha,Beta_1")]
        [DataRow("okos_matchconfidence", "gt", "0.6", "Beta_1")]
        [DataRow("okos_matchconfidence", "null", null, "Gamma")]
        [DataRow("okos_matchconfidence", "not-null", null, "Alpha,Beta_1")]
        [DataRow("okos_name", "like", "%a", "Alpha,Gamma")]
        [DataRow("okos_name", "not-like", "%a", "Beta_1")]
        [DataRow("okos_name", "begins-with", "al", "Alpha")]
        [DataRow("okos_name", "not-begin-with", "al", "Beta_1,Gamma")]
        [DataRow("okos_name", "ends-with", "_1", "Beta_1")]
        [DataRow("okos_name", "not-end-with", "_1", "Alpha,Gamma")]
        public void AnOperatorWithOneValueOrNone_NamesItsOperator(string attribute, string op, string? value, string expected)
        {
            var condition = value is null ? $"<condition attribute='{attribute}' operator='{op}' />" : $"<condition attribute='{attribute}' operator='{op}' value='{value}' />";

            CollectionAssert.AreEqual(expected.Split(','), Names(Seeded(), condition));
        }

        [TestMethod]
        [DataRow("in", "Alpha,Gamma")]
        [DataRow("not-in", "Beta_1")]
        [DataRow("between", "Alpha,Beta_1")]
        [DataRow("not-between", "Gamma")]
        public void AnOperatorWithSeveralValues_TakesThemFromValueElements(string op, string expected)
        {
            var values = op.EndsWith("in", StringComparison.Ordinal) ? "<value>1</value><value>3</value>" : "<value>1</value><value>2</value>";

            CollectionAssert.AreEqual(expected.Split(','), Names(Seeded(), $"<condition attribute='okos_checkfailures' operator='{op}'>{values}</condition>"));
        }

        [TestMethod]
        public void AValueThatIsNotOfTheColumnsType_IsRefusedNamingTheColumn()
        {
            var fault = AssertFault.Throws(DataverseErrorCodes.InvalidArgument, () => Names(Seeded(), "<condition attribute='okos_checkfailures' operator='eq' value='two' />"));

            StringAssert.Contains(fault.Message, "okos_checkfailures");
        }

        private static string[] Names(IOrganizationService service, string condition) =>
            service.RetrieveMultiple(new FetchExpression(FetchXmlSchema.Valid($"""
                <fetch>
                  <entity name="okos_verification">
                    <attribute name="okos_name" />
                    <filter>{condition}</filter>
                    <order attribute="okos_name" />
                  </entity>
                </fetch>
                """))).Entities.Select(row => row.GetAttributeValue<string>("okos_name")).ToArray();
    }
}
