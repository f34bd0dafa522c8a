using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using System.Xml.Schema;

namespace OneKosmos.Solution.Packer.Tests
{
    /// <summary>
    /// #23 (groundwork): solution cloud flows in the pac layout (Workflows/{Name}-{GUID}.json with its .json.data.xml
    /// process row, a RootComponent of type 29) are checked by pack --check and packed. Every call a flow makes to one of our
    /// custom APIs (the Dataverse connector's PerformUnboundAction, actionName and item/{Parameter}) is checked against the
    /// API's definition, so a renamed parameter fails the build naming the flow, the action and the parameter.
    /// </summary>
    [TestClass]
    public sealed class FlowCheckTests
    {
        private const string FlowFile = "ReconcileIdentityVerifications-AB7DA405-2DD7-518A-9B53-A827EE42B76E.json";
        private const string FlowPath = "Workflows/" + FlowFile;

        /// <summary>A copy of the solution source, whose shipped flows include Reconcile identity verifications.</summary>
        private static PackerFixture WithTheReconcileFlow(bool listedInTheManifest = true)
        {
            var fixture = new PackerFixture();
            if (!listedInTheManifest)
            {
                fixture.Edit("Other/Solution.xml", text => text.Replace("<RootComponent type=\"29\" id=\"{ab7da405-2dd7-518a-9b53-a827ee42b76e}\" behavior=\"0\" />", ""));
            }
            return fixture;
        }

        /// <summary>The flow with the first occurrence of <paramref name="from"/> replaced: one broken spot, one problem.</summary>
        private static void Break(PackerFixture fixture, string from, string to) =>
            fixture.Edit(FlowPath, text => text.IndexOf(from, StringComparison.Ordinal) is var at and >= 0
                ? text[..at] + to + text[(at + from.Length)..]
                : throw new AssertFailedException($"the flow has no {from}"));

        private static string[] Problems(PackerFixture fixture) => fixture.Packer().Check().Select(problem => problem.ToString()).ToArray();

        [TestMethod]
        public void AWellFormedFlowCallingOurApi_PassesTheCheck()
        {
            using var fixture = WithTheReconcileFlow();

            Assert.AreEqual("", string.Join("\n", Problems(fixture)));
        }

        [TestMethod]
        public void AFlowPassingAParameterOurApiLacks_FailsTheCheck_NamingTheFlowActionAndParameter()
        {
            using var fixture = WithTheReconcileFlow();
            Break(fixture, "\"item/MaxSessions\"", "\"item/MaximumSessions\"");

            var problem = Problems(fixture).Single();

            StringAssert.Contains(problem, FlowPath);
            StringAssert.Contains(problem, "<Reconcile_verifications>");
            StringAssert.Contains(problem, "MaximumSessions");
            StringAssert.Contains(problem, "it takes MaxSessions, OlderThanMinutes");
        }

        [TestMethod]
        [DataRow("\"okos_ReconcileVerifications\"", "\"okos_ReconcileEverything\"", "okos_ReconcileEverything, which is no custom API of this solution")]
        [DataRow("\"item/MaxSessions\": 100", "\"item/MaxSessions\": \"a hundred\"", "passes MaxSessions of okos_ReconcileVerifications the literal \"a hundred\"; it is a Integer")]
        [DataRow("\"connectionName\": \"shared_commondataserviceforapps\"", "\"connectionName\": \"shared_office365\"", "uses the connection 'shared_office365'")]
        [DataRow("\"Reconcile_verifications\": [", "\"Reconcile\": [", "runs after 'Reconcile', which is no action of its scope")]
        [DataRow("\"type\": \"Terminate\"", "\"type\": \"Explode\"", "'Explode' is not a trigger or action type")]
        [DataRow("2016-06-01/workflowdefinition.json#", "2015-08-01/workflowdefinition.json#", "the definition's $schema must be")]
        public void ABrokenFlow_FailsTheCheckSayingWhy(string from, string to, string expected)
        {
            using var fixture = WithTheReconcileFlow();
            Break(fixture, from, to);

            StringAssert.Contains(Problems(fixture).Single(), expected);
        }

        [TestMethod]
        [DataRow("\"connectionReferenceLogicalName\": \"okos_sharedcommondataserviceforapps\"", "\"connectionReferenceLogicalName\": \"okos_somewhere\"", "okos_somewhere, which Other/Customizations.xml does not declare")]
        [DataRow("\"connectionReferenceLogicalName\": \"okos_sharedcommondataserviceforapps\"", "\"connectionReferenceLogicalName\": \"cr123_dataverse\"", "carries the publisher prefix 'okos_'")]
        [DataRow("\"name\": \"shared_commondataserviceforapps\"", "\"name\": \"shared_office365\"", "but that reference is for /providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps")]
        public void AFlowsConnection_IsADeclaredConnectionReferenceOfItsConnector(string from, string to, string expected)
        {
            using var fixture = WithTheReconcileFlow();
            Break(fixture, from, to);

            StringAssert.Contains(string.Join("\n", Problems(fixture)), expected);
        }

        [TestMethod]
        [DataRow("\"item/Regarding/leadid\"", "\"item/Regarding/lead\"", "passes Regarding/lead of okos_StartVerification: an entity reference has the members @odata.type and {table}id, not lead")]
        [DataRow("\"Microsoft.Dynamics.CRM.lead\"", "\"lead\"", "passes Regarding/@odata.type of okos_StartVerification: the type must be \"Microsoft.Dynamics.CRM.{table}\"")]
        [DataRow("\"item/Journey\"", "\"item/Journey/name\"", "only an EntityReference parameter has members; Journey is a String")]
        public void AnEntityReferenceParameter_IsCheckedMemberByMember(string from, string to, string expected)
        {
            const string LeadFlow = "Workflows/VerifyTheCustomerWhenALeadIsQualified-96118BC1-19F8-5112-B473-9B2C04940891.json";
            using var fixture = new PackerFixture();
            fixture.Edit(LeadFlow, text => text.Replace(from, to));

            var problem = Problems(fixture).Single();

            StringAssert.Contains(problem, LeadFlow);
            StringAssert.Contains(problem, "<Start_identity_proofing>");
            StringAssert.Contains(problem, expected);
        }

        [TestMethod]
        public void AWrongTableForAParameterThatNamesOne_FailsTheCheck()
        {
            const string HireFlow = "Workflows/VerifyANewHire-C2BDDDB1-2A50-5BBE-A70F-A1B7F19839A9.json";
            using var fixture = new PackerFixture();
            fixture.Edit(HireFlow, text => text.Replace("\"Microsoft.Dynamics.CRM.contact\"", "\"Microsoft.Dynamics.CRM.account\""));

            StringAssert.Contains(Problems(fixture).Single(), "Subject takes a contact, not a account");
        }

        [TestMethod]
        public void AnExpression_IsNotTypeChecked_ForTheRunEvaluatesIt()
        {
            using var fixture = WithTheReconcileFlow();
            Break(fixture, "\"item/MaxSessions\": 100", "\"item/MaxSessions\": \"@int('100')\"");

            Assert.AreEqual(0, Problems(fixture).Length);
        }

        [TestMethod]
        public void AFlowWithoutItsProcessRow_OrMissingFromTheManifest_FailsTheCheck()
        {
            using (var fixture = WithTheReconcileFlow(listedInTheManifest: false))
            {
                StringAssert.Contains(Problems(fixture).Single(), "has no <RootComponent type=\"29\">");
            }
            using (var fixture = WithTheReconcileFlow())
            {
                File.Delete(fixture.PathOf(FlowPath + ".data.xml"));

                StringAssert.Contains(string.Join("\n", Problems(fixture)), "has no process row beside it");
            }
        }

        [TestMethod]
        public void MalformedJson_FailsTheCheck()
        {
            using var fixture = WithTheReconcileFlow();
            File.WriteAllText(fixture.PathOf(FlowPath), "{ \"properties\": ");

            StringAssert.Contains(Problems(fixture).Single(), "not well-formed JSON");
        }

        [TestMethod]
        public void APackedFlow_HasItsDefinitionInTheZip_AndItsProcessRowInCustomizations()
        {
            using var fixture = WithTheReconcileFlow();

            var (problems, written) = fixture.Packer().Pack(Path.Combine(fixture.Folder, "out"));

            Assert.AreEqual(0, problems.Count, string.Join("\n", problems));
            using var archive = ZipFile.OpenRead(written[0]);
            Assert.IsNotNull(archive.GetEntry(FlowPath));
            using var stream = archive.GetEntry("customizations.xml")!.Open();
            var workflow = XDocument.Load(stream).Root!.Element("Workflows")!.Elements("Workflow").Single(row => (string?)row.Attribute("Name") == "Reconcile identity verifications");
            Assert.AreEqual("/" + FlowPath, (string?)workflow.Element("JsonFileName"));
            Assert.IsFalse(archive.Entries.Any(entry => entry.FullName.EndsWith(".json.data.xml", StringComparison.Ordinal)), "the process row is merged into customizations.xml");
        }
    }
}
