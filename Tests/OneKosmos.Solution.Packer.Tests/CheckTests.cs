using System;
using System.IO;
using System.Linq;
using OneKosmos.Solution.Packer.Validation;

namespace OneKosmos.Solution.Packer.Tests
{
    /// <summary><c>pack --check</c> on deliberately broken copies of the source: each names the file, the element and the fix.</summary>
    [TestClass]
    public sealed class CheckTests
    {
        private const string Verification = "Entities/okos_verification/Entity.xml";
        private const string CreateMessage = "9ebdbb1b-ea3e-db11-86a7-000a3a5473e8";

        private static Problem SingleProblem(PackerFixture fixture, Packer? packer = null)
        {
            var problems = (packer ?? fixture.Packer()).Check();
            Assert.AreEqual(1, problems.Count, string.Join("\n", problems));
            return problems[0];
        }

        private static void WriteStep(PackerFixture fixture, string pluginType, string table, string filteringAttributes = "")
        {
            var id = "0b5e0000-0000-4000-8000-0000000000aa";
            Directory.CreateDirectory(fixture.PathOf("SdkMessageProcessingSteps"));
            File.WriteAllText(fixture.PathOf($"SdkMessageProcessingSteps/{{{id}}}.xml"), $"""
                <SdkMessageProcessingStep Name="test step" SdkMessageProcessingStepId="{"{"}{id}{"}"}">
                  <SdkMessageId>{CreateMessage}</SdkMessageId>
                  <PluginTypeName>{pluginType}, OneKosmos.Plugins, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null</PluginTypeName>
                  <PrimaryEntity>{table}</PrimaryEntity>
                  <FilteringAttributes>{filteringAttributes}</FilteringAttributes>
                  <Mode>1</Mode>
                  <Rank>1</Rank>
                  <Stage>40</Stage>
                </SdkMessageProcessingStep>
                """);
        }

        [TestMethod]
        public void Check_AStepAsARootComponent_IsRefusedBecauseOkosDeployRegistersSteps()
        {
            using var fixture = new PackerFixture();
            var step = Directory.GetFiles(fixture.PathOf("SdkMessageProcessingSteps"), "*.xml")[0];
            var id = Path.GetFileNameWithoutExtension(step);
            fixture.Edit("Other/Solution.xml", text => text.Replace("    </RootComponents>", $"      <RootComponent type=\"92\" id=\"{id}\" behavior=\"0\" />\n    </RootComponents>"));

            var problem = SingleProblem(fixture);

            Assert.AreEqual("RootComponent", problem.Element);
            StringAssert.Contains(problem.Message, "okos-deploy registers them after the import");
        }

        [TestMethod]
        public void Check_AStepNamingBothAMessageIdAndAName_IsRefused()
        {
            using var fixture = new PackerFixture();
            var gate = Directory.GetFiles(fixture.PathOf("SdkMessageProcessingSteps"), "*.xml").Single(path => File.ReadAllText(path).Contains("<SdkMessageName>Win</SdkMessageName>", StringComparison.Ordinal));
            File.WriteAllText(gate, File.ReadAllText(gate).Replace("<SdkMessageName>Win</SdkMessageName>", $"<SdkMessageName>Win</SdkMessageName><SdkMessageId>{CreateMessage}</SdkMessageId>", StringComparison.Ordinal));

            var problem = SingleProblem(fixture);

            StringAssert.Contains(problem.Message, "name the message by <SdkMessageId> or by <SdkMessageName>, not both");
        }

        [TestMethod]
        public void Check_TheProductSource_HasNoProblem()
        {
            using var fixture = new PackerFixture();

            var problems = fixture.Packer().Check();

            Assert.AreEqual(0, problems.Count, string.Join("\n", problems));
        }

        [TestMethod]
        public void Check_MalformedXml_NamesTheFileAndLine()
        {
            using var fixture = new PackerFixture();
            fixture.Edit("Roles/Verification Agent.xml", text => text.Replace("</RolePrivileges>", "</RolePrivilege>"));

            var problem = SingleProblem(fixture);

            Assert.AreEqual("Roles/Verification Agent.xml", problem.File);
            StringAssert.Contains(problem.Message, "not well-formed");
            Assert.IsTrue(problem.Line > 0);
        }

        [TestMethod]
        public void Check_CustomColumnWithoutThePrefix_IsRefused()
        {
            using var fixture = new PackerFixture();
            fixture.Edit(Verification, text => text.Replace("okos_documenttype", "documenttype"));

            var problem = SingleProblem(fixture);

            Assert.AreEqual(Verification, problem.File);
            Assert.AreEqual("attribute", problem.Element);
            StringAssert.Contains(problem.Message, "'documenttype' must start with the publisher prefix 'okos_'");
        }

        [TestMethod]
        public void Check_TwoFormsWithOneId_AreRefused()
        {
            using var fixture = new PackerFixture();
            var formFolder = fixture.PathOf("Entities/okos_blockidconnection/FormXml/main");
            var form = Directory.GetFiles(formFolder).Single();
            var verificationForm = Directory.GetFiles(fixture.PathOf("Entities/okos_verification/FormXml/main")).Single();
            var verificationFormId = Path.GetFileNameWithoutExtension(verificationForm);
            fixture.Edit(Path.GetRelativePath(fixture.Source, form), text => text.Replace(Path.GetFileNameWithoutExtension(form), verificationFormId));

            var problem = SingleProblem(fixture);

            Assert.AreEqual("formid", problem.Element);
            StringAssert.Contains(problem.Message, "is already used by Entities/");
        }

        [TestMethod]
        public void Check_ComponentWithoutARootComponent_IsRefused()
        {
            using var fixture = new PackerFixture();
            fixture.Edit("Other/Solution.xml", text => text.Replace("    <RootComponent type=\"9\" schemaName=\"okos_journey\" behavior=\"0\" />\n", ""));

            var problem = SingleProblem(fixture);

            Assert.AreEqual("Other/Solution.xml", problem.File);
            StringAssert.Contains(problem.Message, "OptionSets/okos_journey.xml defines the global choice okos_journey, which has no <RootComponent type=\"9\">");
        }

        [TestMethod]
        public void Check_RootComponentTheSourceDoesNotDefine_IsRefused()
        {
            using var fixture = new PackerFixture();
            File.Delete(fixture.PathOf("environmentvariabledefinitions/okos_GatePolicy/environmentvariabledefinition.xml"));

            var problem = SingleProblem(fixture);

            StringAssert.Contains(problem.Message, "the environment variable definition okos_gatepolicy is a root component but the source does not define it");
        }

        [TestMethod]
        public void Check_StepFilteringOnAColumnTheTableLacks_IsRefused()
        {
            using var fixture = new PackerFixture();
            WriteStep(fixture, "OneKosmos.Plugins.Steps.PluginBase", "contact", "emailaddress1,okos_nosuchcolumn");

            var problems = fixture.Packer().Check();

            var problem = problems.Single(found => found.Element == "FilteringAttributes");
            StringAssert.Contains(problem.Message, "contact has no column okos_nosuchcolumn");
            StringAssert.StartsWith(problem.File, "SdkMessageProcessingSteps/");
        }

        [TestMethod]
        public void Check_StepNamingAnAbstractOrMissingPluginType_IsRefused()
        {
            using var fixture = new PackerFixture();
            WriteStep(fixture, "OneKosmos.Plugins.Steps.PluginBase", "contact");

            var problem = SingleProblem(fixture);

            Assert.AreEqual("PluginTypeName", problem.Element);
            StringAssert.Contains(problem.Message, "OneKosmos.Plugins.Steps.PluginBase in OneKosmos.Plugins.dll is abstract");
        }

        [TestMethod]
        public void Check_StepNamingATypeNoAssemblyHas_IsRefused()
        {
            using var fixture = new PackerFixture();
            WriteStep(fixture, "OneKosmos.Plugins.Steps.StartVerificationOnMoon", "contact");

            var problem = SingleProblem(fixture);

            StringAssert.Contains(problem.Message, "contains OneKosmos.Plugins.Steps.StartVerificationOnMoon");
        }

        [TestMethod]
        public void Check_StepOnAnUnknownTable_IsRefused()
        {
            using var fixture = new PackerFixture();
            WriteStep(fixture, "OneKosmos.Plugins.Steps.PluginBase", "okos_nosuchtable");

            var problems = fixture.Packer().Check();

            StringAssert.Contains(problems.Single(found => found.Element == "PrimaryEntity").Message, "okos_nosuchtable");
        }

        [TestMethod]
        public void Check_PrivilegeOnATableTheSolutionLacks_IsRefused()
        {
            using var fixture = new PackerFixture();
            fixture.Edit("Roles/Verification Administrator.xml", text => text.Replace("prvWriteokos_verification", "prvWriteokos_verifications"));

            var problem = SingleProblem(fixture);

            Assert.AreEqual("RolePrivilege", problem.Element);
            StringAssert.Contains(problem.Message, "prvWriteokos_verifications is a privilege on okos_verifications, which the solution does not define");
        }

        [TestMethod]
        public void Check_OrganizationOwnedPrivilegeBelowGlobal_IsRefused()
        {
            using var fixture = new PackerFixture();
            fixture.Edit("Roles/Verification Relay.xml", text => text.Replace("name=\"prvCreateokos_callbackreceipt\" level=\"Global\"", "name=\"prvCreateokos_callbackreceipt\" level=\"Local\""));

            StringAssert.Contains(SingleProblem(fixture).Message, "organization-owned");
        }

        [TestMethod]
        public void Check_FieldPermissionOnAnUnsecuredColumn_IsRefused()
        {
            using var fixture = new PackerFixture();
            fixture.Edit("Other/FieldSecurityProfiles.xml", text => text.Replace("<AttributeName>okos_dvcid</AttributeName>", "<AttributeName>okos_community</AttributeName>"));

            var problem = SingleProblem(fixture);

            Assert.AreEqual("FieldPermission", problem.Element);
            StringAssert.Contains(problem.Message, "okos_blockidconnection.okos_community, which is not a field-secured column");
        }

        [TestMethod]
        public void Check_PicklistOnAnUndefinedChoice_IsRefusedNamingIt()
        {
            using var fixture = new PackerFixture();
            fixture.Edit(Verification, text => text.Replace("<OptionSetName>okos_iallevel</OptionSetName>", "<OptionSetName>okos_ial</OptionSetName>"));

            var problem = SingleProblem(fixture);

            Assert.AreEqual(Verification, problem.File);
            StringAssert.Contains(problem.Message, "uses the choice okos_ial, which OptionSets/ does not define");
        }

        [TestMethod]
        public void Check_LookupWithoutRelationship_IsRefused()
        {
            using var fixture = new PackerFixture();
            fixture.Edit("Other/Relationships/okos_verification.xml", text =>
            {
                var start = text.IndexOf("  <EntityRelationship Name=\"okos_lead_okos_verification_leadid\">", StringComparison.Ordinal);
                var end = text.IndexOf("</EntityRelationship>", start, StringComparison.Ordinal) + "</EntityRelationship>\n".Length;
                return text.Remove(start, end - start);
            });
            fixture.Edit("Other/Relationships.xml", text => text.Replace("  <EntityRelationship Name=\"okos_lead_okos_verification_leadid\" />\n", ""));

            var problem = SingleProblem(fixture);

            StringAssert.Contains(problem.Message, "the lookup okos_leadid has no relationship");
        }

        private const string StartApi = "customapis/okos_StartVerification/customapi.xml";

        [TestMethod]
        [DataRow("<executeprivilegename>prvCreateokos_verification</executeprivilegename>", "<executeprivilegename>prvFlyokos_verification</executeprivilegename>", "executeprivilegename", "prvFlyokos_verification is not a privilege of a table this solution defines")]
        [DataRow("<plugintypeexportkey>OneKosmos.CustomApis.StartVerification</plugintypeexportkey>", "<plugintypeexportkey>OneKosmos.CustomApis.Missing</plugintypeexportkey>", "plugintypeexportkey", "OneKosmos.CustomApis.Missing")]
        [DataRow("<plugintypeid>\n    <plugintypeexportkey>OneKosmos.CustomApis.StartVerification</plugintypeexportkey>\n  </plugintypeid>", "<plugintypeid />", "plugintypeid", "names no main-operation plug-in type")]
        public void Check_ABrokenCustomApi_SaysWhatToFix(string from, string to, string element, string expected)
        {
            using var fixture = new PackerFixture();
            fixture.Edit(StartApi, text => text.Replace(from.Replace("\\n", "\n"), to));

            var problem = SingleProblem(fixture);

            Assert.AreEqual(element, problem.Element, problem.ToString());
            StringAssert.Contains(problem.Message, expected);
        }

        [TestMethod]
        [DataRow("customapis/okos_RequestStepUp/customapi.xml", "<description default=\"", 301, "description", "the customapi table holds at most 300")]
        [DataRow("customapis/okos_RequestStepUp/customapi.xml", "<displayname default=\"", 101, "displayname", "the customapi table holds at most 100")]
        [DataRow("customapis/okos_StartVerification/customapirequestparameters/Journey/customapirequestparameter.xml", "<description default=\"", 301, "description", "the customapirequestparameter table holds at most 300")]
        public void Check_ACustomApiTextLongerThanItsColumn_IsRefusedNamingTheLimit(string file, string opening, int length, string element, string expected)
        {
            using var fixture = new PackerFixture();
            fixture.Edit(file, text => text.Replace(opening, opening + new string('x', length)));

            var problem = SingleProblem(fixture);

            Assert.AreEqual(file, problem.File);
            Assert.AreEqual(element, problem.Element);
            StringAssert.Contains(problem.Message, expected);
        }

        [TestMethod]
        [DataRow("PrimaryName|ValidForAdvancedFind|ValidForForm|ValidForGrid|RequiredForForm", "ValidForAdvancedFind|ValidForForm|ValidForGrid", "no column is the primary name")]
        [DataRow("PrimaryName|ValidForAdvancedFind|ValidForForm|ValidForGrid|RequiredForForm", "PrimaryName|ValidForAdvancedFind|ValidForForm|ValidForGrid", "lacks RequiredForForm")]
        public void Check_APrimaryNameColumnNotMarkedAsExportsMarkIt_IsRefused(string from, string to, string expected)
        {
            using var fixture = new PackerFixture();
            fixture.Edit(Verification, text => text.Replace(from, to));

            var problem = SingleProblem(fixture);

            Assert.AreEqual(Verification, problem.File);
            Assert.AreEqual("DisplayMask", problem.Element);
            StringAssert.Contains(problem.Message, expected);
        }

        [TestMethod]
        [DataRow("<version>1.0.0</version>", "<version></version>", "version", "not a package version")]
        [DataRow("<name>okos_OneKosmos.Plugins</name>", "<name>okos_OneKosmos.Plugins.v2</name>", "name", "cannot change once it exists")]
        public void Check_APluginPackageRenamedOrUnversioned_IsRefused(string from, string to, string element, string expected)
        {
            using var fixture = new PackerFixture();
            fixture.Edit("pluginpackages/okos_OneKosmos.Plugins/pluginpackage.xml", text => text.Replace(from, to));

            var problem = SingleProblem(fixture);

            Assert.AreEqual(element, problem.Element);
            StringAssert.Contains(problem.Message, expected);
        }

        [TestMethod]
        [DataRow("    <UniqueName>OneKosmosIdentity</UniqueName>\n", "", "UniqueName", "names no UniqueName")]
        [DataRow("<Version>1.0.0.0</Version>", "<Version>1.0.0.1</Version>", "Version", "pac.config says '1.0.0.0'")]
        [DataRow("<CustomizationPrefix>okos</CustomizationPrefix>", "", "Publisher/CustomizationPrefix", "names no Publisher/CustomizationPrefix")]
        public void Check_AManifestPacCannotPack_IsRefused(string from, string to, string element, string expected)
        {
            using var fixture = new PackerFixture();
            fixture.Edit("Other/Solution.xml", text => text.Replace(from.Replace("\\n", "\n"), to));

            var problem = SingleProblem(fixture);

            Assert.AreEqual("Other/Solution.xml", problem.File);
            Assert.AreEqual(element, problem.Element);
            StringAssert.Contains(problem.Message, expected);
        }

        [TestMethod]
        public void Check_FieldSecurityProfilesInCustomizations_AreRefusedForTheirOwnFile()
        {
            using var fixture = new PackerFixture();
            var profiles = File.ReadAllText(fixture.PathOf("Other/FieldSecurityProfiles.xml"));
            var inner = profiles[(profiles.IndexOf("<FieldSecurityProfile ", StringComparison.Ordinal))..profiles.LastIndexOf("</FieldSecurityProfiles>", StringComparison.Ordinal)];
            fixture.Edit("Other/Customizations.xml", text => text.Replace("<FieldSecurityProfiles />", $"<FieldSecurityProfiles>{inner}</FieldSecurityProfiles>"));
            File.Delete(fixture.PathOf("Other/FieldSecurityProfiles.xml"));

            var problems = fixture.Packer().Check();

            Assert.IsTrue(problems.Any(problem => problem.File == "Other/Customizations.xml" && problem.Message.Contains("belong in Other/FieldSecurityProfiles.xml", StringComparison.Ordinal)), string.Join("\n", problems));
        }

        [TestMethod]
        public void Check_AFieldPermissionWithoutCanReadUnmasked_IsRefused()
        {
            using var fixture = new PackerFixture();
            var first = true;
            fixture.Edit("Other/FieldSecurityProfiles.xml", text => System.Text.RegularExpressions.Regex.Replace(text, @"\s*<CanReadUnmasked>0</CanReadUnmasked>", match =>
            {
                var remove = first;
                first = false;
                return remove ? "" : match.Value;
            }));

            var problem = SingleProblem(fixture);

            Assert.AreEqual("CanReadUnmasked", problem.Element);
            StringAssert.Contains(problem.Message, "okos_captureurl");
        }

        [TestMethod]
        [DataRow("  <EntityRelationship Name=\"okos_lead_okos_verification_leadid\" />\n", "", "okos_lead_okos_verification_leadid is defined")]
        [DataRow("</EntityRelationships>", "  <EntityRelationship Name=\"okos_gone\" />\n</EntityRelationships>", "okos_gone is listed but no file")]
        public void Check_ARelationshipIndexOutOfStepWithTheRelationships_IsRefused(string from, string to, string expected)
        {
            using var fixture = new PackerFixture();
            fixture.Edit("Other/Relationships.xml", text => text.Replace(from.Replace("\\n", "\n"), to));

            var problem = SingleProblem(fixture);

            Assert.AreEqual("Other/Relationships.xml", problem.File);
            StringAssert.Contains(problem.Message, expected);
        }

        [TestMethod]
        public void Check_AResponsePropertyMarkedOptional_IsRefusedAsImportWould()
        {
            using var fixture = new PackerFixture();
            fixture.Edit("customapis/okos_StartVerification/customapiresponseproperties/Reused/customapiresponseproperty.xml",
                text => text.Replace("<iscustomizable>0</iscustomizable>", "<iscustomizable>0</iscustomizable>\n  <isoptional>1</isoptional>"));

            StringAssert.Contains(SingleProblem(fixture).Message, "has <isoptional>, which Dataverse refuses on import");
        }

        [TestMethod]
        public void Check_AnUnknownParameterType_IsRefused()
        {
            using var fixture = new PackerFixture();
            fixture.Edit("customapis/okos_StartVerification/customapirequestparameters/Journey/customapirequestparameter.xml", text => text.Replace("<type>10</type>", "<type>13</type>"));

            StringAssert.Contains(SingleProblem(fixture).Message, "custom API types are 0 (Boolean) to 12 (Guid)");
        }

        /// <summary>#23: business event catalogs as Microsoft's "Catalog and CatalogAssignment tables" gives their solution files.</summary>
        [TestMethod]
        [DataRow("catalogs/okos_IdentityVerificationOutcomes/catalog.xml", "<uniquename>okos_IdentityVerification</uniquename>", "<uniquename>okos_Elsewhere</uniquename>", "names the parent catalog okos_Elsewhere")]
        [DataRow("Assets/catalogassignments.xml", "object.uniquename=\"okos_VerificationEnded\"", "object.uniquename=\"okos_StartVerification\"", "okos_StartVerification', which is no business event")]
        [DataRow("Assets/catalogassignments.xml", "catalogid.uniquename=\"okos_IdentityVerificationOutcomes\"", "catalogid.uniquename=\"okos_IdentityVerification\"", "assigns to the root catalog")]
        [DataRow("Assets/catalogassignments.xml", "catalogid.uniquename=\"okos_IdentityVerificationOutcomes\"", "catalogid.uniquename=\"okos_Nowhere\"", "'okos_Nowhere', which catalogs/ does not define")]
        [DataRow("customapis/okos_VerificationEnded/customapi.xml", "<allowedcustomprocessingsteptype>1</allowedcustomprocessingsteptype>", "<allowedcustomprocessingsteptype>2</allowedcustomprocessingsteptype>", "names no main-operation plug-in type")]
        public void Check_ABrokenBusinessEventOrCatalog_SaysWhatToFix(string file, string from, string to, string expected)
        {
            using var fixture = new PackerFixture();
            fixture.Edit(file, text => text.Replace(from, to));

            var problems = fixture.Packer().Check();

            Assert.IsTrue(problems.Any(problem => problem.Message.Contains(expected, StringComparison.Ordinal)), string.Join("\n", problems));
        }

        private static string WorkflowDataFile(PackerFixture fixture) =>
            Path.GetRelativePath(fixture.Source, Directory.GetFiles(fixture.PathOf("PluginAssemblies"), "*.dll.data.xml", SearchOption.AllDirectories).Single()).Replace('\\', '/');

        [TestMethod]
        [DataRow("Name=\"OneKosmos.Workflow.CheckIdentityVerification\"", "Name=\"OneKosmos.Workflow.Missing\"", "contains no class OneKosmos.Workflow.Missing")]
        [DataRow("PublicKeyToken=24a6ffb2c91c365a\" PluginAssemblyId", "PublicKeyToken=0000000000000000\" PluginAssemblyId", "but the built assembly is 'OneKosmos.Workflow, Version=1.0.0.0, Culture=neutral, PublicKeyToken=24a6ffb2c91c365a'")]
        [DataRow("<IsolationMode>2</IsolationMode>", "<IsolationMode>1</IsolationMode>", "must be 2 (sandbox)")]
        [DataRow("/OneKosmosWorkflow.dll</FileName>", "/Other.dll</FileName>", "the file this data file describes is")]
        public void Check_ABrokenWorkflowAssembly_SaysWhatToFix(string from, string to, string expected)
        {
            using var fixture = new PackerFixture();
            var file = WorkflowDataFile(fixture);
            fixture.Edit(file, text => text.Replace(from, to));

            var problems = fixture.Packer().Check();

            Assert.IsTrue(problems.Any(problem => problem.File == file && problem.Message.Contains(expected)), string.Join("\n", problems));
        }

        [TestMethod]
        public void Check_AWorkflowAssemblyNotBuilt_SaysToBuild()
        {
            using var fixture = new PackerFixture();

            var problem = SingleProblem(fixture, fixture.Packer(workflowAssemblies: Path.Combine(fixture.Folder, "nothing-built")));

            StringAssert.Contains(problem.Message, "build the solution");
        }

        [TestMethod]
        public void Check_AWorkflowAssemblyWithoutItsRootComponent_IsNamed()
        {
            using var fixture = new PackerFixture();
            fixture.Edit("Other/Solution.xml", text => string.Join("\n", text.Split('\n').Where(line => !line.Contains("type=\"91\""))));

            StringAssert.Contains(SingleProblem(fixture).Message, "defines the plug-in assembly onekosmos.workflow");
        }

        [TestMethod]
        public void Check_WebResourcesNotBuilt_SaysHowToBuildThem()
        {
            using var fixture = new PackerFixture();

            var problems = fixture.Packer(webResources: Path.Combine(fixture.Folder, "nothing-built")).Check();

            Assert.AreEqual(5, problems.Count, string.Join("\n", problems));
            StringAssert.Contains(problems[0].Message, "build the web resources first (cd WebResources && npm ci && npm run build)");
        }

        [TestMethod]
        public void Check_AWebResourceOfTheWrongType_IsNamed()
        {
            using var fixture = new PackerFixture();
            fixture.Edit("WebResources/okos_/idv/panel.css.data.xml", text => text.Replace("<WebResourceType>2</WebResourceType>", "<WebResourceType>3</WebResourceType>"));

            StringAssert.Contains(SingleProblem(fixture).Message, "is 3, but a .css web resource is type 2");
        }

        [TestMethod]
        public void Check_AFormOfAnExtendedTableWithoutItsRootComponent_IsNamed()
        {
            using var fixture = new PackerFixture();
            fixture.Edit("Other/Solution.xml", text => string.Join("\n", text.Split('\n').Where(line => !line.Contains("1682feff-c03c-5c1b-ae39-263bdeaa3e95"))));

            StringAssert.Contains(SingleProblem(fixture).Message, "defines the form 1682feff-c03c-5c1b-ae39-263bdeaa3e95");
        }
    }
}
