using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Tests.Shared;

namespace OneKosmos.Sandbox.Dataverse.Tests.Security
{
    /// <summary>The roles and field security profiles the solution ships, enforced for users who hold them.</summary>
    [TestClass]
    public sealed class SolutionSecurityTests
    {
        private const int Pending = 715900000;
        private const int IdentityProofing = 715900000;

        private InMemoryDataverse _dataverse = null!;
        private Guid _contact;

        [TestInitialize]
        public void LoadProductSolution()
        {
            _dataverse = InMemoryDataverse.FromSolution(RepositoryPaths.SolutionSource);
            _contact = _dataverse.Seed(new Entity("contact") { ["lastname"] = "Doe" })[0];
        }

        private IOrganizationService As(Guid user) => _dataverse.CreateOrganizationService(user);

        private Entity Verification(string session, Guid? owner = null)
        {
            var row = new Entity("okos_verification")
            {
                ["okos_name"] = session,
                ["okos_reservationkey"] = $"{_contact}:IdentityProofing:{session}",
                ["okos_contactid"] = new EntityReference("contact", _contact),
                ["okos_status"] = new OptionSetValue(Pending),
                ["okos_journey"] = new OptionSetValue(IdentityProofing),
            };
            if (owner.HasValue)
            {
                row["ownerid"] = new EntityReference("systemuser", owner.Value);
            }
            return row;
        }

        [TestMethod]
        public void Agent_CreatesAndReadsVerificationsOfTheirBusinessUnit()
        {
            var agent = _dataverse.AddUser("Agent", new[] { "Verification Agent", "Salesperson" });

            var id = As(agent).Create(Verification("S-1"));

            Assert.AreEqual(new EntityReference("systemuser", agent), _dataverse.Rows("okos_verification").Single()["ownerid"]);
            Assert.AreEqual("S-1", As(agent).Retrieve("okos_verification", id, new ColumnSet("okos_name"))["okos_name"]);
        }

        [TestMethod]
        public void Agent_CannotReadAVerificationOwnedInAnotherBusinessUnit()
        {
            var branch = _dataverse.AddBusinessUnit("Branch");
            var agent = _dataverse.AddUser("Agent", new[] { "Verification Agent", "Salesperson" });
            var other = _dataverse.AddUser("Other agent", new[] { "Verification Agent", "Salesperson" }, businessUnit: branch);
            var theirs = As(other).Create(Verification("S-1"));
            As(agent).Create(Verification("S-2"));

            AssertFault.Throws(DataverseErrorCodes.AccessDenied, () => As(agent).Retrieve("okos_verification", theirs, new ColumnSet(true)));
            var visible = As(agent).RetrieveMultiple(new QueryExpression("okos_verification") { ColumnSet = new ColumnSet("okos_name") });
            CollectionAssert.AreEqual(new[] { "S-2" }, visible.Entities.Select(row => row["okos_name"]).ToArray());
        }

        [TestMethod]
        public void Agent_CannotUpdateOrDeleteVerifications()
        {
            var agent = _dataverse.AddUser("Agent", new[] { "Verification Agent", "Salesperson" });
            var id = As(agent).Create(Verification("S-1"));

            var update = AssertFault.Throws(DataverseErrorCodes.PrivilegeDenied, () => As(agent).Update(new Entity("okos_verification", id) { ["okos_documenttype"] = "passport" }));
            AssertFault.Throws(DataverseErrorCodes.PrivilegeDenied, () => As(agent).Delete("okos_verification", id));

            StringAssert.Contains(update.Message, "prvWriteokos_verification");
        }

        [TestMethod]
        public void Agent_CannotReadTheConnectionTable()
        {
            var agent = _dataverse.AddUser("Agent", new[] { "Verification Agent", "Salesperson" });

            var fault = AssertFault.Throws(DataverseErrorCodes.PrivilegeDenied, () => As(agent).RetrieveMultiple(new QueryExpression("okos_blockidconnection") { ColumnSet = new ColumnSet(true) }));

            StringAssert.Contains(fault.Message, "prvReadokos_blockidconnection");
        }

        [TestMethod]
        public void Relay_CreatesReceipts_AndNeitherReadsNorWritesVerifications()
        {
            var relay = _dataverse.AddUser("Relay", new[] { "Verification Relay" });
            var id = _dataverse.Seed(Verification("S-1"))[0];

            As(relay).Create(new Entity("okos_callbackreceipt") { ["okos_name"] = "m-1", ["okos_messageid"] = "m-1" });

            AssertFault.Throws(DataverseErrorCodes.PrivilegeDenied, () => As(relay).Update(new Entity("okos_verification", id) { ["okos_documenttype"] = "passport" }));
            AssertFault.Throws(DataverseErrorCodes.PrivilegeDenied, () => As(relay).Retrieve("okos_verification", id, new ColumnSet(true)));
            AssertFault.Throws(DataverseErrorCodes.PrivilegeDenied, () => As(relay).RetrieveMultiple(new QueryExpression("okos_blockidconnection") { ColumnSet = new ColumnSet(false) }));
        }

        [TestMethod]
        public void SecuredColumn_WithoutAProfile_ReadsAsEmptyAndCannotBeWritten()
        {
            var agentWithoutProfile = _dataverse.AddUser("Agent", new[] { "Verification Agent", "Salesperson" });
            var row = Verification("S-1", agentWithoutProfile);
            row["okos_captureurl"] = "https://capture.example/secret-link";
            var id = _dataverse.Seed(row)[0];

            var read = As(agentWithoutProfile).Retrieve("okos_verification", id, new ColumnSet(true));
            var queried = As(agentWithoutProfile).RetrieveMultiple(new QueryExpression("okos_verification") { ColumnSet = new ColumnSet("okos_captureurl") }).Entities.Single();
            var write = Verification("S-2");
            write["okos_captureurl"] = "https://capture.example/other";

            Assert.IsFalse(read.Contains("okos_captureurl"));
            Assert.IsFalse(queried.Contains("okos_captureurl"));
            var fault = AssertFault.Throws(DataverseErrorCodes.PrivilegeDenied, () => As(agentWithoutProfile).Create(write));
            StringAssert.Contains(fault.Message, "okos_captureurl");
        }

        /// <summary>
        /// Attack (#20): FetchXML, QueryByAttribute and the filtering link types are new ways to ask for rows; as an agent and
        /// as the relay (the roles we ship) they give no more than a QueryExpression: no connection secrets, no capture link
        /// without the profile, no rows of a table the role cannot read, not even by testing a linked row's existence.
        /// </summary>
        [TestMethod]
        public void NewQueryForms_GiveNoMoreThanTheRolesAllow()
        {
            var agentWithoutProfile = _dataverse.AddUser("Agent", new[] { "Verification Agent", "Salesperson" });
            var relay = _dataverse.AddUser("Relay", new[] { "Verification Relay" });
            var row = Verification("S-1", agentWithoutProfile);
            row["okos_captureurl"] = "https://capture.example/secret-link";
            _dataverse.Seed(row);

            var fetched = As(agentWithoutProfile).RetrieveMultiple(new FetchExpression(
                "<fetch><entity name='okos_verification'><all-attributes /></entity></fetch>")).Entities.Single();
            var byAttribute = new QueryByAttribute("okos_verification") { ColumnSet = new ColumnSet(true) };
            byAttribute.AddAttributeValue("okos_sessionid", "S-1");

            Assert.IsFalse(fetched.Contains("okos_captureurl"), "FetchXML withholds the secured link");
            Assert.AreEqual(0, As(agentWithoutProfile).RetrieveMultiple(new FetchExpression(
                "<fetch><entity name='okos_verification'><attribute name='okos_name' /><filter><condition attribute='okos_captureurl' operator='like' value='https://capture.example/s%' /></filter></entity></fetch>")).Entities.Count,
                "a filter on a secured column it cannot read finds nothing: the link cannot be searched out letter by letter");
            Assert.AreEqual(1, _dataverse.CreateOrganizationService(null).RetrieveMultiple(new FetchExpression(
                "<fetch><entity name='okos_verification'><attribute name='okos_name' /><filter><condition attribute='okos_captureurl' operator='like' value='https://capture.example/s%' /></filter></entity></fetch>")).Entities.Count,
                "SYSTEM, which may read it, finds the row");
            AssertFault.Throws(DataverseErrorCodes.PrivilegeDenied, () => As(agentWithoutProfile).RetrieveMultiple(new FetchExpression(
                "<fetch><entity name='okos_blockidconnection'><attribute name='okos_licensekey' /></entity></fetch>")));
            AssertFault.Throws(DataverseErrorCodes.PrivilegeDenied, () => As(relay).RetrieveMultiple(byAttribute));
            var probe = new QueryExpression("contact") { ColumnSet = new ColumnSet(false) };
            probe.AddLink("okos_verification", "contactid", "okos_contactid", JoinOperator.Exists);
            AssertFault.Throws(DataverseErrorCodes.PrivilegeDenied, () => As(relay).RetrieveMultiple(probe));
        }

        /// <summary>
        /// Attack (#20): aggregates and aliases are one more way to learn a secured value — group by the capture link, count
        /// the rows with one, take its min, or ask for it under another name. As the agent without the profile, each sees
        /// the column as empty; SYSTEM sees it.
        /// </summary>
        [TestMethod]
        public void AggregatesAndAliases_TellNothingOfASecuredColumn()
        {
            var agentWithoutProfile = _dataverse.AddUser("Agent", new[] { "Verification Agent", "Salesperson" });
            var row = Verification("S-1", agentWithoutProfile);
            row["okos_captureurl"] = "https://capture.example/secret-link";
            _dataverse.Seed(row);
            const string Aggregate = """
                <fetch aggregate="true">
                  <entity name="okos_verification">
                    <attribute name="okos_captureurl" alias="link" groupby="true" />
                    <attribute name="okos_captureurl" alias="links" aggregate="countcolumn" />
                    <attribute name="okos_captureurl" alias="first" aggregate="min" />
                  </entity>
                </fetch>
                """;
            const string Aliased = "<fetch><entity name='okos_verification'><attribute name='okos_captureurl' alias='innocent' /></entity></fetch>";

            var asAgent = As(agentWithoutProfile).RetrieveMultiple(new FetchExpression(Aggregate)).Entities.Single();
            var asSystem = _dataverse.CreateOrganizationService(null).RetrieveMultiple(new FetchExpression(Aggregate)).Entities.Single();

            Assert.IsFalse(asAgent.Contains("link") || asAgent.Contains("first"), "no group value, no min");
            Assert.AreEqual(0, ((AliasedValue)asAgent["links"]).Value, "not even how many rows have a link");
            Assert.AreEqual("https://capture.example/secret-link", ((AliasedValue)asSystem["first"]).Value);
            Assert.IsFalse(As(agentWithoutProfile).RetrieveMultiple(new FetchExpression(Aliased)).Entities.Single().Contains("innocent"));
        }

        [TestMethod]
        public void SecuredColumn_AgentProfile_ReadsTheCaptureLinkButTheAdministratorProfileAloneReadsSecrets()
        {
            var agent = _dataverse.AddUser("Agent", new[] { "Verification Agent", "Salesperson" }, new[] { "Verification Agent" });
            var administrator = _dataverse.AddUser("Admin", new[] { "Verification Administrator" }, new[] { "Verification Administrator" });
            var row = Verification("S-1", agent);
            row["okos_captureurl"] = "https://capture.example/link";
            var id = _dataverse.Seed(row)[0];
            var connection = _dataverse.Seed(new Entity("okos_blockidconnection")
            {
                ["okos_name"] = "Production",
                ["okos_tenantdns"] = "acme.example",
                ["okos_community"] = "default",
                ["okos_licensekey"] = "license-key-value",
            })[0];

            Assert.AreEqual("https://capture.example/link", As(agent).Retrieve("okos_verification", id, new ColumnSet("okos_captureurl"))["okos_captureurl"]);
            Assert.AreEqual("license-key-value", As(administrator).Retrieve("okos_blockidconnection", connection, new ColumnSet("okos_licensekey"))["okos_licensekey"]);
        }

        [TestMethod]
        public void AdministratorRoleWithoutTheProfile_CannotReadSecretsNorWhereTheyAreSent()
        {
            var administrator = _dataverse.AddUser("Admin", new[] { "Verification Administrator" });
            var connection = _dataverse.Seed(new Entity("okos_blockidconnection")
            {
                ["okos_name"] = "Production",
                ["okos_tenantdns"] = "acme.example",
                ["okos_community"] = "default",
                ["okos_licensekey"] = "license-key-value",
            })[0];

            var row = As(administrator).Retrieve("okos_blockidconnection", connection, new ColumnSet(true));

            Assert.AreEqual("default", row["okos_community"]);
            Assert.IsFalse(row.Contains("okos_licensekey"));
            Assert.IsFalse(row.Contains("okos_tenantdns"), "the tenant the license key is sent to is field-secured too");
        }

        [TestMethod]
        [DataRow("okos_tenantdns", "attacker.example")]
        [DataRow("okos_entracallbackurl", "https://attacker.example/callbacks/entra")]
        public void SomeoneWhoMayWriteTheConnectionButLacksTheProfile_CannotRedirectItsSecrets(string column, string value)
        {
            var writer = _dataverse.AddUser("Admin without the profile", new[] { "Verification Administrator" });
            var connection = _dataverse.Seed(new Entity("okos_blockidconnection")
            {
                ["okos_name"] = "Production",
                ["okos_tenantdns"] = "acme.example",
                ["okos_community"] = "default",
                ["okos_entracallbackurl"] = "https://relay.example/callbacks/entra",
            })[0];

            Assert.ThrowsExactly<System.ServiceModel.FaultException<OrganizationServiceFault>>(() => As(writer).Update(new Entity("okos_blockidconnection", connection) { [column] = value }));

            Assert.AreNotEqual(value, _dataverse.Rows("okos_blockidconnection").Single()[column]);
        }

        [TestMethod]
        public void CustomApiExecutePrivilege_IsDemandedOfRegisteredUsers()
        {
            _dataverse.RegisterMessage("okos_ProcessVerificationCallback", _ => new OrganizationResponse { ["Outcome"] = "Applied" }, "prvCreateokos_callbackreceipt");
            var relay = _dataverse.AddUser("Relay", new[] { "Verification Relay" });
            var agent = _dataverse.AddUser("Agent", new[] { "Verification Agent", "Salesperson" });

            var response = As(relay).Execute(new OrganizationRequest("okos_ProcessVerificationCallback"));
            var fault = AssertFault.Throws(DataverseErrorCodes.PrivilegeDenied, () => As(agent).Execute(new OrganizationRequest("okos_ProcessVerificationCallback")));

            Assert.AreEqual("Applied", response["Outcome"]);
            StringAssert.Contains(fault.Message, "prvCreateokos_callbackreceipt");
        }

        [TestMethod]
        public void SystemService_IsNotRestricted()
        {
            _dataverse.AddUser("Agent", new[] { "Verification Agent", "Salesperson" });

            var id = _dataverse.CreateOrganizationService(null).Create(new Entity("okos_blockidconnection") { ["okos_name"] = "P", ["okos_tenantdns"] = "t", ["okos_community"] = "c" });

            Assert.AreNotEqual(Guid.Empty, id);
        }

        [TestMethod]
        public void StandardTables_DemandThePlatformsPrivileges_AnAgentWithOnlyOurRoleReadsNoContact()
        {
            var onlyOurRole = _dataverse.AddUser("Agent", new[] { "Verification Agent" });

            var read = AssertFault.Throws(DataverseErrorCodes.PrivilegeDenied, () => As(onlyOurRole).Retrieve("contact", _contact, new ColumnSet("lastname")));
            var note = AssertFault.Throws(DataverseErrorCodes.PrivilegeDenied, () => As(onlyOurRole).Create(new Entity("annotation") { ["subject"] = "x" }));

            StringAssert.Contains(read.Message, "prvReadContact");
            StringAssert.Contains(note.Message, "prvCreateNote");
        }

        [TestMethod]
        public void StandardTables_ReachOnlyAsDeepAsTheRole_ASalespersonWritesOwnContactsAndReadsTheirUnitsOnly()
        {
            var branch = _dataverse.AddBusinessUnit("Branch");
            var salesperson = _dataverse.AddUser("Seller", new[] { "Salesperson" });
            var colleague = _dataverse.AddUser("Colleague", new[] { "Salesperson" });
            var elsewhere = _dataverse.AddUser("Elsewhere", new[] { "Salesperson" }, businessUnit: branch);
            var own = As(salesperson).Create(new Entity("contact") { ["lastname"] = "Own" });
            var colleagues = As(colleague).Create(new Entity("contact") { ["lastname"] = "Theirs" });

            As(salesperson).Update(new Entity("contact", own) { ["firstname"] = "Ann" });
            Assert.AreEqual("Theirs", As(salesperson).Retrieve("contact", colleagues, new ColumnSet("lastname"))["lastname"]);
            AssertFault.Throws(DataverseErrorCodes.AccessDenied, () => As(salesperson).Update(new Entity("contact", colleagues) { ["firstname"] = "Bob" }));
            AssertFault.Throws(DataverseErrorCodes.AccessDenied, () => As(elsewhere).Retrieve("contact", own, new ColumnSet("lastname")));
            Assert.AreEqual(0, As(elsewhere).RetrieveMultiple(new QueryExpression("contact") { ColumnSet = new ColumnSet("lastname") }).Entities.Count);
        }

        [TestMethod]
        public void StandardTables_SecureTheirSecuredColumns_TheBoundDidIsEmptyAndUnwritableWithoutTheProfile()
        {
            var seller = _dataverse.AddUser("Seller", new[] { "Salesperson" });
            var administrator = _dataverse.AddUser("Admin", new[] { "Verification Administrator" }, new[] { "Verification Administrator" });
            var contact = _dataverse.Seed(new Entity("contact") { ["lastname"] = "Bound", ["okos_boundblockiddid"] = "did-of-the-person", ["ownerid"] = new EntityReference("systemuser", seller) })[0];

            var seen = As(seller).Retrieve("contact", contact, new ColumnSet("lastname", "okos_boundblockiddid"));
            var fault = AssertFault.Throws(DataverseErrorCodes.PrivilegeDenied, () => As(seller).Update(new Entity("contact", contact) { ["okos_boundblockiddid"] = "did-of-the-seller" }));

            Assert.IsFalse(seen.Contains("okos_boundblockiddid"));
            StringAssert.Contains(fault.Message, "okos_boundblockiddid");
            Assert.AreEqual("did-of-the-person", As(administrator).Retrieve("contact", contact, new ColumnSet("okos_boundblockiddid"))["okos_boundblockiddid"]);
        }

        [TestMethod]
        public void AddUser_UnknownRole_SaysWhichRole()
        {
            var exception = Assert.ThrowsExactly<ArgumentException>(() => _dataverse.AddUser("X", new[] { "System Administrator" }));

            StringAssert.Contains(exception.Message, "System Administrator");
        }
    }
}
