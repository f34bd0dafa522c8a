using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Microsoft.Xrm.Sdk;
using OneKosmos.Solution.Model;
using OneKosmos.Tests.Shared;

namespace OneKosmos.Deploy.Tests
{
    /// <summary>okos-deploy against a new environment over the Web API, as a pipeline runs it (issue #19's acceptance).</summary>
    [TestClass]
    public sealed class DeployTests
    {
        private static readonly System.Collections.Generic.IReadOnlyList<StepRegistration> SourceSteps = SolutionStepReader.Read(RepositoryPaths.SolutionSource);

        [TestMethod]
        public async Task FreshInstall_ImportsBindsRegistersSetsAndChecks()
        {
            await using var target = await DeployTarget.StartAsync();
            var output = new RecordingOutput();

            var exit = await target.DeployAsync(output, Solutions.Current);

            Assert.AreEqual(0, exit, output.ToString());
            var dataverse = target.Dataverse;
            Assert.AreEqual("1.0.0.0", dataverse.Rows("solution").Single().GetAttributeValue<string>("version"));
            var apis = dataverse.Rows("customapi");
            Assert.AreEqual(11, apis.Count);
            var types = dataverse.Rows("plugintype").ToDictionary(type => type.Id, type => type.GetAttributeValue<string>("typename"));
            foreach (var api in apis)
            {
                var name = api.GetAttributeValue<string>("uniquename");
                if (name is "okos_VerificationEnded" or "okos_GateRefused")
                {
                    Assert.IsFalse(api.Contains("plugintypeid"), "a business event runs no plug-in: nothing to bind");
                    continue;
                }
                Assert.AreEqual("OneKosmos.CustomApis." + name["okos_".Length..], types[api.GetAttributeValue<EntityReference>("plugintypeid").Id], name);
            }
            var steps = dataverse.Rows("sdkmessageprocessingstep");
            CollectionAssert.AreEquivalent(SourceSteps.Select(step => step.Id).ToArray(), steps.Select(step => step.Id).ToArray());
            Assert.AreEqual(0, dataverse.Rows("solutioncomponent").Count, "a managed solution takes no new components");
            StringAssert.Contains(output.ToString(), "the steps stay in the environment's unmanaged layer");
            Assert.AreEqual(SourceSteps.Sum(step => step.Images.Count), dataverse.Rows("sdkmessageprocessingstepimage").Count);
            Assert.AreEqual("yes", Variable(dataverse, "okos_VerifyOnContactCreate"));
            var connection = dataverse.Rows("okos_blockidconnection").Single();
            Assert.AreEqual("acme.1kosmos.net", connection.GetAttributeValue<string>("okos_tenantdns"));
            Assert.AreEqual(target.Variables["OKOS_BLOCKID_LICENSE_KEY"], connection.GetAttributeValue<string>("okos_licensekey"));
            Assert.AreEqual(1, dataverse.Publications);
            StringAssert.Contains(output.ToString(), "okos_GetVerificationStatus answers");
            StringAssert.Contains(output.ToString(), "the 1Kosmos connection reads back: Production");
        }

        [TestMethod]
        public async Task UnmanagedInstall_AddsEveryStepToTheSolution_SoAnExportCarriesThem()
        {
            await using var target = await DeployTarget.StartAsync();
            var output = new RecordingOutput();

            var exit = await target.DeployAsync(output, Solutions.Unmanaged);

            Assert.AreEqual(0, exit, output.ToString());
            Assert.IsFalse(target.Dataverse.Rows("solution").Single().GetAttributeValue<bool>("ismanaged"));
            var components = target.Dataverse.Rows("solutioncomponent");
            CollectionAssert.AreEquivalent(SourceSteps.Select(step => step.Id).ToArray(), components.Select(component => component.GetAttributeValue<Guid>("objectid")).ToArray());
            Assert.IsTrue(components.All(component => component.GetAttributeValue<int>("componenttype") == 92));
        }

        [TestMethod]
        public async Task FreshInstall_RegistersTheGateByMessageName_WhoseIdsAreNewInEveryEnvironment()
        {
            await using var target = await DeployTarget.StartAsync();

            await target.DeployAsync(new RecordingOutput(), Solutions.Current);

            var win = target.Dataverse.Rows("sdkmessage").Single(message => message.GetAttributeValue<string>("name") == "Win").Id;
            var gate = target.Dataverse.Rows("sdkmessageprocessingstep").Where(step => step.GetAttributeValue<string>("name").StartsWith("OneKosmos.Plugins.Steps.SensitiveActionGate", StringComparison.Ordinal)).ToList();
            Assert.AreEqual(4, gate.Count, "Win of opportunity, QualifyLead of lead, Create and Update of incident");
            Assert.IsTrue(gate.Any(step => step.GetAttributeValue<EntityReference>("sdkmessageid").Id == win));
            Assert.IsTrue(gate.All(step => step.GetAttributeValue<OptionSetValue>("stage").Value == 10), "pre-validation, so a refusal's business event outlives the refused request");
        }

        [TestMethod]
        public async Task FreshInstall_SaysNoSecretAndKeepsNoneInTheTimeline()
        {
            await using var target = await DeployTarget.StartAsync();
            var output = new RecordingOutput();

            await target.DeployAsync(output, Solutions.Current);

            foreach (var secret in target.Variables.Values)
            {
                Assert.IsFalse(output.ToString().Contains(secret, StringComparison.Ordinal), "a secret reached the output");
            }
            StringAssert.Contains(output.ToString(), "okos_licensekey (secret)");
        }

        [TestMethod]
        public async Task SecondRun_ChangesNothing()
        {
            await using var target = await DeployTarget.StartAsync();
            await target.DeployAsync(new RecordingOutput(), Solutions.Current);
            var rowsBefore = Snapshot(target);
            var output = new RecordingOutput();

            var exit = await target.DeployAsync(output, Solutions.Current);

            Assert.AreEqual(0, exit);
            CollectionAssert.AreEqual(Array.Empty<string>(), output.Changes, output.ToString());
            StringAssert.Contains(output.ToString(), "Nothing to change");
            Assert.AreEqual(1, target.Dataverse.Publications, "nothing changed, nothing published");
            CollectionAssert.AreEqual(rowsBefore, Snapshot(target));
        }

        [TestMethod]
        public async Task SecondRun_PutsBackWhatSomeoneChanged_AndOnlyThat()
        {
            await using var target = await DeployTarget.StartAsync();
            await target.DeployAsync(new RecordingOutput(), Solutions.Current);
            var api = target.Dataverse.Rows("customapi").First();
            target.Dataverse.Overwrite(new Entity("customapi", api.Id) { ["plugintypeid"] = null });
            var output = new RecordingOutput();

            await target.DeployAsync(output, Solutions.Current);

            Assert.AreEqual(2, output.Changes.Count, output.ToString());
            StringAssert.StartsWith(output.Changes[0], "bind " + api.GetAttributeValue<string>("uniquename"));
            Assert.AreEqual("publish all customizations", output.Changes[1]);
            Assert.IsNotNull(target.Dataverse.Rows("customapi").Single(row => row.Id == api.Id).GetAttributeValue<EntityReference>("plugintypeid"));
        }

        [TestMethod]
        public async Task Upgrade_ToAHigherVersion_KeepsEveryRowAndTheTypesKeys()
        {
            await using var target = await DeployTarget.StartAsync();
            await target.DeployAsync(new RecordingOutput(), Solutions.Current);
            var contact = target.Dataverse.Seed(new Entity("contact") { ["lastname"] = "Doe", ["emailaddress1"] = "jane@example.com" })[0];
            var keys = target.Dataverse.Rows("plugintype").ToDictionary(type => type.Id, type => type.GetAttributeValue<string>("plugintypeexportkey"));
            var output = new RecordingOutput();

            var exit = await target.DeployAsync(output, Solutions.AtVersion("1.0.1.0"));

            Assert.AreEqual(0, exit, output.ToString());
            Assert.AreEqual("upgrade OneKosmosIdentity 1.0.0.0 to 1.0.1.0 (rows are kept)", output.Changes[0]);
            Assert.AreEqual("1.0.1.0", target.Dataverse.Rows("solution").Single().GetAttributeValue<string>("version"));
            Assert.AreEqual("Doe", target.Dataverse.Rows("contact").Single(row => row.Id == contact).GetAttributeValue<string>("lastname"));
            Assert.AreEqual(1, target.Dataverse.Rows("okos_blockidconnection").Count);
            CollectionAssert.AreEquivalent(keys.ToArray(), target.Dataverse.Rows("plugintype").ToDictionary(type => type.Id, type => type.GetAttributeValue<string>("plugintypeexportkey")).ToArray());
        }

        [TestMethod]
        public async Task OlderVersion_IsRefused_NeverDowngraded()
        {
            await using var target = await DeployTarget.StartAsync();
            await target.DeployAsync(new RecordingOutput(), Solutions.AtVersion("1.0.1.0"));

            var failure = await Assert.ThrowsExactlyAsync<DeployFailure>(() => target.DeployAsync(new RecordingOutput(), Solutions.Current));

            Assert.AreEqual("Import the solution", failure.Step);
            StringAssert.Contains(failure.Message, "1.0.1.0 is installed, newer than 1.0.0.0");
            StringAssert.Contains(failure.WhatToDo, "never downgrades");
        }

        [TestMethod]
        public async Task FailingImport_ShowsTheImportsErrorAndChangesNothingAfterIt()
        {
            await using var target = await DeployTarget.StartAsync();
            var broken = Solutions.WithEntry("customizations.xml", "<ImportExportXml><Entities>");
            var output = new RecordingOutput();

            var failure = await Assert.ThrowsExactlyAsync<DeployFailure>(() => target.DeployAsync(output, broken));

            Assert.AreEqual("Import the solution", failure.Step);
            StringAssert.Contains(failure.Message, "The import failed");
            StringAssert.Contains(failure.Message, "malformed");
            StringAssert.Contains(failure.WhatToDo, "nothing after the import was changed");
            Assert.AreEqual(0, target.Dataverse.Rows("solution").Count);
            Assert.AreEqual(0, target.Dataverse.Rows("sdkmessageprocessingstep").Count);
            StringAssert.Contains(failure.ToString(), "okos-deploy stopped at \"Import the solution\"");
        }

        [TestMethod]
        public async Task MissingPrivilege_IsNamed_WithWhatToDo()
        {
            await using var target = await DeployTarget.StartAsync();
            target.SignInAs(target.Dataverse.AddUser("Pipeline without a role", Array.Empty<string>()));

            var failure = await Assert.ThrowsExactlyAsync<DeployFailure>(() => target.DeployAsync(new RecordingOutput(), Solutions.Current));

            StringAssert.Contains(failure.Message, "prvReadSolution");
            Assert.AreEqual("0x80040220", failure.Code);
            StringAssert.Contains(failure.WhatToDo, "System Administrator");
            Assert.AreEqual(0, target.Dataverse.Rows("solution").Count);
        }

        [TestMethod]
        public async Task DryRun_OnANewEnvironment_SaysWhatItWouldDoAndChangesNothing()
        {
            await using var target = await DeployTarget.StartAsync();
            var output = new RecordingOutput();

            var exit = await target.DeployAsync(output, Solutions.Current, dryRun: true);

            Assert.AreEqual(0, exit);
            Assert.AreEqual("would import OneKosmosIdentity 1.0.0.0 (managed)", output.Changes[0]);
            Assert.IsTrue(output.Changes.Any(change => change == $"would register {SourceSteps.Count} steps, after the import"), output.ToString());
            Assert.IsTrue(output.Changes.Any(change => change.StartsWith("would set okos_VerifyOnContactCreate", StringComparison.Ordinal)), output.ToString());
            Assert.AreEqual(0, target.Dataverse.Rows("solution").Count);
            Assert.AreEqual(0, target.Dataverse.Rows("customapi").Count);
            Assert.AreEqual(0, target.Dataverse.Publications);
        }

        [TestMethod]
        public async Task DryRun_AfterAChange_SaysOnlyThatChangeAndMakesNone()
        {
            await using var target = await DeployTarget.StartAsync();
            await target.DeployAsync(new RecordingOutput(), Solutions.Current);
            var settings = target.Settings();
            settings.EnvironmentVariables["okos_VerifyOnContactCreate"] = "no";
            var output = new RecordingOutput();

            await target.DeployAsync(output, Solutions.Current, settings, dryRun: true);

            CollectionAssert.AreEqual(new[] { "would set okos_VerifyOnContactCreate = no", "would publish all customizations" }, output.Changes, output.ToString());
            Assert.AreEqual("yes", Variable(target.Dataverse, "okos_VerifyOnContactCreate"));
        }

        [TestMethod]
        public async Task MissingSecret_StopsBeforeAnythingChanges_NamingTheVariable()
        {
            await using var target = await DeployTarget.StartAsync();
            target.Variables.Remove("OKOS_BLOCKID_DVC_ID");

            var failure = await Assert.ThrowsExactlyAsync<DeployFailure>(() => target.DeployAsync(new RecordingOutput(), Solutions.Current));

            StringAssert.Contains(failure.Message, "OKOS_BLOCKID_DVC_ID");
            StringAssert.Contains(failure.WhatToDo, "never in the settings file");
            Assert.AreEqual(0, target.Dataverse.Rows("solution").Count);
        }

        [TestMethod]
        public async Task UnknownEnvironmentVariable_IsRefusedWithTheKnownOnes()
        {
            await using var target = await DeployTarget.StartAsync();
            var settings = target.Settings();
            settings.EnvironmentVariables["okos_VerifyOnContactCreat"] = "yes";

            var failure = await Assert.ThrowsExactlyAsync<DeployFailure>(() => target.DeployAsync(new RecordingOutput(), Solutions.Current, settings));

            StringAssert.Contains(failure.Message, "okos_VerifyOnContactCreat, which the solution does not define");
            StringAssert.Contains(failure.WhatToDo, "okos_VerifyOnContactCreate");
        }

        [TestMethod]
        public async Task ServiceProtection_IsWaitedOutAsRetryAfterSays()
        {
            await using var target = await DeployTarget.StartAsync();
            target.Endpoint.Api.Throttle(2, TimeSpan.Zero);

            var exit = await target.DeployAsync(new RecordingOutput(), Solutions.Current);

            Assert.AreEqual(0, exit);
            Assert.AreEqual(1, target.Dataverse.Rows("solution").Count);
        }

        [TestMethod]
        public async Task TheExampleSettings_DeployAsTheReadmeSays()
        {
            await using var target = await DeployTarget.StartAsync();
            var settings = DeploySettings.Load(System.IO.Path.Combine(RepositoryPaths.Root, "Deploy", "deploy.example.json"));
            settings.SignIn = target.Settings().SignIn;
            target.Variables["OKOS_CALLBACK_SIGNING_SECRET"] = "whsec_" + Convert.ToBase64String(new byte[32]);
            var output = new RecordingOutput();

            var exit = await target.DeployAsync(output, Solutions.Current, settings);

            Assert.AreEqual(0, exit, output.ToString());
            Assert.AreEqual("""["Propose"]""", Variable(target.Dataverse, "okos_VerificationStages"));
            Assert.AreEqual("acme.1kosmos.net", target.Dataverse.Rows("okos_blockidconnection").Single().GetAttributeValue<string>("okos_tenantdns"));
        }

        private const string Dataverse = "okos_sharedcommondataserviceforapps";
        private const string Reconcile = "Reconcile identity verifications";
        private const string LeadFlow = "Verify the customer when a lead is qualified";

        private static int FlowState(DeployTarget target, string name) =>
            target.Dataverse.Rows("workflow").Single(row => row.GetAttributeValue<string>("name") == name).GetAttributeValue<OptionSetValue>("statecode").Value;

        [TestMethod]
        public async Task Flows_ArriveOff_AndTheShippedOneSaysItWaitsForItsConnection()
        {
            await using var target = await DeployTarget.StartAsync();
            var output = new RecordingOutput();

            await target.DeployAsync(output, Solutions.Current);

            Assert.AreEqual(5, target.Dataverse.Rows("workflow").Count);
            Assert.IsTrue(target.Dataverse.Rows("workflow").All(row => row.GetAttributeValue<OptionSetValue>("statecode").Value == 0), "an import cannot turn on a flow whose connection is not bound");
            StringAssert.Contains(output.ToString(), $"{Reconcile} stays off until its connection is bound");
            StringAssert.Contains(output.ToString(), "flows.connectionReferences for " + Dataverse);
        }

        [TestMethod]
        public async Task Flows_BoundToTheirConnection_TurnOnTheShippedOneAndThoseNamed_AndOnlyThose()
        {
            await using var target = await DeployTarget.StartAsync();
            var settings = target.Settings();
            settings.Flows.ConnectionReferences[Dataverse] = "shared-commondataserviceforapps-1234";
            settings.Flows.TurnOn.Add(LeadFlow);
            await target.DeployAsync(new RecordingOutput(), Solutions.Current, settings);

            Assert.AreEqual("shared-commondataserviceforapps-1234", target.Dataverse.Rows("connectionreference").Single().GetAttributeValue<string>("connectionid"));
            Assert.AreEqual(1, FlowState(target, Reconcile));
            Assert.AreEqual(1, FlowState(target, LeadFlow));
            Assert.AreEqual(3, target.Dataverse.Rows("workflow").Count(row => row.GetAttributeValue<OptionSetValue>("statecode").Value == 0));
            var again = new RecordingOutput();
            await target.DeployAsync(again, Solutions.Current, settings);
            CollectionAssert.AreEqual(Array.Empty<string>(), again.Changes, again.ToString());
        }

        [TestMethod]
        public async Task AFlowNamedButItsConnectionUnbound_FailsSayingWhatToBind()
        {
            await using var target = await DeployTarget.StartAsync();
            var settings = target.Settings();
            settings.Flows.TurnOn.Add(LeadFlow);

            var failure = await Assert.ThrowsExactlyAsync<DeployFailure>(() => target.DeployAsync(new RecordingOutput(), Solutions.Current, settings));

            StringAssert.Contains(failure.Message, $"{LeadFlow} cannot be turned on: {Dataverse} is bound to no connection");
            StringAssert.Contains(failure.WhatToDo, "flows.connectionReferences");
            Assert.AreEqual(0, FlowState(target, LeadFlow));
        }

        [TestMethod]
        public async Task AnUnknownFlowOrConnectionReference_IsRefusedWithTheKnownNames()
        {
            await using var target = await DeployTarget.StartAsync();
            var settings = target.Settings();
            settings.Flows.TurnOn.Add("Verify a new hier");

            var failure = await Assert.ThrowsExactlyAsync<DeployFailure>(() => target.DeployAsync(new RecordingOutput(), Solutions.Current, settings));
            StringAssert.Contains(failure.Message, "Verify a new hier, which the solution does not have");
            StringAssert.Contains(failure.WhatToDo, "Verify a new hire");

            settings.Flows.TurnOn.Clear();
            settings.Flows.ConnectionReferences["okos_office365"] = "x";
            failure = await Assert.ThrowsExactlyAsync<DeployFailure>(() => target.DeployAsync(new RecordingOutput(), Solutions.Current, settings));
            StringAssert.Contains(failure.Message, "okos_office365, which the environment does not have");
        }

        private static string? Variable(Sandbox.Dataverse.InMemoryDataverse dataverse, string schemaName)
        {
            var definition = dataverse.Rows("environmentvariabledefinition").Single(row => row.GetAttributeValue<string>("schemaname") == schemaName).Id;
            return dataverse.Rows("environmentvariablevalue").SingleOrDefault(row => row.GetAttributeValue<EntityReference>("environmentvariabledefinitionid")?.Id == definition)?.GetAttributeValue<string>("value");
        }

        /// <summary>Every row a deployment may touch, with its version: equal snapshots mean nothing was written.</summary>
        private static string[] Snapshot(DeployTarget target) =>
            new[] { "solution", "solutioncomponent", "customapi", "plugintype", "sdkmessageprocessingstep", "sdkmessageprocessingstepimage", "environmentvariablevalue", "okos_blockidconnection", "workflow", "connectionreference" }
                .SelectMany(table => target.Dataverse.Rows(table).Select(row => $"{table} {row.Id} {row.RowVersion}"))
                .ToArray();
    }
}
