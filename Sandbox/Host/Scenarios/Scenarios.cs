using System;
using System.Collections.Generic;
using System.Linq;
using System.ServiceModel;
using System.Threading.Tasks;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Sandbox.BlockId;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Core.Verification;

namespace OneKosmos.Sandbox.Host.Scenarios
{
    /// <summary>A scripted run through the product that prints what happened and fails when an expectation does not hold.</summary>
    public sealed class ScenarioFailed(string expectation) : Exception(expectation);

    /// <summary>The scenarios <c>okos-sandbox scenario NAME</c> runs; each drives the product as users and 1Kosmos would.</summary>
    public static class Scenarios
    {
        public static readonly IReadOnlyDictionary<string, (string Description, bool NeedsRelay, Func<LocalEnvironment, Task> Run)> All =
            new Dictionary<string, (string, bool, Func<LocalEnvironment, Task>)>(StringComparer.Ordinal)
            {
                ["onboarding"] = ("contact created → 1Kosmos session → capture completed → event relayed → Verified IAL2", true, OnboardingAsync),
                ["step-up-before-win"] = ("Win blocked → LiveID step-up approved → Win allowed", true, StepUpBeforeWinAsync),
                ["lost-callback"] = ("no callback ever arrives → reconcile finds the result", false, LostCallbackAsync),
                ["verified-id"] = ("Verified IAL2 → Verified ID credential accepted in the wallet (with a PIN) → Face Check at 62 fails → Face Check at 87 is a fresh step-up", true, VerifiedIdAsync),
                ["flow-reconcile"] = ("flow Reconcile identity verifications: no callback arrives → five minutes later the scheduled flow finishes it", false, ReconcileFlowAsync),
                ["flow-lead-qualified"] = ("flow Verify the customer when a lead is qualified: a seller qualifies a lead → proofing starts for its contact", false, LeadQualifiedFlowAsync),
                ["flow-case-step-up"] = ("flow Step-up before a refund or account change: refund requested → step-up asked, owner told → approval refused → LiveID approved → approval goes through", true, CaseStepUpFlowAsync),
                ["flow-new-hire"] = ("flow Verify a new hire: HR onboarding creates an employee contact → proofing starts; a customer contact is left alone", false, NewHireFlowAsync),
                ["flow-tell-owner"] = ("flow Tell the owner when a verification fails or expires: liveness fails → the contact's owner gets an email", true, TellOwnerFlowAsync),
            };

        private static readonly int Verified = Choices.Of(VerificationStatus.Verified).Value;
        private static readonly int Failed = Choices.Of(VerificationStatus.Failed).Value;

        public static async Task OnboardingAsync(LocalEnvironment environment)
        {
            var contact = await VerifiedContactAsync(environment, "Jane", "Doe");
            // The row turns Verified inside the callback API, a moment before the relay hears its answer: wait for that too.
            await WaitAsync(environment, () => environment.Timeline.Any(line => line.Contains("Web API ran okos_ProcessVerificationCallback", StringComparison.Ordinal)), "the relay's delivery to be answered");
            var standing = Status(environment, contact);
            Expect(environment, (string)standing["IalLevel"] == "IAL2", "the panel reads IAL2");
            environment.Note($"Panel: {standing["Summary"]}");
        }

        public static async Task StepUpBeforeWinAsync(LocalEnvironment environment)
        {
            var contact = await VerifiedContactAsync(environment, "Sam", "Seller");
            var opportunity = environment.Service.Create(new Entity("opportunity")
            {
                ["name"] = "Mortgage 250k",
                ["parentcontactid"] = new EntityReference("contact", contact),
                ["estimatedvalue"] = new Money(250_000m),
            });
            environment.Note("Opportunity 'Mortgage 250k' created for the contact");
            var blocked = Win(environment, opportunity);
            Expect(environment, blocked is not null && blocked.Contains("needs a biometric step-up", StringComparison.Ordinal), "Win is blocked for want of a step-up");
            environment.Note($"Win blocked: {blocked}");

            var stepUp = environment.Service.Execute(new OrganizationRequest("okos_StartVerification")
            {
                ["Subject"] = new EntityReference("contact", contact),
                ["Journey"] = "LiveIdStepUp",
                ["Regarding"] = new EntityReference("opportunity", opportunity),
            });
            environment.Note($"LiveID step-up requested (session {stepUp["SessionId"]})");
            environment.Simulator.ApproveLiveId((string)stepUp["SessionId"], "did:blockid:sam-seller");
            environment.Note("The person approved in the BlockID app");
            await WaitAsync(environment, () => (bool)Status(environment, contact)["StepUpFresh"], "the step-up to be fresh");
            Expect(environment, Win(environment, opportunity) is null, "Win goes ahead after the step-up");
            environment.Note("Win allowed: the opportunity is won");
        }

        public static async Task LostCallbackAsync(LocalEnvironment environment)
        {
            var contact = CreateContact(environment, "Lou", "Lost");
            var row = await WaitForRowAsync(environment, contact);
            environment.Simulator.Complete((string)row["okos_sessionid"], CaptureOutcome.PassWithSelfie);
            environment.Note("The person completed the capture; no relay runs, so no callback arrives");
            Expect(environment, Choice(Row(environment, row.Id), "okos_status") != Verified, "still Pending without a callback");
            var report = environment.Service.Execute(new OrganizationRequest("okos_ReconcileVerifications") { ["OlderThanMinutes"] = 0 });
            environment.Note($"Reconcile: checked {report["Checked"]}, updated {report["Updated"]}, expired {report["Expired"]}, errors {report["Errors"]}");
            Expect(environment, Choice(Row(environment, row.Id), "okos_status") == Verified, "reconcile made the row Verified");
        }

        public static async Task VerifiedIdAsync(LocalEnvironment environment)
        {
            var connection = environment.Dataverse.Rows("okos_blockidconnection").Single();
            environment.Service.Update(new Entity("okos_blockidconnection", connection.Id) { ["okos_entrapinlength"] = 12, ["okos_facecheckthreshold"] = 70 });
            environment.Note("Verification Administrator: Verified ID PIN of 12 digits, Face Check threshold 70");
            var contact = await VerifiedContactAsync(environment, "Ana", "Silva");
            var subject = new EntityReference("contact", contact);

            var issued = environment.Service.Execute(new OrganizationRequest("okos_IssueVerifiedIdCredential") { ["Subject"] = subject });
            var issuance = (Guid)issued["VerificationId"];
            environment.Note("Credential offered for Microsoft Authenticator; the agent reads the PIN to the person");
            var request = environment.Entra.Requests.Single(item => item.IsIssuance);
            await environment.Entra.AcceptAsync(request.Id, (string)issued["Pin"]);
            environment.Note("The person scanned the code, typed the PIN and added the card to the wallet");
            await WaitAsync(environment, () => Choice(Row(environment, issuance), "okos_status") == Verified, "Entra's callback, through the relay, to mark the credential issued");
            Expect(environment, (bool)Status(environment, contact)["FaceCheckReady"], "the panel offers Face Check");

            var first = await FaceCheckAsync(environment, subject, 62);
            Expect(environment, Choice(Row(environment, first), "okos_status") == Failed
                && Row(environment, first).GetAttributeValue<string>("okos_failurereason").StartsWith("claimValidationError", StringComparison.Ordinal), "a face match of 62% fails with Entra's reason");
            var second = await FaceCheckAsync(environment, subject, 87);
            Expect(environment, Row(environment, second).GetAttributeValue<decimal?>("okos_matchconfidence") == 0.87m, "match confidence 0.87 is stored");
            Expect(environment, (bool)Status(environment, contact)["StepUpFresh"], "the Face Check is a fresh step-up");
        }

        public static async Task ReconcileFlowAsync(LocalEnvironment environment)
        {
            var contact = CreateContact(environment, "Rita", "Recurring");
            var row = await WaitForRowAsync(environment, contact);
            environment.Simulator.Complete((string)row["okos_sessionid"], CaptureOutcome.PassWithSelfie);
            environment.Note("The person completed the capture; no relay runs, so no callback arrives");
            environment.Flows.Tick();
            Expect(environment, Choice(Row(environment, row.Id), "okos_status") != Verified, "a session checked less than five minutes ago is left for later");
            environment.Clock.Advance(TimeSpan.FromMinutes(6));
            environment.Note("Six minutes later the recurrence fires again");
            var run = environment.Flows.Tick().Single();
            Expect(environment, run.Status == "Succeeded" && Choice(Row(environment, row.Id), "okos_status") == Verified, "the scheduled flow made the row Verified");
            Expect(environment, environment.Dataverse.SentEmails.Count == 0, "nothing needed an administrator, so no one was emailed");
        }

        public static async Task LeadQualifiedFlowAsync(LocalEnvironment environment)
        {
            TurnOffVerifyOnCreate(environment);
            var contact = CreateContact(environment, "Leo", "Lead");
            var seller = environment.Dataverse.AddUser("Sally Seller", new[] { "Salesperson", "Verification Agent" });
            var lead = environment.Dataverse.CreateOrganizationService(seller).Create(new Entity("lead") { ["subject"] = "Mortgage enquiry", ["parentcontactid"] = new EntityReference("contact", contact) });
            Expect(environment, !Attempts(environment, contact).Any(), "no verification before the lead is qualified");
            environment.Dataverse.CreateOrganizationService(seller).Execute(new OrganizationRequest("QualifyLead") { ["LeadId"] = new EntityReference("lead", lead), ["Status"] = new OptionSetValue(3) });
            environment.Note("Sally qualified the lead");
            await WaitAsync(environment, () => Attempts(environment, contact).Any(), "the flow to start the verification");
            var started = Attempts(environment, contact).Single();
            Expect(environment, started.GetAttributeValue<EntityReference>("okos_leadid")?.Id == lead && Choice(started, "okos_status") == Choices.Of(VerificationStatus.Pending).Value,
                "identity proofing started for the lead's contact, linked to the lead");
            Expect(environment, environment.Dataverse.SentEmails.Any(email => email.Recipient.Id == contact && email.Subject == "Verify your identity")
                && started.GetAttributeValue<string>("okos_captureurl") is null, "the link went to Leo's email only, not into Dataverse or the flow's run");
        }

        public static async Task CaseStepUpFlowAsync(LocalEnvironment environment)
        {
            var contact = await VerifiedContactAsync(environment, "Cara", "Case");
            var agent = environment.Dataverse.AddUser("Alex Agent", new[] { "Salesperson", "Verification Agent" });
            environment.Service.Update(new Entity("systemuser", agent) { ["internalemailaddress"] = "alex@sandbox.example" });
            var asAgent = environment.Dataverse.CreateOrganizationService(agent);
            var incident = asAgent.Create(new Entity("incident") { ["title"] = "Refund of duplicate charge", ["customerid"] = new EntityReference("contact", contact) });
            asAgent.Update(new Entity("incident", incident) { ["okos_sensitiveaction"] = new OptionSetValue(715900000) });
            environment.Note("Alex set Sensitive action requested: Refund");
            await WaitAsync(environment, () => environment.Dataverse.SentEmails.Any(email => email.Recipient.Id == agent), "the flow to email the case owner");
            Expect(environment, environment.Dataverse.SentEmails.Single(email => email.Recipient.Id == agent).Body.Contains("was asked to confirm their identity", StringComparison.Ordinal),
                "the case owner was told a step-up was asked");
            var refused = Approve(asAgent, incident);
            Expect(environment, refused is not null && refused.Contains("step-up", StringComparison.Ordinal), "approving the refund is refused until the step-up");
            environment.Note($"Approval refused: {refused}");
            var stepUp = Attempts(environment, contact).Single(row => row.GetAttributeValue<EntityReference>("okos_caseid")?.Id == incident);
            if (Choice(stepUp, "okos_journey") == Choices.Of(Journey.LiveIdStepUp).Value)
            {
                environment.Simulator.ApproveLiveId((string)stepUp["okos_sessionid"], "did:blockid:cara-case");
                environment.Note("Cara approved in the BlockID app");
            }
            else
            {
                environment.Simulator.Complete((string)stepUp["okos_sessionid"], CaptureOutcome.PassWithSelfie);
                environment.Note("Cara is not enrolled in LiveID: she passed a fresh document and selfie check instead");
            }
            await WaitAsync(environment, () => (bool)Status(environment, contact)["StepUpFresh"], "the step-up to be fresh");
            Expect(environment, Approve(asAgent, incident) is null, "the refund is approved after the step-up");
        }

        public static async Task NewHireFlowAsync(LocalEnvironment environment)
        {
            const int Employee = 100000001;
            TurnOffVerifyOnCreate(environment);
            environment.Set("okos_NewHireContactType", Employee.ToString(System.Globalization.CultureInfo.InvariantCulture));
            environment.Note($"HR: new hires are contacts of Relationship Type {Employee}");
            var customer = CreateContact(environment, "Cleo", "Customer");
            var hire = environment.Service.Create(new Entity("contact") { ["firstname"] = "Nia", ["lastname"] = "Newhire", ["emailaddress1"] = "nia@example.com", ["customertypecode"] = new OptionSetValue(Employee) });
            environment.Note("HR onboarding created the contact Nia Newhire (Employee)");
            await WaitAsync(environment, () => Attempts(environment, hire).Any(), "the flow to start the new hire's verification");
            Expect(environment, Choice(Attempts(environment, hire).Single(), "okos_journey") == Choices.Of(Journey.IdentityProofing).Value
                && environment.Dataverse.SentEmails.Any(email => email.Recipient.Id == hire), "identity proofing started for the new hire, the link emailed to her");
            Expect(environment, !Attempts(environment, customer).Any(), "a customer contact is not verified by the HR flow");
        }

        public static async Task TellOwnerFlowAsync(LocalEnvironment environment)
        {
            var owner = environment.Dataverse.AddUser("Omar Owner", new[] { "Salesperson", "Verification Agent" });
            environment.Service.Update(new Entity("systemuser", owner) { ["internalemailaddress"] = "omar@sandbox.example" });
            var contact = environment.Dataverse.CreateOrganizationService(owner).Create(new Entity("contact") { ["firstname"] = "Finn", ["lastname"] = "Fails", ["fullname"] = "Finn Fails", ["emailaddress1"] = "finn@example.com" });
            environment.Note("Omar created the contact Finn Fails");
            var row = await WaitForRowAsync(environment, contact);
            environment.Simulator.Complete((string)row["okos_sessionid"], CaptureOutcome.LivenessFail);
            environment.Note("The selfie failed liveness");
            await WaitAsync(environment, () => environment.Dataverse.SentEmails.Any(email => email.Recipient.Id == owner), "the flow to email the contact's owner");
            var email = environment.Dataverse.SentEmails.Single(sent => sent.Recipient.Id == owner);
            Expect(environment, email.Subject == "Identity verification failed: Finn Fails", "the owner is told the verification failed");
            Expect(environment, !email.Body.Contains("http", StringComparison.OrdinalIgnoreCase) && !email.Body.Contains((string)row["okos_sessionid"], StringComparison.Ordinal), "the email carries no link and no session id");
        }

        /// <summary>okos_VerifyOnContactCreate off, as an organization that verifies only through its flows sets it; the plug-ins read settings again after a minute.</summary>
        private static void TurnOffVerifyOnCreate(LocalEnvironment environment)
        {
            environment.Set("okos_VerifyOnContactCreate", "no");
            environment.Clock.Advance(TimeSpan.FromSeconds(61));
            environment.Note("Verification Administrator: okos_VerifyOnContactCreate = no (verification starts from the flows)");
        }

        private static Entity[] Attempts(LocalEnvironment environment, Guid contact) =>
            environment.Dataverse.Rows("okos_verification").Where(row => row.GetAttributeValue<EntityReference>("okos_contactid")?.Id == contact).ToArray();

        /// <summary>Approves the case's sensitive action; returns the gate's message when it refuses, null when it goes ahead.</summary>
        private static string? Approve(IOrganizationService agent, Guid incident)
        {
            try
            {
                agent.Update(new Entity("incident", incident) { ["okos_sensitiveactionapproved"] = true });
                return null;
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                return fault.Detail.Message;
            }
        }

        private static async Task<Guid> FaceCheckAsync(LocalEnvironment environment, EntityReference subject, double score)
        {
            var stepUp = environment.Service.Execute(new OrganizationRequest("okos_RequestStepUp") { ["Subject"] = subject, ["Reason"] = "Wire transfer above 50,000", ["Method"] = "VerifiedIdFaceCheck" });
            var id = (Guid)stepUp["VerificationId"];
            await environment.Entra.PresentAsync((string)stepUp["SessionId"], score);
            environment.Note($"The person presented the credential with Face Check (match {score}%)");
            await WaitAsync(environment, () => Choice(Row(environment, id), "okos_status") is var status && (status == Verified || status == Failed), "Entra's presentation callback, through the relay");
            return id;
        }

        private static async Task<Guid> VerifiedContactAsync(LocalEnvironment environment, string first, string last)
        {
            var contact = CreateContact(environment, first, last);
            var row = await WaitForRowAsync(environment, contact);
            environment.Note($"1Kosmos session {row["okos_sessionid"]} opened; capture link stored on the secured column");
            environment.Simulator.Complete((string)row["okos_sessionid"], CaptureOutcome.PassWithSelfie);
            environment.Note("The person completed document and selfie on the capture page (pass with selfie)");
            await WaitAsync(environment, () => Choice(Row(environment, row.Id), "okos_status") == Verified, "the relayed event to make the row Verified");
            environment.Note("okos_verification is Verified");
            return contact;
        }

        private static Guid CreateContact(LocalEnvironment environment, string first, string last)
        {
            var contact = environment.Service.Create(new Entity("contact") { ["firstname"] = first, ["lastname"] = last, ["fullname"] = $"{first} {last}", ["emailaddress1"] = $"{first.ToLowerInvariant()}@example.com" });
            environment.Note($"Contact {first} {last} created");
            return contact;
        }

        private static async Task<Entity> WaitForRowAsync(LocalEnvironment environment, Guid contact)
        {
            Entity? row = null;
            await WaitAsync(environment, () => (row = environment.Dataverse.Rows("okos_verification").FirstOrDefault(candidate =>
                candidate.GetAttributeValue<EntityReference>("okos_contactid")?.Id == contact && !((string)candidate["okos_sessionid"]).StartsWith("reserved:", StringComparison.Ordinal))) is not null,
                "the verification row with its session");
            return row!;
        }

        private static Entity Row(LocalEnvironment environment, Guid id) => environment.Dataverse.Rows("okos_verification").Single(row => row.Id == id);

        private static int Choice(Entity row, string column) => row.GetAttributeValue<OptionSetValue>(column)?.Value ?? 0;

        private static OrganizationResponse Status(LocalEnvironment environment, Guid contact) =>
            environment.Service.Execute(new OrganizationRequest("okos_GetVerificationStatus") { ["Subject"] = new EntityReference("contact", contact) });

        /// <summary>Wins the opportunity; returns the gate's message when it refuses, null when it goes ahead.</summary>
        private static string? Win(LocalEnvironment environment, Guid opportunity)
        {
            try
            {
                environment.Service.Execute(new OrganizationRequest("Win")
                {
                    ["OpportunityClose"] = new Entity("opportunityclose") { ["opportunityid"] = new EntityReference("opportunity", opportunity), ["subject"] = "Won" },
                    ["Status"] = new OptionSetValue(3),
                });
                return null;
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                return fault.Detail.Message;
            }
        }

        /// <remarks>Polls a condition for at most 30 s: a bound on a hang, not a timing expectation.</remarks>
        private static async Task WaitAsync(LocalEnvironment environment, Func<bool> condition, string what)
        {
            for (var tries = 0; tries < 300; tries++)
            {
                if (condition())
                {
                    return;
                }
                await Task.Delay(100);
            }
            throw new ScenarioFailed($"gave up waiting for {what}");
        }

        private static void Expect(LocalEnvironment environment, bool holds, string expectation)
        {
            if (!holds)
            {
                throw new ScenarioFailed(expectation);
            }
            environment.Note($"✓ {expectation}");
        }
    }
}
