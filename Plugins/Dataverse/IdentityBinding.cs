using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using OneKosmos.Core.Verification;

namespace OneKosmos.Plugins.Dataverse
{
    /// <summary>
    /// Writes a contact's bound BlockID identity (DID, what it rests on, when) and says so on the contact's timeline: the one
    /// writer of those columns, for the first binding on evidence and a Verification Administrator's re-bind alike.
    /// </summary>
    public static class IdentityBinding
    {
        public static void Bind(IOrganizationService systemService, EntityReference contact, string did, BindingEvidence evidence, DateTimeOffset now, string? administratorReason = null)
        {
            systemService.Update(new Entity(Schema.Contact.EntityName, contact.Id)
            {
                [Schema.Contact.BoundBlockIdDid] = did,
                [Schema.Contact.BindingEvidence] = Choices.Of(evidence),
                [Schema.Contact.BoundAt] = now.UtcDateTime,
            });
            TimelineNotes.Add(systemService, contact, "BlockID identity bound", $"{Describe(evidence)} DID: {did}." + (administratorReason is null ? "" : $" Reason: {administratorReason}"));
        }

        /// <summary>Clears the binding: the contact's next LiveID step-up binds again, on evidence.</summary>
        public static void Clear(IOrganizationService systemService, EntityReference contact, string reason)
        {
            systemService.Update(new Entity(Schema.Contact.EntityName, contact.Id)
            {
                [Schema.Contact.BoundBlockIdDid] = null,
                [Schema.Contact.BindingEvidence] = null,
                [Schema.Contact.BoundAt] = null,
            });
            TimelineNotes.Add(systemService, contact, "BlockID identity unbound", $"A Verification Administrator cleared the bound BlockID identity; the next LiveID step-up binds again on evidence. Reason: {reason}");
        }

        /// <summary>A DID as a person's BlockID app presents it: one token of at most 400 characters (the column's size).</summary>
        /// <exception cref="InvalidPluginExecutionException">It is not.</exception>
        public static string RequireDid(string did) =>
            did.Length <= 400 && !did.Any(char.IsWhiteSpace)
                ? did
                : throw new InvalidPluginExecutionException("Did must be one BlockID DID (no spaces, at most 400 characters), as a step-up row's Credential DID shows it.");

        /// <summary>What a binding rests on, in the words the timeline, the panel and the status API use.</summary>
        public static string Describe(BindingEvidence evidence) => evidence switch
        {
            BindingEvidence.DocumentMatch =>
                "Bound on 1Kosmos' evidence: the person who approved holds, in their BlockID app, a proof of the very document verified for this contact.",
            BindingEvidence.ContactEmail =>
                "Bound on the contact's email: 1Kosmos held no identity proofs of the person who approved, and the request had gone only to the contact's own email address.",
            _ =>
                "Bound by a Verification Administrator.",
        };
    }
}
