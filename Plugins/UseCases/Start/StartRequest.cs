using System;
using Microsoft.Xrm.Sdk;
using OneKosmos.Plugins.Dataverse;

namespace OneKosmos.Plugins.UseCases
{
    /// <summary>What a start is asked for: whom, for how long, on whose behalf, and why.</summary>
    public sealed class StartRequest(ContactSnapshot contact, int sessionTtlMinutes, Guid correlationId)
    {
        private string? _why;

        public ContactSnapshot Contact { get; } = contact;

        /// <value>okos_SessionTtlMinutes: how long the attempt stays open before our own expiry.</value>
        public int SessionTtlMinutes { get; } = sessionTtlMinutes;

        public Guid CorrelationId { get; } = correlationId;

        /// <value>The business record that asked (opportunity, lead or case); its timeline gets the notes too.</value>
        public EntityReference? Regarding { get; set; }

        /// <value>The caller's reason, trimmed; a start with one is a step-up, and passing it counts as one. Null when none was given.</value>
        public string? Why
        {
            get => _why;
            set => _why = string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
        }

        /// <value>
        /// The link goes only to the contact's own email address (from okos_StepUpEmailQueue) and never back to the caller:
        /// for callers such as Copilot or a flow, whose outputs people and logs read.
        /// </value>
        public bool LinkToContactOnly { get; set; }

        /// <value>A contact Verified in this journey since then gets nothing new (AlreadyVerified). Null: always start.</value>
        public DateTimeOffset? UnlessVerifiedSince { get; set; }
    }
}
