using System;
using System.ComponentModel;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace OneKosmos.Mcp
{
    /// <summary>A contact's identity standing, without the credential's DID or anything the person would use to prove who they are.</summary>
    public sealed record IdentityStatus(string? ContactId, string Status, string? IalLevel, string? VerifiedAt, bool StepUpFresh, string? LastStepUpAt, string? PendingJourney, string Summary);

    /// <summary>A started (or already open) verification; its link went to the person's own email, never here.</summary>
    public sealed record VerificationStarted(string VerificationId, string Status, bool AlreadyOpen, string? ExpiresAt, string Next);

    /// <summary>A requested step-up, or the recent one that makes it unnecessary.</summary>
    public sealed record StepUpRequested(bool AlreadyFresh, string Journey, string Status, string? ExpiresAt, string Next);

    /// <summary>What the identity gate would say of an action on a record.</summary>
    public sealed record GateExplanation(bool WouldBlock, string Action, string Explanation);

    /// <summary>
    /// The identity tools an agent may use, each a custom API of the product called as the signed-in person
    /// (<see cref="DataverseForUser"/>). Results are built field by field from what the API returns, so a capture or approval
    /// link, a session id or a credential's DID never reaches the model even when the person's field security would show it.
    /// </summary>
    [McpServerToolType]
    public sealed class IdentityTools(DataverseForUser dataverse)
    {
        private const string CheckBack = "Check back with get_identity_status.";

        private const string LinkGoesToThePerson = "The link went to the person's own email address; it is never shown here. " + CheckBack;

        [McpServerTool(Name = "get_identity_status", Title = "Get identity status", ReadOnly = true, Idempotent = true, OpenWorld = false)]
        [Description("Where a contact's identity verification stands (1Kosmos document and selfie proofing, biometric step-up): status (NotStarted, Pending, Verified, Failed, Expired), assurance level, when verified, whether a recent step-up exists, and a one-sentence summary. Give the contact's id or their primary email address, not both.")]
        public async Task<IdentityStatus> GetIdentityStatusAsync(
            [Description("The contact's id (a GUID).")] string? contactId = null,
            [Description("The contact's primary email address, when the id is not known.")] string? email = null,
            CancellationToken cancellation = default)
        {
            if (string.IsNullOrWhiteSpace(contactId) == string.IsNullOrWhiteSpace(email))
            {
                throw new McpException("Give either contactId or email, not both and not neither.");
            }
            var parameters = string.IsNullOrWhiteSpace(contactId)
                ? new JsonObject { ["Email"] = email!.Trim() }
                : new JsonObject { ["Subject"] = DataverseForUser.Reference("contact", ContactIdOf(contactId)) };
            var status = await dataverse.ExecuteAsync("okos_GetVerificationStatus", parameters, cancellation);
            return new IdentityStatus(
                Text(status, "ContactId"),
                Text(status, "Status") ?? "NotStarted",
                Text(status, "IalLevel"),
                Text(status, "VerifiedAt"),
                status["StepUpFresh"]?.GetValue<bool>() ?? false,
                Text(status, "LastStepUpAt"),
                Text(status, "PendingJourney"),
                Text(status, "Summary") ?? "");
        }

        [McpServerTool(Name = "start_verification", Title = "Start identity verification", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = true)]
        [Description("Starts identity proofing for a contact: the person gets an email with a link to scan their government ID and take a selfie (1Kosmos). Returns the attempt already open instead of starting a second. Optionally link it to the opportunity, lead or case it is for.")]
        public async Task<VerificationStarted> StartVerificationAsync(
            [Description("The contact's id (a GUID).")] string contactId,
            [Description("The table of the record it is for: opportunity, lead or incident (a case). Optional; give regardingId with it.")] string? regardingTable = null,
            [Description("The id of the record it is for (a GUID). Optional.")] string? regardingId = null,
            CancellationToken cancellation = default)
        {
            var parameters = new JsonObject
            {
                ["Subject"] = DataverseForUser.Reference("contact", ContactIdOf(contactId)),
                ["Journey"] = "IdentityProofing",
                ["SendLinkToContact"] = true,
            };
            AddRegarding(parameters, regardingTable, regardingId);
            var started = await dataverse.ExecuteAsync("okos_StartVerification", parameters, cancellation);
            var open = started["Reused"]?.GetValue<bool>() ?? false;
            return new VerificationStarted(
                Text(started, "VerificationId") ?? "",
                Text(started, "Status") ?? "Pending",
                open,
                Text(started, "ExpiresAt"),
                open ? "A verification was already open for this contact: nothing new was sent. " + CheckBack : LinkGoesToThePerson);
        }

        [McpServerTool(Name = "request_step_up", Title = "Request a biometric step-up", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = true)]
        [Description("Asks a contact to prove it is them again before a sensitive action (a large deal, a refund, an account change): a LiveID approval in the BlockID app, or a new document and selfie check if they have no LiveID. Starts nothing when a recent step-up already counts. The request goes to the person's own email.")]
        public async Task<StepUpRequested> RequestStepUpAsync(
            [Description("The contact's id (a GUID).")] string contactId,
            [Description("Why the step-up is needed, shown on the contact's timeline, e.g. 'Refund above 10,000'. No personal data.")] string reason,
            [Description("The table of the record it is for: opportunity, lead or incident (a case). Optional; give regardingId with it.")] string? regardingTable = null,
            [Description("The id of the record it is for (a GUID). Optional.")] string? regardingId = null,
            CancellationToken cancellation = default)
        {
            if (string.IsNullOrWhiteSpace(reason) || reason.Length > 200)
            {
                throw new McpException("reason is required (at most 200 characters): say why the step-up is needed, e.g. 'Refund above 10,000'.");
            }
            var parameters = new JsonObject
            {
                ["Subject"] = DataverseForUser.Reference("contact", ContactIdOf(contactId)),
                ["Reason"] = reason.Trim(),
                ["SendLinkToContact"] = true,
            };
            AddRegarding(parameters, regardingTable, regardingId);
            var requested = await dataverse.ExecuteAsync("okos_RequestStepUp", parameters, cancellation);
            var fresh = requested["AlreadyFresh"]?.GetValue<bool>() ?? false;
            return new StepUpRequested(
                fresh,
                Text(requested, "Journey") ?? "LiveIdStepUp",
                Text(requested, "Status") ?? "Pending",
                Text(requested, "ExpiresAt"),
                fresh ? "A recent step-up already counts: nothing was sent." : LinkGoesToThePerson);
        }

        [McpServerTool(Name = "explain_gate", Title = "Explain the identity gate", ReadOnly = true, Idempotent = true, OpenWorld = false)]
        [Description("Says whether the identity gate would refuse an action on a record now, and what would unblock it: winning an opportunity, qualifying a lead, or updating a case (for example approving a refund). Changes nothing. Use it to answer 'why is this deal blocked?'.")]
        public async Task<GateExplanation> ExplainGateAsync(
            [Description("The record's table: opportunity, lead or incident (a case).")] string table,
            [Description("The record's id (a GUID).")] string recordId,
            [Description("The action: Win (default for an opportunity), QualifyLead (default for a lead) or Update (default for a case).")] string? action = null,
            CancellationToken cancellation = default)
        {
            var parameters = new JsonObject { ["Record"] = DataverseForUser.Reference(TableOf(table, "table"), IdOf(recordId, "recordId")) };
            if (!string.IsNullOrWhiteSpace(action))
            {
                parameters["Message"] = action.Trim();
            }
            var verdict = await dataverse.ExecuteAsync("okos_ExplainGate", parameters, cancellation);
            return new GateExplanation(verdict["WouldBlock"]?.GetValue<bool>() ?? false, Text(verdict, "Message") ?? "", Text(verdict, "Explanation") ?? "");
        }

        private static void AddRegarding(JsonObject parameters, string? table, string? id)
        {
            if (string.IsNullOrWhiteSpace(table) && string.IsNullOrWhiteSpace(id))
            {
                return;
            }
            if (string.IsNullOrWhiteSpace(table) || string.IsNullOrWhiteSpace(id))
            {
                throw new McpException("Give regardingTable and regardingId together, or neither.");
            }
            parameters["Regarding"] = DataverseForUser.Reference(TableOf(table, "regardingTable"), IdOf(id, "regardingId"));
        }

        private static Guid ContactIdOf(string? text) => IdOf(text, "contactId");

        private static Guid IdOf(string? text, string name) =>
            Guid.TryParse(text?.Trim(), out var id) && id != Guid.Empty
                ? id
                : throw new McpException($"{name} must be a record's id, a GUID such as 3f2b6c1e-8a4d-4c2e-9b1a-0d5e7f9a1b2c; '{text}' is not one. To find a contact by email, use get_identity_status with email.");

        private static string TableOf(string? text, string name) => text?.Trim().ToLowerInvariant() switch
        {
            "opportunity" => "opportunity",
            "lead" => "lead",
            "incident" or "case" => "incident",
            _ => throw new McpException($"{name} must be opportunity, lead or incident (a case), not '{text}'."),
        };

        private static string? Text(JsonObject response, string name) =>
            response[name] is JsonValue value && value.ToString() is { Length: > 0 } text ? text : null;
    }
}
