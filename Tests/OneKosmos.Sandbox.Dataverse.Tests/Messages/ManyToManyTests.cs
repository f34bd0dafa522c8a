using System;
using System.IO;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Dataverse.Tests.Messages
{
    /// <summary>
    /// #20: Associate and Disassociate over the solution's many-to-many relationships, as "Associate and disassociate table rows
    /// using the SDK for .NET" describes them
    /// (https://learn.microsoft.com/power-apps/developer/data-platform/org-service/entity-operations-associate-disassociate);
    /// the links are intersect rows that queries reach like any table (FetchXML: link-entity intersect="true").
    /// </summary>
    [TestClass]
    public sealed class ManyToManyTests
    {
        private static readonly string FixtureSolution = Path.Combine(AppContext.BaseDirectory, "Fixtures", "RelationshipSolution");
        private static readonly Relationship Members = new("okos_Club_Contact");

        private InMemoryDataverse _dataverse = null!;
        private IOrganizationService _service = null!;
        private EntityReference _chess = null!;
        private EntityReference _rowing = null!;
        private EntityReference _jane = null!;
        private EntityReference _john = null!;

        [TestInitialize]
        public void Seed()
        {
            _dataverse = InMemoryDataverse.FromSolution(FixtureSolution);
            _service = _dataverse.CreateOrganizationService(null);
            _chess = new EntityReference("okos_club", _dataverse.Seed(new Entity("okos_club") { ["okos_name"] = "Chess" })[0]);
            _rowing = new EntityReference("okos_club", _dataverse.Seed(new Entity("okos_club") { ["okos_name"] = "Rowing" })[0]);
            _jane = new EntityReference("contact", _dataverse.Seed(new Entity("contact") { ["firstname"] = "Jane", ["lastname"] = "Doe" })[0]);
            _john = new EntityReference("contact", _dataverse.Seed(new Entity("contact") { ["firstname"] = "John", ["lastname"] = "Smith" })[0]);
        }

        private string[] MembersOf(EntityReference club, IOrganizationService? asUser = null)
        {
            var query = new QueryExpression("contact") { ColumnSet = new ColumnSet("fullname") };
            var intersect = query.AddLink("okos_club_contact", "contactid", "contactid");
            intersect.LinkCriteria.AddCondition("okos_clubid", ConditionOperator.Equal, club.Id);
            query.AddOrder("fullname", OrderType.Ascending);
            return (asUser ?? _service).RetrieveMultiple(query).Entities.Select(row => row.GetAttributeValue<string>("fullname")).ToArray();
        }

        private EntityReferenceCollection Refs(params EntityReference[] rows) => new(rows.ToList());

        [TestMethod]
        public void TheSolutionsManyToManyRelationships_AreRead_WithTheirIntersectColumns()
        {
            var members = _dataverse.Metadata!.ManyToMany("okos_club_contact")!;
            var partners = _dataverse.Metadata.ManyToMany("okos_Club_Partner")!;

            Assert.AreEqual(("okos_club_contact", "okos_club", "okos_clubid", "contact", "contactid"), (members.IntersectTable, members.Table1, members.IntersectColumn1, members.Table2, members.IntersectColumn2));
            Assert.AreEqual(("okos_clubidone", "okos_clubidtwo"), (partners.IntersectColumn1, partners.IntersectColumn2), "a table related to itself: {id}one and {id}two");
        }

        [TestMethod]
        public void ARelationshipNamingItsLookupBySchemaName_IsRead()
        {
            CollectionAssert.AreEqual(new[] { "contact" }, _dataverse.Metadata!.Table("okos_club")!.Column("okos_presidentid")!.Targets.ToArray());
        }

        [TestMethod]
        public void Associate_LinksEveryRelatedRow_AndAQueryThroughTheIntersectTableFindsThem()
        {
            _service.Associate("okos_club", _chess.Id, Members, Refs(_jane, _john));

            CollectionAssert.AreEqual(new[] { "Jane Doe", "John Smith" }, MembersOf(_chess));
            Assert.AreEqual(0, MembersOf(_rowing).Length);
        }

        [TestMethod]
        public void Associate_FromTheOtherSide_WritesTheSameLink()
        {
            _service.Associate("contact", _jane.Id, Members, Refs(_chess));

            var link = _service.RetrieveMultiple(new QueryExpression("okos_club_contact") { ColumnSet = new ColumnSet(true) }).Entities.Single();
            Assert.AreEqual((_chess.Id, _jane.Id), ((Guid)link["okos_clubid"], (Guid)link["contactid"]));
        }

        [TestMethod]
        public void FetchXml_ReachesTheLinks_ThroughAnIntersectLinkEntity()
        {
            _service.Associate("okos_club", _rowing.Id, Members, Refs(_john));

            var clubs = _service.RetrieveMultiple(new FetchExpression($"""
                <fetch>
                  <entity name="okos_club">
                    <attribute name="okos_name" />
                    <link-entity name="okos_club_contact" from="okos_clubid" to="okos_clubid" intersect="true">
                      <filter><condition attribute="contactid" operator="eq" value="{_john.Id}" /></filter>
                    </link-entity>
                  </entity>
                </fetch>
                """)).Entities;

            CollectionAssert.AreEqual(new[] { "Rowing" }, clubs.Select(club => club.GetAttributeValue<string>("okos_name")).ToArray());
        }

        [TestMethod]
        public void AssociatingRowsAlreadyLinked_FaultsAsADuplicate()
        {
            _service.Associate("okos_club", _chess.Id, Members, Refs(_jane));

            AssertFault.Throws(DataverseErrorCodes.DuplicateRecord, () => _service.Associate("contact", _jane.Id, Members, Refs(_chess)));
        }

        [TestMethod]
        public void Disassociate_RemovesOnlyTheNamedLinks()
        {
            _service.Associate("okos_club", _chess.Id, Members, Refs(_jane, _john));

            _service.Disassociate("okos_club", _chess.Id, Members, Refs(_jane));

            CollectionAssert.AreEqual(new[] { "John Smith" }, MembersOf(_chess));
        }

        [TestMethod]
        public void DeletingARow_RemovesItsLinks()
        {
            _service.Associate("okos_club", _chess.Id, Members, Refs(_jane, _john));

            _service.Delete("contact", _jane.Id);

            Assert.AreEqual(1, _dataverse.Rows("okos_club_contact").Count);
        }

        [TestMethod]
        public void ATableRelatedToItself_LinksTheTargetFirst()
        {
            _service.Associate("okos_club", _chess.Id, new Relationship("okos_Club_Partner"), Refs(_rowing));

            var link = _dataverse.Rows("okos_club_partner").Single();
            Assert.AreEqual((_chess.Id, _rowing.Id), ((Guid)link["okos_clubidone"], (Guid)link["okos_clubidtwo"]));
        }

        [TestMethod]
        public void AnUnknownRelationship_FaultsNamingIt()
        {
            var fault = AssertFault.Throws(DataverseErrorCodes.InvalidArgument, () => _service.Associate("okos_club", _chess.Id, new Relationship("okos_Club_Sponsor"), Refs(_jane)));

            StringAssert.Contains(fault.Message, "okos_Club_Sponsor");
        }

        [TestMethod]
        public void ARowOfATableTheRelationshipDoesNotRelate_IsRefused()
        {
            var account = new EntityReference("account", _dataverse.Seed(new Entity("account") { ["name"] = "Contoso" })[0]);

            var fault = AssertFault.Throws(DataverseErrorCodes.InvalidArgument, () => _service.Associate("okos_club", _chess.Id, Members, Refs(account)));

            StringAssert.Contains(fault.Message, "relates okos_club and contact");
        }

        [TestMethod]
        public void AMissingRelatedRow_Faults_AndTheLinksBeforeItInTheRequestAreUndone()
        {
            AssertFault.Throws(DataverseErrorCodes.ObjectDoesNotExist, () => _service.Associate("okos_club", _chess.Id, Members, Refs(_jane, new EntityReference("contact", Guid.NewGuid()))));

            Assert.AreEqual(0, _dataverse.Rows("okos_club_contact").Count);
        }

        [TestMethod]
        public void AStepOnAssociate_RunsWithTheRelationshipAndTheRelatedRows()
        {
            IPluginExecutionContext? seen = null;
            _dataverse.RegisterStep(
                new StepRegistration { Name = "Associate at post-operation", MessageName = "Associate", Stage = PipelineStage.PostOperation, Mode = ExecutionMode.Synchronous, PluginTypeName = "Test.Recorder" },
                new Recorder(context => seen = context));

            _service.Associate("okos_club", _chess.Id, Members, Refs(_jane));

            Assert.AreEqual(_chess, seen!.InputParameters["Target"]);
            Assert.AreEqual(Members, seen.InputParameters["Relationship"]);
            CollectionAssert.AreEqual(new[] { _jane }, ((EntityReferenceCollection)seen.InputParameters["RelatedEntities"]).ToArray());
        }

        [TestMethod]
        public void IntersectRows_CannotBeWrittenDirectly_SoALinkCannotBeForged()
        {
            AssertFault.Throws(DataverseErrorCodes.InvalidArgument, () => _service.Create(new Entity("okos_club_contact") { ["okos_clubid"] = _chess.Id, ["contactid"] = _jane.Id }));
            _service.Associate("okos_club", _chess.Id, Members, Refs(_jane));
            var link = _dataverse.Rows("okos_club_contact").Single();
            AssertFault.Throws(DataverseErrorCodes.InvalidArgument, () => _service.Update(new Entity("okos_club_contact", link.Id) { ["contactid"] = _john.Id }));
            AssertFault.Throws(DataverseErrorCodes.InvalidArgument, () => _service.Delete("okos_club_contact", link.Id));
        }

        [TestMethod]
        public void ASecretary_WithWriteAppendAndAppendTo_Associates_AndAViewerCannot()
        {
            var secretary = _dataverse.CreateOrganizationService(_dataverse.AddUser("Sam Secretary", new[] { "Club Secretary" }));
            var viewer = _dataverse.CreateOrganizationService(_dataverse.AddUser("Vic Viewer", new[] { "Club Viewer" }));

            secretary.Associate("okos_club", _chess.Id, Members, Refs(_jane));

            AssertFault.Throws(DataverseErrorCodes.PrivilegeDenied, () => viewer.Associate("okos_club", _chess.Id, Members, Refs(_john)));
            AssertFault.Throws(DataverseErrorCodes.PrivilegeDenied, () => viewer.Disassociate("okos_club", _chess.Id, Members, Refs(_jane)));
            CollectionAssert.AreEqual(new[] { "Jane Doe" }, MembersOf(_chess, secretary));
        }

        [TestMethod]
        public void WhoBelongsWhere_IsHiddenFromACallerWhoCannotReadBothTables()
        {
            _service.Associate("okos_club", _chess.Id, Members, Refs(_jane));
            var viewer = _dataverse.CreateOrganizationService(_dataverse.AddUser("Vic Viewer", new[] { "Club Viewer" }));

            AssertFault.Throws(DataverseErrorCodes.PrivilegeDenied, () => viewer.RetrieveMultiple(new QueryExpression("okos_club_contact") { ColumnSet = new ColumnSet(true) }));
            var clubs = new QueryExpression("okos_club");
            clubs.AddLink("okos_club_contact", "okos_clubid", "okos_clubid");
            AssertFault.Throws(DataverseErrorCodes.PrivilegeDenied, () => viewer.RetrieveMultiple(clubs));
        }

        private sealed class Recorder : IPlugin
        {
            private readonly Action<IPluginExecutionContext> _record;

            public Recorder(Action<IPluginExecutionContext> record)
            {
                _record = record;
            }

            public void Execute(IServiceProvider serviceProvider) => _record((IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!);
        }
    }
}
