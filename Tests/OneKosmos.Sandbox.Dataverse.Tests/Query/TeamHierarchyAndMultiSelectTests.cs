using System;
using System.IO;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Dataverse.Tests.Query
{
    /// <summary>
    /// #20: the team operators (EqualUserTeams, EqualUserOrUserTeams: "Filter rows" in the QueryExpression guide), the
    /// hierarchy operators over a table's hierarchical relationship ("Query hierarchical data"), the multi-select choice
    /// operators ("Multi-select choice columns") and Contains (full-text only), each as Microsoft documents it.
    /// </summary>
    [TestClass]
    public sealed class TeamHierarchyAndMultiSelectTests
    {
        private static readonly string RelationshipSolution = Path.Combine(AppContext.BaseDirectory, "Fixtures", "RelationshipSolution");

        private static string[] Names(IOrganizationService service, string table, string nameColumn, string column, ConditionOperator op, params object[] values)
        {
            var query = new QueryExpression(table) { ColumnSet = new ColumnSet(nameColumn) };
            query.Criteria.AddCondition(column, op, values);
            query.AddOrder(nameColumn, OrderType.Ascending);
            return service.RetrieveMultiple(query).Entities.Select(row => row.GetAttributeValue<string>(nameColumn)).ToArray();
        }

        [TestMethod]
        public void TeamOperators_MatchRowsOwnedByTheCallersTeams_OrByTheCaller()
        {
            var dataverse = InMemoryDataverse.FromSolution(RelationshipSolution);
            var sam = dataverse.AddUser("Sam", new[] { "Club Viewer" });
            var other = dataverse.AddUser("Other", new[] { "Club Viewer" });
            var rowing = dataverse.AddTeam("Rowing desk", new[] { sam });
            var chess = dataverse.AddTeam("Chess desk", new[] { other });
            dataverse.Seed(
                new Entity("okos_club") { ["okos_name"] = "Rowing", ["ownerid"] = new EntityReference("team", rowing) },
                new Entity("okos_club") { ["okos_name"] = "Chess", ["ownerid"] = new EntityReference("team", chess) },
                new Entity("okos_club") { ["okos_name"] = "Sam's own", ["ownerid"] = new EntityReference("systemuser", sam) });
            var asSam = dataverse.CreateOrganizationService(sam);

            CollectionAssert.AreEqual(new[] { "Rowing" }, Names(asSam, "okos_club", "okos_name", "ownerid", ConditionOperator.EqualUserTeams));
            CollectionAssert.AreEqual(new[] { "Rowing", "Sam's own" }, Names(asSam, "okos_club", "okos_name", "ownerid", ConditionOperator.EqualUserOrUserTeams));
        }

        /// <summary>EqualUserOrUserHierarchy(AndTeams): rows of the caller, of the users below them by manager, and of their teams.</summary>
        [TestMethod]
        public void UserHierarchyOperators_FollowTheManagerChain()
        {
            var dataverse = InMemoryDataverse.FromSolution(RelationshipSolution);
            var manager = dataverse.AddUser("Manager", new[] { "Club Viewer" });
            var report = dataverse.AddUser("Report", new[] { "Club Viewer" });
            var reportOfReport = dataverse.AddUser("Report of report", new[] { "Club Viewer" });
            var stranger = dataverse.AddUser("Stranger", new[] { "Club Viewer" });
            var system = dataverse.CreateOrganizationService(null);
            system.Update(new Entity("systemuser", report) { ["parentsystemuserid"] = new EntityReference("systemuser", manager) });
            system.Update(new Entity("systemuser", reportOfReport) { ["parentsystemuserid"] = new EntityReference("systemuser", report) });
            var desk = dataverse.AddTeam("Manager's desk", new[] { manager });
            foreach (var (name, owner) in new[] { ("Mine", manager), ("Report's", report), ("Report of report's", reportOfReport), ("Stranger's", stranger) })
            {
                dataverse.Seed(new Entity("okos_club") { ["okos_name"] = name, ["ownerid"] = new EntityReference("systemuser", owner) });
            }
            dataverse.Seed(new Entity("okos_club") { ["okos_name"] = "Desk's", ["ownerid"] = new EntityReference("team", desk) });
            var asManager = dataverse.CreateOrganizationService(manager);

            CollectionAssert.AreEqual(new[] { "Mine", "Report of report's", "Report's" }, Names(asManager, "okos_club", "okos_name", "ownerid", ConditionOperator.EqualUserOrUserHierarchy));
            CollectionAssert.AreEqual(new[] { "Desk's", "Mine", "Report of report's", "Report's" }, Names(asManager, "okos_club", "okos_name", "ownerid", ConditionOperator.EqualUserOrUserHierarchyAndTeams));
        }

        private static (IOrganizationService Service, Guid Holding, Guid Europe, Guid Paris) AccountHierarchy()
        {
            var dataverse = new InMemoryDataverse();
            var holding = dataverse.Seed(new Entity("account") { ["name"] = "Holding" })[0];
            var europe = dataverse.Seed(new Entity("account") { ["name"] = "Europe", ["parentaccountid"] = new EntityReference("account", holding) })[0];
            var paris = dataverse.Seed(new Entity("account") { ["name"] = "Paris", ["parentaccountid"] = new EntityReference("account", europe) })[0];
            dataverse.Seed(new Entity("account") { ["name"] = "Elsewhere" });
            return (dataverse.CreateOrganizationService(null), holding, europe, paris);
        }

        [TestMethod]
        [DataRow(ConditionOperator.Under, "holding", "Europe,Paris")]
        [DataRow(ConditionOperator.UnderOrEqual, "holding", "Europe,Holding,Paris")]
        [DataRow(ConditionOperator.NotUnder, "europe", "Elsewhere,Europe,Holding")]
        [DataRow(ConditionOperator.Above, "paris", "Europe,Holding")]
        [DataRow(ConditionOperator.AboveOrEqual, "europe", "Europe,Holding")]
        public void HierarchyOperators_FollowTheParentAccountChain(ConditionOperator op, string from, string expected)
        {
            var (service, holding, europe, paris) = AccountHierarchy();
            var id = from switch { "holding" => holding, "europe" => europe, _ => paris };

            CollectionAssert.AreEqual(expected.Split(','), Names(service, "account", "name", "accountid", op, id));
        }

        [TestMethod]
        public void HierarchyOperators_InFetchXml()
        {
            var (service, holding, _, _) = AccountHierarchy();

            var rows = service.RetrieveMultiple(new FetchExpression(FetchXmlSchema.Valid($"""
                <fetch>
                  <entity name="account">
                    <attribute name="name" />
                    <filter><condition attribute="accountid" operator="eq-or-under" value="{holding}" /></filter>
                    <order attribute="name" />
                  </entity>
                </fetch>
                """))).Entities;

            CollectionAssert.AreEqual(new[] { "Europe", "Holding", "Paris" }, rows.Select(row => row.GetAttributeValue<string>("name")).ToArray());
        }

        [TestMethod]
        public void AHierarchyOperator_OnATableWithoutAHierarchy_IsRefusedSayingSo()
        {
            var service = new InMemoryDataverse().CreateOrganizationService(null);
            var id = service.Create(new Entity("contact") { ["lastname"] = "Doe" });

            StringAssert.Contains(AssertFault.Throws(DataverseErrorCodes.InvalidArgument, () => Names(service, "contact", "lastname", "contactid", ConditionOperator.Under, id)).Message, "hierarchical relationship");
        }

        private static IOrganizationService Clubs()
        {
            var dataverse = InMemoryDataverse.FromSolution(RelationshipSolution);
            dataverse.Seed(
                new Entity("okos_club") { ["okos_name"] = "Chess", ["okos_meetingdays"] = new OptionSetValueCollection { new OptionSetValue(1), new OptionSetValue(3) } },
                new Entity("okos_club") { ["okos_name"] = "Rowing", ["okos_meetingdays"] = new OptionSetValueCollection { new OptionSetValue(5) } },
                new Entity("okos_club") { ["okos_name"] = "Dormant" });
            return dataverse.CreateOrganizationService(null);
        }

        [TestMethod]
        public void AMultiSelectChoice_IsReadFromTheSolution_AndAnOptionItDoesNotHaveIsRefused()
        {
            var service = Clubs();

            var fault = AssertFault.Throws(DataverseErrorCodes.InvalidArgument, () => service.Create(new Entity("okos_club")
            {
                ["okos_name"] = "Odd",
                ["okos_meetingdays"] = new OptionSetValueCollection { new OptionSetValue(1), new OptionSetValue(2) },
            }));

            StringAssert.Contains(fault.Message, "has no option 2");
        }

        [TestMethod]
        public void ContainValues_MatchesAnyChosenValue_AndDoesNotContainValuesNone()
        {
            var service = Clubs();

            CollectionAssert.AreEqual(new[] { "Chess", "Rowing" }, Names(service, "okos_club", "okos_name", "okos_meetingdays", ConditionOperator.ContainValues, 3, 5));
            CollectionAssert.AreEqual(new[] { "Rowing" }, Names(service, "okos_club", "okos_name", "okos_meetingdays", ConditionOperator.DoesNotContainValues, 1));
        }

        [TestMethod]
        public void ContainValues_InFetchXml_TakesValueElements()
        {
            var rows = Clubs().RetrieveMultiple(new FetchExpression(FetchXmlSchema.Valid("""
                <fetch>
                  <entity name="okos_club">
                    <attribute name="okos_name" />
                    <filter><condition attribute="okos_meetingdays" operator="contain-values"><value>1</value></condition></filter>
                  </entity>
                </fetch>
                """))).Entities;

            CollectionAssert.AreEqual(new[] { "Chess" }, rows.Select(row => row.GetAttributeValue<string>("okos_name")).ToArray());
        }

        /// <summary>
        /// Contains is a full-text search, and "only the Dynamics 365 KBArticle (article) table has columns that have full-text
        /// indexing" (Web API "Query data"): on any other column Dataverse cannot run it, so neither does the sandbox.
        /// </summary>
        [TestMethod]
        [DataRow(ConditionOperator.Contains)]
        [DataRow(ConditionOperator.DoesNotContain)]
        public void Contains_OnAColumnWithoutAFullTextIndex_IsRefused_PointingToLike(ConditionOperator op)
        {
            var service = new InMemoryDataverse().CreateOrganizationService(null);
            service.Create(new Entity("account") { ["name"] = "Contoso Bank" });

            StringAssert.Contains(AssertFault.Throws(DataverseErrorCodes.InvalidArgument, () => Names(service, "account", "name", "name", op, "bank")).Message, "Like");
        }

        [TestMethod]
        public void AHierarchicalRelationship_IsReadFromTheSolution()
        {
            Assert.AreEqual("parentaccountid", new InMemoryDataverse().Metadata!.Table("account")!.HierarchyColumn);
        }
    }
}
