using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using Microsoft.Xrm.Sdk;
using OneKosmos.Sandbox.Dataverse;
using OneKosmos.Sandbox.Host.Flows;
using OneKosmos.Tests.Shared;

namespace OneKosmos.Sandbox.Host.Tests.Flows
{
    /// <summary>
    /// #23 (groundwork): the sandbox runs solution cloud flows for the trigger and action kinds the product's flows use, so a
    /// scenario can show a shipped flow doing its job. The custom APIs here answer through recorded handlers: these tests are
    /// about the runner, not the APIs.
    /// </summary>
    [TestClass]
    public sealed class FlowRunnerTests
    {
        private const string Dataverse = """
            "connectionReferences": { "shared_commondataserviceforapps": { "connection": { "connectionReferenceLogicalName": "okos_dataverse" }, "api": { "name": "shared_commondataserviceforapps" } } },
            """;

        private static string Flow(string trigger, string actions) => $$"""
            { "properties": { {{Dataverse}} "definition": {
                "$schema": "https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#",
                "contentVersion": "1.0.0.0",
                "triggers": { {{trigger}} },
                "actions": { {{actions}} } } }, "schemaVersion": "1.0.0.0" }
            """;

        private static string Call(string name, string api, string parameters, string runAfter = "{}") => $$"""
            "{{name}}": { "type": "OpenApiConnection", "runAfter": {{runAfter}}, "inputs": {
                "host": { "connectionName": "shared_commondataserviceforapps", "operationId": "PerformUnboundAction", "apiId": "/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps" },
                "parameters": { "actionName": "{{api}}"{{parameters}} }, "authentication": "@parameters('$authentication')" } }
            """;

        private const string EveryFiveMinutes = """ "Every_5_minutes": { "type": "Recurrence", "recurrence": { "frequency": "Minute", "interval": 5 } } """;

        private static (InMemoryDataverse Dataverse, FlowRunner Runner, List<OrganizationRequest> Calls) Environment(Func<OrganizationRequest, OrganizationResponse>? answer = null)
        {
            var dataverse = InMemoryDataverse.FromSolution(RepositoryPaths.SolutionSource);
            var calls = new List<OrganizationRequest>();
            foreach (var api in new[] { "okos_ReconcileVerifications", "okos_GetVerificationStatus", "okos_VerificationEnded" })
            {
                dataverse.RegisterMessage(api, request =>
                {
                    calls.Add(request);
                    return answer?.Invoke(request) ?? new OrganizationResponse { ["Status"] = "Verified" };
                });
            }
            return (dataverse, new FlowRunner(dataverse, dataverse.Options.SystemUserId), calls);
        }

        [TestMethod]
        public void ARecurrence_RunsOnEachTick_CallingTheApiWithTypedParameters()
        {
            var (_, runner, calls) = Environment();
            runner.Attach(CloudFlow.FromJson("Reconcile", Flow(EveryFiveMinutes, Call("Reconcile", "okos_ReconcileVerifications", ", \"item/MaxSessions\": 100"))));

            runner.Tick();
            runner.Tick();

            Assert.AreEqual(2, calls.Count);
            Assert.AreEqual(100, calls[0]["MaxSessions"], "an Integer parameter arrives as an int");
            Assert.IsTrue(runner.Runs.All(run => run.Status == "Succeeded"));
        }

        [TestMethod]
        public void AFailedCall_RunsTheActionsSetToRunAfterItFailed_AndTheRunEndsAsTheyTerminateIt()
        {
            var (_, runner, _) = Environment(_ => throw new System.ServiceModel.FaultException<OrganizationServiceFault>(new OrganizationServiceFault { Message = "No connection" }, "No connection"));
            runner.Attach(CloudFlow.FromJson("Reconcile", Flow(EveryFiveMinutes, Call("Reconcile", "okos_ReconcileVerifications", "") + """
                , "On_success": { "type": "Compose", "runAfter": { "Reconcile": [ "Succeeded" ] }, "inputs": "fine" },
                  "Say_so": { "type": "Compose", "runAfter": { "Reconcile": [ "Failed" ] }, "inputs": "@{outputs('Reconcile')?['body/error/message']} at @{utcNow()}" },
                  "Stop": { "type": "Terminate", "runAfter": { "Say_so": [ "Succeeded" ] }, "inputs": { "runStatus": "Failed" } }
                """)));

            var run = runner.Tick().Single();

            Assert.AreEqual("Failed", run.Actions["Reconcile"].Status);
            StringAssert.StartsWith(FlowExpressions.AsText(run.Actions["Say_so"].Outputs), "No connection at ");
            Assert.AreEqual("Skipped", run.Actions["On_success"].Status);
            Assert.AreEqual("Failed", run.Status);
        }

        [TestMethod]
        public void AFailureNoActionHandles_FailsTheRun()
        {
            var (_, runner, _) = Environment(_ => throw new System.ServiceModel.FaultException<OrganizationServiceFault>(new OrganizationServiceFault { Message = "No" }, "No"));
            runner.Attach(CloudFlow.FromJson("Reconcile", Flow(EveryFiveMinutes, Call("Reconcile", "okos_ReconcileVerifications", ""))));

            Assert.AreEqual("Failed", runner.Tick().Single().Status);
        }

        private const string ContactWithEmail = """
            "When_a_contact_gets_an_email": { "type": "OpenApiConnectionWebhook", "inputs": {
                "host": { "connectionName": "shared_commondataserviceforapps", "operationId": "SubscribeWebhookTrigger", "apiId": "/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps" },
                "parameters": { "subscriptionRequest/message": 4, "subscriptionRequest/entityname": "contact", "subscriptionRequest/scope": 4,
                                "subscriptionRequest/filteringattributes": "emailaddress1", "subscriptionRequest/filterexpression": "emailaddress1 ne null" } } }
            """;

        [TestMethod]
        public void ARowTrigger_FiresOnItsMessagesFilteringColumnsAndFilter_WithTheRowAsItsBody()
        {
            var (dataverse, runner, calls) = Environment();
            runner.Attach(CloudFlow.FromJson("Check", Flow(ContactWithEmail, Call("Status", "okos_GetVerificationStatus", ", \"item/Email\": \"@triggerOutputs()?['body/emailaddress1']\"") + """
                , "If_verified": { "type": "If", "runAfter": { "Status": [ "Succeeded" ] },
                    "expression": { "and": [ { "equals": [ "@body('Status')?['Status']", "Verified" ] } ] },
                    "actions": { "Note": { "type": "Compose", "runAfter": {}, "inputs": "@concat('verified: ', triggerBody()?['lastname'])" } },
                    "else": { "actions": { "Other": { "type": "Compose", "runAfter": {}, "inputs": "not verified" } } } }
                """)));
            var service = dataverse.CreateOrganizationService(null);

            var jane = service.Create(new Entity("contact") { ["lastname"] = "Doe", ["emailaddress1"] = "jane@example.com" });
            service.Create(new Entity("contact") { ["lastname"] = "No email" });
            service.Update(new Entity("contact", jane) { ["lastname"] = "Roe" });
            service.Update(new Entity("contact", jane) { ["emailaddress1"] = "jane.roe@example.com" });

            CollectionAssert.AreEqual(new[] { "jane@example.com", "jane.roe@example.com" }, calls.Select(call => call.Parameters.TryGetValue("Email", out var email) ? (string)email : "(none)").ToArray(),
                "the create with an email, and the update of the email; not the contact without one, nor the update of another column");
            Assert.AreEqual("verified: Doe", FlowExpressions.AsText(runner.Runs[0].Actions["Note"].Outputs));
            Assert.IsFalse(runner.Runs[0].Actions.ContainsKey("Other"));
        }

        /// <summary>How a flow tells someone: it adds an email row (regarding a contact, to the contact) and sends it with SendEmail.</summary>
        [TestMethod]
        public void AFlow_SendsAnEmailThroughADataverseEmailActivity()
        {
            var (dataverse, runner, _) = Environment();
            var jane = dataverse.Seed(new Entity("contact") { ["lastname"] = "Doe", ["emailaddress1"] = "jane@example.com" })[0];
            runner.Attach(CloudFlow.FromJson("Tell", Flow(EveryFiveMinutes, $$"""
                "Create_email": { "type": "OpenApiConnection", "runAfter": {}, "inputs": {
                    "host": { "connectionName": "shared_commondataserviceforapps", "operationId": "CreateRecord", "apiId": "/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps" },
                    "parameters": { "entityName": "emails", "item/subject": "Your verification expired", "item/description": "Start again from the portal.",
                                    "item/regardingobjectid_contact@odata.bind": "contacts({{jane}})",
                                    "item/email_activity_parties": [ { "participationtypemask": 2, "partyid_contact@odata.bind": "contacts({{jane}})" } ] } } },
                "Send_it": { "type": "OpenApiConnection", "runAfter": { "Create_email": [ "Succeeded" ] }, "inputs": {
                    "host": { "connectionName": "shared_commondataserviceforapps", "operationId": "PerformBoundAction", "apiId": "/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps" },
                    "parameters": { "entityName": "emails", "recordId": "@outputs('Create_email')?['body/activityid']", "actionName": "Microsoft.Dynamics.CRM.SendEmail", "item/IssueSend": true } } }
                """)));

            var run = runner.Tick().Single();

            Assert.AreEqual("Succeeded", run.Status, string.Join("; ", run.Actions.Select(action => $"{action.Key}: {action.Value.Status} {action.Value.Error}")));
            var email = dataverse.Rows("email").Single();
            Assert.AreEqual(("Your verification expired", new EntityReference("contact", jane)), (email.GetAttributeValue<string>("subject"), email.GetAttributeValue<EntityReference>("regardingobjectid")));
            Assert.AreEqual(3, email.GetAttributeValue<OptionSetValue>("statuscode").Value, "sent");
        }

        [TestMethod]
        public void AnEmailToSomeoneWithoutAnAddress_FailsItsAction_WithDataversesMessage()
        {
            var (dataverse, runner, _) = Environment();
            var nobody = dataverse.Seed(new Entity("contact") { ["lastname"] = "Nobody" })[0];
            runner.Attach(CloudFlow.FromJson("Tell", Flow(EveryFiveMinutes, $$"""
                "Create_email": { "type": "OpenApiConnection", "runAfter": {}, "inputs": {
                    "host": { "connectionName": "shared_commondataserviceforapps", "operationId": "CreateRecord" },
                    "parameters": { "entityName": "emails", "item/subject": "Hello",
                                    "item/email_activity_parties": [ { "participationtypemask": 2, "partyid_contact@odata.bind": "contacts({{nobody}})" } ] } } },
                "Send_it": { "type": "OpenApiConnection", "runAfter": { "Create_email": [ "Succeeded" ] }, "inputs": {
                    "host": { "connectionName": "shared_commondataserviceforapps", "operationId": "PerformBoundAction" },
                    "parameters": { "entityName": "emails", "recordId": "@outputs('Create_email')?['body/activityid']", "actionName": "Microsoft.Dynamics.CRM.SendEmail", "item/IssueSend": true } } }
                """)));

            var run = runner.Tick().Single();

            Assert.AreEqual("Failed", run.Actions["Send_it"].Status);
            StringAssert.Contains(run.Actions["Send_it"].Error, "has no email address");
        }

        /// <summary>A flow started by the business event okos_VerificationEnded runs once the raising transaction commits, with the event's parameters.</summary>
        [TestMethod]
        public void AnActionPerformedTrigger_RunsAFlowOnTheBusinessEvent_WithItsParameters()
        {
            var (dataverse, runner, _) = Environment();
            runner.Attach(CloudFlow.FromJson("On ending", Flow("""
                "When_a_verification_ends": { "type": "OpenApiConnectionWebhook", "inputs": {
                    "host": { "connectionName": "shared_commondataserviceforapps", "operationId": "SubscribeWebhookTrigger", "apiId": "/providers/Microsoft.PowerApps/apis/shared_commondataserviceforapps" },
                    "parameters": { "subscriptionRequest/message": 4, "subscriptionRequest/entityname": "none", "subscriptionRequest/scope": 4, "subscriptionRequest/name": "okos_VerificationEnded" } } }
                """, """
                "Say": { "type": "Compose", "runAfter": {}, "inputs": "@{triggerOutputs()?['body/InputParameters/Outcome']} for @{triggerOutputs()?['body/InputParameters/Subject']}" }
                """)));
            var contact = Guid.NewGuid();

            dataverse.CreateOrganizationService(null).Execute(new OrganizationRequest("okos_VerificationEnded")
            {
                ["VerificationId"] = Guid.NewGuid(),
                ["Subject"] = new EntityReference("contact", contact),
                ["Outcome"] = "Failed",
                ["Journey"] = "IdentityProofing",
            });

            Assert.AreEqual($"Failed for {contact}", FlowExpressions.AsText(runner.Runs.Single().Actions["Say"].Outputs));
        }

        [TestMethod]
        public void WhatTheRunnerDoesNotModel_IsRefusedByName()
        {
            var (_, runner, _) = Environment();

            StringAssert.Contains(Assert.ThrowsExactly<FlowException>(() => runner.Attach(CloudFlow.FromJson("Manual", Flow("\"manual\": { \"type\": \"Request\", \"kind\": \"Button\" }", "")))).Message, "Request trigger");
            runner.Attach(CloudFlow.FromJson("Http", Flow(EveryFiveMinutes, "\"Call_out\": { \"type\": \"Http\", \"runAfter\": {}, \"inputs\": { \"method\": \"GET\", \"uri\": \"https://example.com\" } }")));
            StringAssert.Contains(Assert.ThrowsExactly<FlowException>(() => runner.Tick()).Message, "Call_out");
        }

        [TestMethod]
        [DataRow("@equals(1, 1)", "true")]
        [DataRow("@not(equals('a', 'b'))", "true")]
        [DataRow("@concat('a', 'b', string(3))", "\"ab3\"")]
        [DataRow("@triggerBody()?['row']?['name']", "\"Jane\"")]
        [DataRow("@triggerOutputs()?['body/row/name']", "\"Jane\"")]
        [DataRow("@coalesce(triggerBody()?['missing'], 'fallback')", "\"fallback\"")]
        [DataRow("Hello @{triggerBody()?['row/name']}!", "\"Hello Jane!\"")]
        [DataRow("@@not an expression", "\"@not an expression\"")]
        [DataRow("@greater(2, 1)", "true")]
        [DataRow("@if(equals(1, 2), 'yes', 'no')", "\"no\"")]
        [DataRow("@toLower('Failed')", "\"failed\"")]
        [DataRow("@first(triggerBody()?['items'])?['id']", "\"q1\"")]
        [DataRow("@empty(triggerBody()?['items'])", "false")]
        public void Expressions_EvaluateAsTheWorkflowDefinitionLanguageSays(string expression, string expected)
        {
            var body = new JsonObject { ["row"] = new JsonObject { ["name"] = "Jane" }, ["items"] = new JsonArray(new JsonObject { ["id"] = "q1" }, new JsonObject { ["id"] = "q2" }) };
            var expressions = new FlowExpressions(call => call switch
            {
                "triggerBody" => body.DeepClone(),
                "triggerOutputs" => new JsonObject { ["body"] = body.DeepClone() },
                _ => throw new FlowException(call),
            });

            Assert.AreEqual(expected, expressions.Evaluate(JsonValue.Create(expression))?.ToJsonString());
        }
    }
}
