using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using OneKosmos.Sandbox.Dataverse;
using OneKosmos.Tests.Shared;
using OneKosmos.Solution.Model;

namespace OneKosmos.Solution.Packer.Tests
{
    [TestClass]
    public sealed class PackTests
    {
        private static string Pack(PackerFixture fixture, string folderName)
        {
            var (problems, written) = fixture.Packer().Pack(Path.Combine(fixture.Folder, folderName));
            Assert.AreEqual(0, problems.Count, string.Join("\n", problems));
            Assert.AreEqual(3, written.Count, "unmanaged, managed and the Power Pages package");
            return written[0];
        }

        private static XDocument Entry(string zip, string name)
        {
            using var archive = ZipFile.OpenRead(zip);
            using var stream = archive.GetEntry(name)!.Open();
            return XDocument.Load(stream);
        }

        [TestMethod]
        public void Pack_WritesUnmanagedAndManagedZipsNamedAfterTheSolutionVersion_AndThePowerPagesPackage()
        {
            using var fixture = new PackerFixture();

            var (_, written) = fixture.Packer().Pack(Path.Combine(fixture.Folder, "out"));

            CollectionAssert.AreEqual(
                new[] { "OneKosmosIdentity_1_0_0_0.zip", "OneKosmosIdentity_1_0_0_0_managed.zip", "OneKosmosIdentity_1_0_0_0_PowerPages.zip" },
                written.Select(Path.GetFileName).ToArray());
            using (var site = ZipFile.OpenRead(written[2]))
            {
                var names = site.Entries.Select(entry => entry.FullName).ToList();
                CollectionAssert.Contains(names, "sitesetting.yml");
                CollectionAssert.Contains(names, "table-permissions/OneKosmos-Self-service-verification.tablepermission.yml");
                CollectionAssert.Contains(names, "web-templates/OneKosmos-Self-service/OneKosmos-Self-service.webtemplate.source.html");
            }
            Assert.AreEqual("0", Entry(written[0], "solution.xml").Descendants("Managed").Single().Value);
            Assert.AreEqual("1", Entry(written[1], "solution.xml").Descendants("Managed").Single().Value);
        }

        [TestMethod]
        public void Pack_Twice_GivesIdenticalBytes()
        {
            using var fixture = new PackerFixture();

            var first = File.ReadAllBytes(Pack(fixture, "first"));
            var second = File.ReadAllBytes(Pack(fixture, "second"));

            CollectionAssert.AreEqual(first, second);
        }

        [TestMethod]
        public void Pack_SolutionXmlCarriesTheIdentityFromPacConfig()
        {
            using var fixture = new PackerFixture();

            var manifest = Entry(Pack(fixture, "out"), "solution.xml").Root!.Element("SolutionManifest")!;

            Assert.AreEqual("OneKosmosIdentity", manifest.Element("UniqueName")!.Value);
            Assert.AreEqual("1.0.0.0", manifest.Element("Version")!.Value);
            Assert.AreEqual("okos", manifest.Element("Publisher")!.Element("CustomizationPrefix")!.Value);
            Assert.AreEqual("71590", manifest.Element("Publisher")!.Element("CustomizationOptionValuePrefix")!.Value);
        }

        [TestMethod]
        public void PackedCustomizations_ValidateAgainstMicrosoftsSchema()
        {
            using var fixture = new PackerFixture();
            var schemas = new XmlSchemaSet { XmlResolver = new XmlUrlResolver() };
            schemas.Add(null, Path.Combine(RepositoryPaths.Root, "..", "shared", "schemas", "CustomizationsSolution.xsd"));
            var errors = new System.Collections.Generic.List<string>();

            var customizations = Entry(Pack(fixture, "out"), "customizations.xml");
            // The schema predates <CanReadUnmasked>, which exported field permissions carry: validated without it.
            var unmaskedPermissions = customizations.Descendants("CanReadUnmasked").ToList();
            unmaskedPermissions.ForEach(element => element.Remove());
            // Cloud flows' process rows and connection references postdate it too, as real exports carry them (the export wins).
            customizations.Descendants().Where(element => element.Name.LocalName is "JsonFileName" or "ModernFlowType" or "IsCustomProcessingStepAllowedForOtherPublishers" or "connectionreferences").ToList().ForEach(element => element.Remove());
            customizations.Validate(schemas, (_, error) => errors.Add($"{error.Severity}: {error.Message}"));

            Assert.AreEqual(0, errors.Count, string.Join("\n", errors));
            Assert.AreEqual(customizations.Descendants("FieldPermission").Count(), unmaskedPermissions.Count, "every packed field permission carries CanReadUnmasked");
        }

        [TestMethod]
        public void ComponentsTheSchemaDoesNotKnow_LiveInTheirOwnFolders()
        {
            using var fixture = new PackerFixture();
            var zip = Pack(fixture, "out");
            using var archive = ZipFile.OpenRead(zip);
            var names = archive.Entries.Select(entry => entry.FullName).ToList();

            Assert.AreEqual(12, names.Count(name => name.StartsWith("environmentvariabledefinitions/", StringComparison.Ordinal) && name.EndsWith("/environmentvariabledefinition.xml", StringComparison.Ordinal)));
            CollectionAssert.Contains(names, "pluginpackages/okos_OneKosmos.Plugins/pluginpackage.xml");
            CollectionAssert.Contains(names, "pluginpackages/okos_OneKosmos.Plugins/package/okos_OneKosmos.Plugins.nupkg");
            var customizations = Entry(zip, "customizations.xml").Root!;
            Assert.IsFalse(customizations.Descendants().Any(element => element.Name.LocalName is "environmentvariabledefinition" or "pluginpackage"));
        }

        [TestMethod]
        public void BusinessEventCatalogs_GoIntoTheZip_InTheFilesSolutionPackagerKeepsThem()
        {
            using var fixture = new PackerFixture();
            using var archive = ZipFile.OpenRead(Pack(fixture, "out"));
            var names = archive.Entries.Select(entry => entry.FullName).ToList();

            CollectionAssert.Contains(names, "catalogs/okos_IdentityVerification/catalog.xml");
            CollectionAssert.Contains(names, "catalogs/okos_IdentityVerificationOutcomes/catalog.xml");
            CollectionAssert.Contains(names, "Assets/catalogassignments.xml");
            CollectionAssert.Contains(names, "customapis/okos_VerificationEnded/customapi.xml");
        }

        [TestMethod]
        public void ContentTypes_DeclareEveryExtensionTheZipHolds_TheResxWebResourceIncluded()
        {
            using var fixture = new PackerFixture();
            var zip = Pack(fixture, "out");
            using var archive = ZipFile.OpenRead(zip);
            var declared = Entry(zip, "[Content_Types].xml").Root!.Elements().Select(element => (string)element.Attribute("Extension")!).ToHashSet(StringComparer.Ordinal);

            var undeclared = archive.Entries.Select(entry => Path.GetExtension(entry.FullName).TrimStart('.').ToLowerInvariant())
                .Where(extension => extension.Length > 0 && !declared.Contains(extension)).Distinct().ToList();

            CollectionAssert.Contains(declared.ToList(), "resx");
            Assert.AreEqual("", string.Join(", ", undeclared));
        }

        [TestMethod]
        public void PluginPackage_CarriesThePluginAssembliesAndNoPlatformAssembly()
        {
            using var fixture = new PackerFixture();
            using var archive = ZipFile.OpenRead(Pack(fixture, "out"));
            using var package = new ZipArchive(archive.GetEntry("pluginpackages/okos_OneKosmos.Plugins/package/okos_OneKosmos.Plugins.nupkg")!.Open());
            var libraries = package.Entries.Where(entry => entry.FullName.StartsWith("lib/net462/", StringComparison.Ordinal)).Select(entry => entry.Name).ToList();

            CollectionAssert.Contains(libraries, "OneKosmos.Plugins.dll");
            CollectionAssert.Contains(libraries, "OneKosmos.CustomApis.dll");
            CollectionAssert.Contains(libraries, "Newtonsoft.Json.dll");
            CollectionAssert.Contains(libraries, "BouncyCastle.Cryptography.dll");
            Assert.IsFalse(libraries.Any(name => name.StartsWith("Microsoft.Xrm.Sdk", StringComparison.Ordinal)));
            var nuspec = XDocument.Load(package.GetEntry("OneKosmos.Plugins.nuspec")!.Open());
            Assert.AreEqual("1.0.0", nuspec.Descendants().Single(element => element.Name.LocalName == "version").Value, "the package's own version, not the solution's");
        }

        [TestMethod]
        public void PluginPackage_KeepsItsOwnVersion_WhateverTheSolutionsVersion()
        {
            using var fixture = new PackerFixture();
            var zip = Pack(fixture, "out");

            var packed = Entry(zip, "pluginpackages/okos_OneKosmos.Plugins/pluginpackage.xml").Root!;

            Assert.AreEqual("1.0.0.0", fixture.Config.Version);
            Assert.AreEqual("1.0.0", (string?)packed.Element("version"));
            Assert.AreEqual("okos_OneKosmos.Plugins", (string?)packed.Element("name"));
        }

        [TestMethod]
        public void PackedZip_ImportedIntoTheSandbox_HasEveryComponentOfTheSource()
        {
            using var fixture = new PackerFixture();
            var fromSource = SolutionMetadataReader.Read(fixture.Source);

            var imported = InMemoryDataverse.FromSolutionZip(Pack(fixture, "out")).Metadata!;

            CollectionAssert.AreEquivalent(fromSource.Tables.Keys.ToArray(), imported.Tables.Keys.ToArray());
            foreach (var table in fromSource.Tables.Values)
            {
                CollectionAssert.AreEquivalent(table.Columns.Keys.ToArray(), imported.Table(table.LogicalName)!.Columns.Keys.ToArray(), table.LogicalName);
                CollectionAssert.AreEquivalent(table.Keys.Select(key => key.Name).ToArray(), imported.Table(table.LogicalName)!.Keys.Select(key => key.Name).ToArray());
            }
            CollectionAssert.AreEquivalent(fromSource.OptionSets.Keys.ToArray(), imported.OptionSets.Keys.ToArray());
            CollectionAssert.AreEquivalent(fromSource.Roles.Select(role => role.Id).ToArray(), imported.Roles.Select(role => role.Id).ToArray());
            CollectionAssert.AreEquivalent(fromSource.FieldSecurityProfiles.Select(profile => profile.Id).ToArray(), imported.FieldSecurityProfiles.Select(profile => profile.Id).ToArray());
            CollectionAssert.AreEquivalent(fromSource.EnvironmentVariables.Select(variable => variable.SchemaName).ToArray(), imported.EnvironmentVariables.Select(variable => variable.SchemaName).ToArray());
            CollectionAssert.AreEquivalent(new[] { "contact" }, imported.Table("okos_verification")!.Column("okos_contactid")!.Targets.ToArray());
            CollectionAssert.AreEquivalent(
                fromSource.CustomApis.Select(api => $"{api.UniqueName}({api.RequestParameters.Count}->{api.ResponseProperties.Count}) {api.ExecutePrivilegeName}").ToArray(),
                imported.CustomApis.Select(api => $"{api.UniqueName}({api.RequestParameters.Count}->{api.ResponseProperties.Count}) {api.ExecutePrivilegeName}").ToArray());
            Assert.IsTrue(fromSource.CustomApis.All(api => api.PluginTypeExportKey is not null || api.IsBusinessEvent), "the source names each API's type (a business event has none)");
            Assert.IsTrue(imported.CustomApis.All(api => api.PluginTypeExportKey is null), "the zip names none: okos-deploy binds them after the import");
            Assert.AreEqual(11, imported.CustomApis.Count);
            var workflow = imported.PluginAssemblies.Single();
            Assert.AreEqual("OneKosmos.Workflow, Version=1.0.0.0, Culture=neutral, PublicKeyToken=24a6ffb2c91c365a", workflow.FullName);
            Assert.AreEqual("OneKosmos Identity (1.0.0.0)", workflow.Types.Single().WorkflowActivityGroupName);
        }

        [TestMethod]
        public void TheWorkflowAssembly_ShipsAsItsOwnFileWhereItsRegistrationSaysItIs()
        {
            using var fixture = new PackerFixture();

            using var archive = ZipFile.OpenRead(Pack(fixture, "out"));

            var customizations = System.Xml.Linq.XDocument.Load(archive.GetEntry("customizations.xml")!.Open());
            var assembly = customizations.Root!.Element("SolutionPluginAssemblies")!.Elements("PluginAssembly").Single();
            var file = ((string)assembly.Element("FileName")!).TrimStart('/');
            using var stored = new MemoryStream();
            archive.GetEntry(file)!.Open().CopyTo(stored);
            CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(PackerFixture.WorkflowAssemblies, "OneKosmos.Workflow.dll")), stored.ToArray());
            Assert.AreEqual("OneKosmos Identity (1.0.0.0)", (string)assembly.Descendants("WorkflowActivityGroupName").Single());
            Assert.IsFalse(archive.Entries.Any(entry => entry.FullName.EndsWith(".data.xml", StringComparison.Ordinal)), "the data file is merged into customizations.xml");
        }

        [TestMethod]
        public void Steps_StayOutOfTheZip_OkosDeployRegistersThem()
        {
            using var fixture = new PackerFixture();

            using var archive = ZipFile.OpenRead(Pack(fixture, "out"));

            var customizations = System.Xml.Linq.XDocument.Load(archive.GetEntry("customizations.xml")!.Open());
            Assert.IsFalse(customizations.Descendants("SdkMessageProcessingStep").Any());
            var manifest = System.Xml.Linq.XDocument.Load(archive.GetEntry("solution.xml")!.Open());
            Assert.IsFalse(manifest.Descendants("RootComponent").Any(root => (string?)root.Attribute("type") == "92"));
            Assert.IsTrue(SolutionStepReader.Read(fixture.Source).Count > 10, "the source keeps every step");
        }

        [TestMethod]
        public void CustomApis_GoIntoTheZipWithoutTheirPluginType()
        {
            using var fixture = new PackerFixture();

            using var archive = ZipFile.OpenRead(Pack(fixture, "out"));

            var definitions = archive.Entries.Where(entry => entry.FullName.EndsWith("/customapi.xml", StringComparison.Ordinal)).ToList();
            Assert.AreEqual(11, definitions.Count, "nine APIs and the business events okos_VerificationEnded and okos_GateRefused");
            foreach (var definition in definitions)
            {
                var api = System.Xml.Linq.XDocument.Load(definition.Open()).Root!;
                Assert.IsNull(api.Element("plugintypeid"), definition.FullName);
                Assert.IsNotNull(api.Element("executeprivilegename"), definition.FullName);
            }
        }

        [TestMethod]
        public void CustomApiFolders_GoIntoTheZipAsTheSourceHoldsThem()
        {
            using var fixture = new PackerFixture();
            var files = Directory.GetFiles(fixture.PathOf("customapis"), "*", SearchOption.AllDirectories).Where(path => Path.GetFileName(path) != "customapi.xml").ToArray();

            using var archive = ZipFile.OpenRead(Pack(fixture, "out"));

            Assert.IsTrue(files.Length >= 5 * 3, "the APIs' parameters and properties");
            foreach (var file in files)
            {
                var entry = Path.GetRelativePath(fixture.Source, file).Replace('\\', '/');
                using var stored = new MemoryStream();
                archive.GetEntry(entry)!.Open().CopyTo(stored);
                CollectionAssert.AreEqual(File.ReadAllBytes(file), stored.ToArray(), entry);
            }
        }

        [TestMethod]
        public void Pack_WithoutBuiltAssemblies_SaysToBuildFirstAndWritesNothing()
        {
            using var fixture = new PackerFixture();
            var output = Path.Combine(fixture.Folder, "out");

            var (problems, written) = fixture.Packer(assemblies: Path.Combine(fixture.Folder, "nothing-built")).Pack(output);

            StringAssert.Contains(problems.Single().Message, "build the plug-in assemblies first");
            Assert.AreEqual(0, written.Count);
            Assert.IsFalse(Directory.Exists(output));
        }

        [TestMethod]
        public void TheWebResources_ShipAsBuilt_AndAreDeclaredInCustomizations()
        {
            using var fixture = new PackerFixture();

            using var archive = ZipFile.OpenRead(Pack(fixture, "out"));

            var customizations = System.Xml.Linq.XDocument.Load(archive.GetEntry("customizations.xml")!.Open());
            var declared = customizations.Root!.Element("WebResources")!.Elements("WebResource").Select(resource => (string)resource.Element("Name")!).ToArray();
            CollectionAssert.AreEquivalent(new[] { "okos_/idv/panel.html", "okos_/idv/panel.css", "okos_/idv/panel.js", "okos_/idv/form.js", "okos_/idv/strings.1033.resx" }, declared);
            foreach (var name in declared)
            {
                using var stored = new MemoryStream();
                archive.GetEntry("WebResources/" + name)!.Open().CopyTo(stored);
                CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(PackerFixture.WebResources, name)), stored.ToArray(), name);
            }
        }

        [TestMethod]
        public void TheIdentityForms_CarryThePanelAndTheFormScript()
        {
            using var fixture = new PackerFixture();

            using var archive = ZipFile.OpenRead(Pack(fixture, "out"));

            var customizations = System.Xml.Linq.XDocument.Load(archive.GetEntry("customizations.xml")!.Open());
            foreach (var table in new[] { "contact", "opportunity" })
            {
                var entity = customizations.Root!.Element("Entities")!.Elements("Entity").Single(candidate => (string)candidate.Element("Name")! == table);
                var form = entity.Descendants("systemform").Single();
                Assert.AreEqual("okos_/idv/panel.html", (string)form.Descendants("control").Single(control => (string)control.Attribute("id")! == "WebResource_okos_idv_panel").Element("parameters")!.Element("Url")!, table);
                var handler = form.Descendants("Handler").Single();
                Assert.AreEqual("okos.idv.form.onLoad", (string)handler.Attribute("functionName")!);
                Assert.AreEqual("true", (string)handler.Attribute("passExecutionContext")!);
                Assert.AreEqual("okos_/idv/form.js", (string)form.Descendants("Library").Single().Attribute("name")!);
            }
        }

        /// <summary>#23: an agent or a flow maker chooses an API, and fills its parameters, from these texts alone.</summary>
        [TestMethod]
        public void EveryCustomApiParameterAndProperty_HasADisplayNameAndADescriptionThatSaysMore()
        {
            var files = Directory.GetFiles(Path.Combine(RepositoryPaths.SolutionSource, "customapis"), "*.xml", SearchOption.AllDirectories);
            Assert.IsTrue(files.Length > 40);
            foreach (var file in files)
            {
                var root = System.Xml.Linq.XDocument.Load(file).Root!;
                var displayName = (string?)root.Element("displayname")?.Attribute("default") ?? "";
                var description = (string?)root.Element("description")?.Attribute("default") ?? "";
                Assert.IsTrue(displayName.Length > 0 && !displayName.StartsWith("okos_", StringComparison.Ordinal), $"{file}: a display name a person reads");
                Assert.IsTrue(description.Length >= 20 && description.Length <= 300 && description != displayName, $"{file}: a description of 20 to 300 characters that says more than the name");
            }
        }
    }
}
