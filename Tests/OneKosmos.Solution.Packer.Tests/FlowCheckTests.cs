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
        private const string FlowFile = "ReconcileIdentityVerifications-5E1D0000-0000-4000-8000-0000000000F1.json";
        private const string FlowPath = "Workflows/" + FlowFile;

        private static PackerFixture WithTheReconcileFlow(bool listedInTheManifest = true)
        {
            var fixture = new PackerFixture();
            var folder = fixture.PathOf("Workflows");
            Directory.CreateDirectory(folder);
            foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Workflows")))
            {
                File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            }
            fixture.Edit("Other/Customizations.xml", text => text.Replace("  <Languages>", """
                  <connectionreferences>
                    <connectionreference connectionreferencelogicalname="okos_sharedcommondataserviceforapps">
                      <connectionreferencedisplayname>Dataverse (OneKosmos Identity Verification)</connectionreferencedisplayname>
                      <connectorid>/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps</connectorid>
                      <iscustomizable>1</iscustomizable>
                      <promptingbehavior>0</promptingbehavior>
                      <statecode>0</statecode>
                      <statuscode>1</statuscode>
                    </connectionreference>
                  </connectionreferences>
                  <Languages>
                """));
            if (listedInTheManifest)
            {
                fixture.Edit("Other/Solution.xml", text => text.Replace("</RootComponents>", "  <RootComponent type=\"29\" id=\"{5e1d0000-0000-4000-8000-0000000000f1}\" behavior=\"0\" />\n    </RootComponents>"));
            }
            return fixture;
        }

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
            fixture.Edit(FlowPath, text => text.Replace("\"item/MaxSessions\"", "\"item/MaximumSessions\""));

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
        [DataRow("\"runAfter\": { \"Reconcile_verifications\"", "\"runAfter\": { \"Reconcile\"", "runs after 'Reconcile', which is no action of its scope")]
        [DataRow("\"type\": \"Terminate\"", "\"type\": \"Explode\"", "'Explode' is not a trigger or action type")]
        [DataRow("2016-06-01/workflowdefinition.json#", "2015-08-01/workflowdefinition.json#", "the definition's $schema must be")]
        public void ABrokenFlow_FailsTheCheckSayingWhy(string from, string to, string expected)
        {
            using var fixture = WithTheReconcileFlow();
            fixture.Edit(FlowPath, text => text.Replace(from, to));

            StringAssert.Contains(Problems(fixture).Single(), expected);
        }

        [TestMethod]
        [DataRow("\"connectionReferenceLogicalName\": \"okos_sharedcommondataserviceforapps\"", "\"connectionReferenceLogicalName\": \"okos_somewhere\"", "okos_somewhere, which Other/Customizations.xml does not declare")]
        [DataRow("\"connectionReferenceLogicalName\": \"okos_sharedcommondataserviceforapps\"", "\"connectionReferenceLogicalName\": \"cr123_dataverse\"", "carries the publisher prefix 'okos_'")]
        [DataRow("\"name\": \"shared_commondataserviceforapps\"", "\"name\": \"shared_office365\"", "but that reference is for /providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps")]
        public void AFlowsConnection_IsADeclaredConnectionReferenceOfItsConnector(string from, string to, string expected)
        {
            using var fixture = WithTheReconcileFlow();
            fixture.Edit(FlowPath, text => text.Replace(from, to));

            StringAssert.Contains(string.Join("\n", Problems(fixture)), expected);
        }

        [TestMethod]
        public void APackedFlowsCustomizations_ValidateAgainstMicrosoftsSchema_ButForWhatTheSchemaPredates()
        {
            using var fixture = WithTheReconcileFlow();
            var (problems, written) = fixture.Packer().Pack(Path.Combine(fixture.Folder, "out"));
            Assert.AreEqual(0, problems.Count, string.Join("\n", problems));
            using var archive = ZipFile.OpenRead(written[0]);
            using var stream = archive.GetEntry("customizations.xml")!.Open();
            var customizations = XDocument.Load(stream);
            var schemas = new System.Xml.Schema.XmlSchemaSet { XmlResolver = new System.Xml.XmlUrlResolver() };
            schemas.Add(null, Path.Combine(OneKosmos.Tests.Shared.RepositoryPaths.Root, "..", "shared", "schemas", "CustomizationsSolution.xsd"));

            // Newer than the 9.0-era schema, as real exports carry them (shared/schemas/README.md: the export wins).
            customizations.Descendants().Where(element => element.Name.LocalName is "CanReadUnmasked" or "JsonFileName" or "ModernFlowType" or "IsCustomProcessingStepAllowedForOtherPublishers" or "connectionreferences").ToList().ForEach(element => element.Remove());
            var errors = new System.Collections.Generic.List<string>();
            customizations.Validate(schemas, (_, error) => errors.Add(error.Message));

            Assert.AreEqual("", string.Join("\n", errors));
        }

        [TestMethod]
        public void AnExpression_IsNotTypeChecked_ForTheRunEvaluatesIt()
        {
            using var fixture = WithTheReconcileFlow();
            fixture.Edit(FlowPath, text => text.Replace("\"item/MaxSessions\": 100", "\"item/MaxSessions\": \"@int('100')\""));

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
            var workflow = XDocument.Load(stream).Root!.Element("Workflows")!.Elements("Workflow").Single();
            Assert.AreEqual("/" + FlowPath, (string?)workflow.Element("JsonFileName"));
            Assert.IsFalse(archive.Entries.Any(entry => entry.FullName.EndsWith(".json.data.xml", StringComparison.Ordinal)), "the process row is merged into customizations.xml");
        }
    }
}
