using System;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Core.Verification;
using OneKosmos.Plugins.Dataverse;

namespace OneKosmos.Plugins.UseCases
{
    /// <summary>Ends a contact's pending attempt at a person's request, through the one writer (docs/design.md, rule 2).</summary>
    public sealed class VerificationCanceller
    {
        private static readonly ColumnSet Columns = new(VerificationRows.StateColumns);

        private readonly VerificationRows _rows;
        private readonly ResultWriter _writer;
        private readonly IClock _clock;

        public VerificationCanceller(IOrganizationService systemService, IClock clock)
        {
            _rows = new VerificationRows(systemService);
            _writer = new ResultWriter(systemService, _rows);
            _clock = clock;
        }

        /// <exception cref="InvalidPluginExecutionException">The attempt is not one of <paramref name="contact"/>'s.</exception>
        public Transition Cancel(Guid verificationId, EntityReference contact, string who, string? why)
        {
            var row = _rows.FindOfContact(verificationId, contact.Id, Columns)
                ?? throw new InvalidPluginExecutionException("That verification is not one of this contact's: pass the VerificationId the contact's panel or status shows.");
            var transition = VerificationStateMachine.Cancel(VerificationRows.StateOf(row), who, why);
            _writer.Write(row, Choices.JourneyOf(row.GetAttributeValue<OptionSetValue>(Schema.Verification.Journey)), transition, new Entity(Schema.Verification.EntityName), _clock.UtcNow);
            return transition;
        }
    }
}
