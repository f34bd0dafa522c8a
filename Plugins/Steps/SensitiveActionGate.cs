using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Core.Verification;

namespace OneKosmos.Plugins.Steps
{
    /// <summary>
    /// Pre-operation, synchronous: blocks a sensitive action (winning an opportunity, qualifying a lead, an update an
    /// administrator gates) until the record's contact meets the okos_GatePolicy rule for it. Reads stored verifications
    /// only, so a save never waits on 1Kosmos; the error says what is missing and how to fix it.
    /// </summary>
    public sealed class SensitiveActionGate : PluginBase
    {
        protected override void ExecuteDataversePlugin(LocalPluginContext context)
        {
            var execution = context.ExecutionContext;
            var record = GatedRecord(execution);
            var services = new ProductServices(context);
            var settings = services.Settings();
            IReadOnlyList<GateRule> rules;
            try
            {
                rules = GatePolicyJson.Parse(settings.GatePolicy);
            }
            catch (FormatException exception)
            {
                throw new InvalidPluginExecutionException($"The environment variable {Schema.EnvironmentVariables.GatePolicy} is not valid: {exception.Message}. An administrator fixes it in Power Apps: Solutions > OneKosmos Identity Verification > Environment variables.");
            }
            var changes = execution.InputParameters.TryGetValue("Target", out var target) && target is Entity entity ? entity : null;
            var applicable = rules.Where(rule => rule.AppliesTo(record.LogicalName, execution.MessageName, changes?.Attributes.Keys)).ToList();
            if (applicable.Count == 0)
            {
                context.Trace($"No gate rule for {execution.MessageName} of {record.LogicalName}.");
                return;
            }
            var values = Values(context, execution, record, changes, applicable);
            applicable = applicable.Where(rule => rule.Threshold is not { } threshold || threshold.IsMetBy(Number(values, threshold.Column))).ToList();
            if (applicable.Count == 0)
            {
                context.Trace($"{execution.MessageName} of {record.LogicalName} {record.Id} is below every gate threshold.");
                return;
            }
            var contactId = SubjectResolver.From(context.SystemService, values)
                ?? throw new InvalidPluginExecutionException(NoContact(record.LogicalName));
            var standing = new IdentityStandingReader(context.SystemService, services.Clock).Read(contactId, settings.VerificationValidityDays);
            var now = services.Clock.UtcNow;
            var blocking = applicable.Select(rule => GateDecision.Of(rule, standing, settings.StepUpMaxAgeMinutes, now)).FirstOrDefault(decision => !decision.IsAllowed);
            if (blocking is not null)
            {
                // The contact's name is only read when the message needs it: an allowed action costs two reads.
                var who = context.SystemService.Retrieve(Schema.Contact.EntityName, contactId, new ColumnSet(Schema.Contact.FullName)).GetAttributeValue<string>(Schema.Contact.FullName)
                    ?? contactId.ToString();
                context.Trace($"Blocked {execution.MessageName} of {record.LogicalName} {record.Id}: contact {contactId} is {standing.Status}.");
                throw new InvalidPluginExecutionException(blocking.Explain(who));
            }
            context.Trace($"Allowed {execution.MessageName} of {record.LogicalName} {record.Id}: contact {contactId} meets the gate.");
        }

        /// <remarks>Win carries the opportunity inside OpportunityClose, QualifyLead the lead as LeadId, other messages a Target.</remarks>
        private static EntityReference GatedRecord(IPluginExecutionContext execution)
        {
            var inputs = execution.InputParameters;
            if (inputs.TryGetValue("OpportunityClose", out var close) && close is Entity closing && closing.GetAttributeValue<EntityReference>("opportunityid") is { } opportunity)
            {
                return opportunity;
            }
            if (inputs.TryGetValue("LeadId", out var lead) && lead is EntityReference qualified)
            {
                return qualified;
            }
            if (inputs.TryGetValue("Target", out var target))
            {
                switch (target)
                {
                    case Entity entity:
                        return new EntityReference(entity.LogicalName, entity.Id == Guid.Empty ? execution.PrimaryEntityId : entity.Id);
                    case EntityReference reference:
                        return reference;
                }
            }
            throw new InvalidPluginExecutionException($"The identity gate is registered on {execution.MessageName}, which names no record it can check. Register it on Win, QualifyLead, Update or another message with a Target.");
        }

        /// <remarks>
        /// The threshold columns and the columns naming the contact, as the action leaves them: the pre-image (or the stored
        /// row, read once) overlaid with the change.
        /// </remarks>
        private static Entity Values(LocalPluginContext context, IPluginExecutionContext execution, EntityReference record, Entity? changes, IEnumerable<GateRule> rules)
        {
            var columns = rules.Where(rule => rule.Threshold is not null).Select(rule => rule.Threshold!.Column)
                .Concat(SubjectResolver.ColumnsFor(record.LogicalName)).Distinct().ToArray();
            var values = columns.Length == 0
                ? new Entity(record.LogicalName, record.Id)
                : execution.PreEntityImages.TryGetValue("PreImage", out var image) && columns.All(image.Contains)
                    ? image
                    : context.SystemService.Retrieve(record.LogicalName, record.Id, new ColumnSet(columns));
            foreach (var column in columns.Where(column => changes?.Contains(column) == true))
            {
                values[column] = changes![column];
            }
            return values;
        }

        private static decimal? Number(Entity values, string column) => values.Contains(column) ? values[column] switch
        {
            Money money => money.Value,
            decimal number => number,
            int number => number,
            long number => number,
            double number => (decimal)number,
            _ => null,
        } : null;

        private static string NoContact(string table) => table switch
        {
            Schema.Lead.EntityName => "This lead has no contact, so nobody's identity can be checked before it is qualified. Link the lead to the person's contact (Contact field) or create the contact, then qualify again.",
            Schema.Opportunity.EntityName => "This opportunity names no contact (Contact, a contact Customer, or an account with a Primary Contact), so nobody's identity can be checked. Set the contact, then try again.",
            _ => $"This {table} names no contact (Customer or Contact, or an account with a Primary Contact), so nobody's identity can be checked. Set the contact, then try again.",
        };
    }
}
