using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Core.Verification;
using OneKosmos.Plugins.Dataverse;

namespace OneKosmos.Plugins.UseCases
{
    /// <summary>
    /// Decides whether a sensitive action (winning an opportunity, qualifying a lead, an update an administrator gates) may
    /// go ahead: the record's contact must meet the okos_GatePolicy rule for it. Reads stored verifications only, so a save
    /// never waits on 1Kosmos; a refusal says what is missing and how to fix it.
    /// </summary>
    public sealed class IdentityGate
    {
        private readonly IOrganizationService _system;
        private readonly EnvironmentSettings _settings;
        private readonly IClock _clock;
        private readonly Action<string> _trace;

        public IdentityGate(IOrganizationService systemService, EnvironmentSettings settings, IClock clock, Action<string> trace)
        {
            _system = systemService;
            _settings = settings;
            _clock = clock;
            _trace = trace;
        }

        /// <exception cref="InvalidPluginExecutionException">The action is blocked (the message says why and what to do), or the policy or the record is unusable.</exception>
        /// <remarks>
        /// A refusal is published as the business event okos_GateRefused before the refusal is thrown. Registered in
        /// pre-validation, the gate runs outside the request's transaction when the request is a person's or a flow's own, so
        /// the event survives the refusal; inside another operation's transaction it is rolled back with it.
        /// </remarks>
        /// <param name="action">The action asked for.</param>
        /// <param name="caller">The caller's own service: a refusal, which names the record's contact, is told only to a caller who may read the record.</param>
        public void Enforce(GatedAction action, IOrganizationService caller)
        {
            var verdict = Judge(action);
            _trace(verdict.Trace);
            if (!verdict.WouldBlock)
            {
                return;
            }
            if (!action.IsCreate)
            {
                // Pre-validation comes before the platform's own access checks: without this read, the refusal would tell a
                // caller who may not read the record whose identity it needs. An action that goes ahead meets those checks.
                caller.Retrieve(action.Record.LogicalName, action.Record.Id, new ColumnSet(false));
            }
            VerificationEvents.GateRefused(_system, action.Record, action.Message, verdict.ContactId, verdict.Shortfall);
            throw new InvalidPluginExecutionException(verdict.Explanation);
        }

        /// <summary>What the gate says of <paramref name="action"/>, without acting on it: what Enforce refuses, and okos_ExplainGate tells.</summary>
        /// <exception cref="InvalidPluginExecutionException">The policy is unusable, or the table is one the gate cannot find a contact for.</exception>
        public GateVerdict Judge(GatedAction action)
        {
            var record = action.Record;
            var applicable = Rules().Where(rule => action.IsCreate
                    // A row created with a gated column already set is gated as that column's Update: otherwise creating a
                    // case already approved would walk around the rule for approving one.
                    ? rule.Columns.Count > 0 && rule.AppliesTo(record.LogicalName, "Update", SetColumns(action.Changes))
                    : rule.AppliesTo(record.LogicalName, action.Message, action.Changes?.Attributes.Keys))
                .ToList();
            if (applicable.Count == 0)
            {
                return GateVerdict.Allowed($"No gate rule applies to {action.Message} of {record.LogicalName}.", null, $"No gate rule for {action.Message} of {record.LogicalName}.");
            }
            var values = Values(action, applicable);
            applicable = applicable.Where(rule => rule.Threshold is not { } threshold || threshold.IsMetBy(Number(values, threshold.Column))).ToList();
            if (applicable.Count == 0)
            {
                return GateVerdict.Allowed($"{action.Message} of this {record.LogicalName} is below every gate threshold.", null, $"{action.Message} of {record.LogicalName} {record.Id} is below every gate threshold.");
            }
            if (SubjectResolver.From(_system, values) is not { } contactId)
            {
                return GateVerdict.Blocked(SubjectResolver.NoContact(record.LogicalName), null, $"Blocked {action.Message} of {record.LogicalName} {record.Id}: it names no contact.", "NoContact");
            }
            var standing = new IdentityStandingReader(_system, _clock).Read(contactId, _settings.VerificationValidityDays);
            var now = _clock.UtcNow;
            var blocking = applicable.Select(rule => GateDecision.Of(rule, standing, _settings.StepUpMaxAgeMinutes, now)).FirstOrDefault(decision => !decision.IsAllowed);
            if (blocking is null)
            {
                return GateVerdict.Allowed($"The contact meets the gate for {action.Message} of this {record.LogicalName}.", contactId, $"Allowed {action.Message} of {record.LogicalName} {record.Id}: contact {contactId} meets the gate.");
            }
            // The contact's name is only read when the message needs it: an allowed action costs two reads.
            var who = _system.Retrieve(Schema.Contact.EntityName, contactId, new ColumnSet(Schema.Contact.FullName)).GetAttributeValue<string>(Schema.Contact.FullName)
                ?? contactId.ToString();
            return GateVerdict.Blocked(blocking.Explain(who), contactId, $"Blocked {action.Message} of {record.LogicalName} {record.Id}: contact {contactId} is {standing.Status}.", blocking.Shortfall);
        }

        private IReadOnlyList<GateRule> Rules()
        {
            try
            {
                return GatePolicyJson.Parse(_settings.GatePolicy);
            }
            catch (FormatException exception)
            {
                throw new InvalidPluginExecutionException($"The environment variable {Schema.EnvironmentVariables.GatePolicy} is not valid: {exception.Message}. An administrator fixes it in Power Apps: Solutions > OneKosmos Identity Verification > Environment variables.");
            }
        }

        /// <remarks>
        /// The threshold columns and the columns naming the contact, as the action leaves them: the pre-image (or the stored
        /// row, read once) overlaid with the change.
        /// </remarks>
        private Entity Values(GatedAction action, IEnumerable<GateRule> rules)
        {
            var columns = rules.Where(rule => rule.Threshold is not null).Select(rule => rule.Threshold!.Column)
                .Concat(SubjectResolver.ColumnsFor(action.Record.LogicalName)).Distinct().ToArray();
            var values = columns.Length == 0
                ? new Entity(action.Record.LogicalName, action.Record.Id)
                : action.IsCreate
                    ? new Entity(action.Record.LogicalName, action.Record.Id)
                    : action.PreImage is { } image && columns.All(image.Contains)
                    ? image
                    : _system.Retrieve(action.Record.LogicalName, action.Record.Id, new ColumnSet(columns));
            foreach (var column in columns.Where(column => action.Changes?.Contains(column) == true))
            {
                values[column] = action.Changes![column];
            }
            return values;
        }

        /// <summary>The columns a Create gives a value: not empty, not No, not zero.</summary>
        private static IEnumerable<string> SetColumns(Entity? created) =>
            created?.Attributes.Where(column => column.Value switch
            {
                null => false,
                bool flag => flag,
                string text => text.Length > 0,
                OptionSetValue option => true,
                Money money => money.Value != 0,
                int number => number != 0,
                decimal number => number != 0,
                _ => true,
            }).Select(column => column.Key) ?? Enumerable.Empty<string>();

        private static decimal? Number(Entity values, string column) => values.Contains(column) ? values[column] switch
        {
            Money money => money.Value,
            decimal number => number,
            int number => number,
            long number => number,
            double number => (decimal)number,
            _ => null,
        } : null;
    }
}
