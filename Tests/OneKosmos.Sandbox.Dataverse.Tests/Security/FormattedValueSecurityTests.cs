using System;
using System.IO;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace OneKosmos.Sandbox.Dataverse.Tests.Security
{
    /// <summary>A field-secured column is withheld with its formatted value: a choice's label or a lookup's name would tell what it holds.</summary>
    [TestClass]
    public sealed class FormattedValueSecurityTests
    {
        private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "SecuredChoiceSolution");

        [TestMethod]
        public void ACallerWithoutTheFieldProfile_GetsNeitherTheSecuredColumnsNorTheirFormattedValues()
        {
            var dataverse = InMemoryDataverse.FromSolution(Fixture);
            var adviser = dataverse.Seed(new Entity("contact") { ["firstname"] = "Ada", ["lastname"] = "Adviser" })[0];
            var id = dataverse.Seed(new Entity("okos_case") { ["okos_name"] = "C-1", ["okos_tier"] = new OptionSetValue(1), ["okos_adviserid"] = new EntityReference("contact", adviser) })[0];
            var reader = dataverse.AddUser("Reader", new[] { "Case Reader" });

            var asSystem = dataverse.CreateOrganizationService(null).Retrieve("okos_case", id, new ColumnSet(true));
            var asReader = dataverse.CreateOrganizationService(reader).RetrieveMultiple(new QueryExpression("okos_case") { ColumnSet = new ColumnSet(true) }).Entities.Single();

            Assert.AreEqual("Private banking", asSystem.FormattedValues["okos_tier"]);
            Assert.AreEqual("Ada Adviser", asSystem.FormattedValues["okos_adviserid"]);
            Assert.IsFalse(asReader.Contains("okos_tier") || asReader.Contains("okos_adviserid"));
            CollectionAssert.DoesNotContain(asReader.FormattedValues.Keys.ToArray(), "okos_tier");
            CollectionAssert.DoesNotContain(asReader.FormattedValues.Keys.ToArray(), "okos_adviserid");
        }
    }
}
