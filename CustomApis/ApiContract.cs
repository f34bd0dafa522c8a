using System;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Plugins.Steps;
using OneKosmos.Core.Verification;
using OneKosmos.Plugins.Entra;
using OneKosmos.Plugins.UseCases;

namespace OneKosmos.CustomApis
{
    /// <summary>
    /// The public contract of the custom APIs in one place: how inputs are read and outputs written. Enumerations travel as
    /// their invariant names, because flows and Copilot read strings; those names never change once released.
    /// </summary>
    internal static class ApiContract
    {
        public static T? Optional<T>(LocalPluginContext context, string name)
            where T : class =>
            context.ExecutionContext.InputParameters.TryGetValue(name, out var value) ? value as T : null;

        /// <summary>SendLinkToContact: the link goes to the contact's own email only (<see cref="StartRequest.LinkToContactOnly"/>).</summary>
        public static bool SendsLinkToContact(LocalPluginContext context) =>
            context.ExecutionContext.InputParameters.TryGetValue("SendLinkToContact", out var value) && value is true;

        public static int? OptionalNumber(LocalPluginContext context, string name) =>
            context.ExecutionContext.InputParameters.TryGetValue(name, out var value) && value is int number ? number : null;

        /// <summary>
        /// The contact a start is about: Subject, or without it the contact of Regarding (its contact, contact customer or the
        /// customer account's primary contact, as the gate finds it), so a flow on a lead or a case passes the record alone.
        /// </summary>
        /// <param name="context">The call.</param>
        /// <param name="regarding">Regarding, already checked as the caller's (<see cref="Regarding"/>); null when not given.</param>
        public static ContactSnapshot SubjectOf(LocalPluginContext context, EntityReference? regarding)
        {
            if (Optional<EntityReference>(context, "Subject") is not null || regarding is null)
            {
                return Subject(context);
            }
            var contactId = SubjectResolver.For(context.SystemService, regarding.LogicalName, regarding.Id)
                ?? throw new InvalidPluginExecutionException(SubjectResolver.NoContact(regarding.LogicalName));
            return ContactSnapshot.Read(context.UserService, contactId);
        }

        /// <summary>The contact the call is about, as a start needs it; the caller must be able to read it.</summary>
        /// <remarks>
        /// Read as the caller: that read is the access check, and it gives what the start needs in the same call. A column
        /// field security hides from the caller comes back empty, which only leaves a name out of the 1Kosmos request.
        /// </remarks>
        public static ContactSnapshot Subject(LocalPluginContext context)
        {
            var subject = Optional<EntityReference>(context, "Subject")
                ?? throw new InvalidPluginExecutionException("Subject is required: pass the contact to verify (or, where the API takes it, Regarding: an opportunity, lead or case whose contact is meant).");
            RequireContact(subject);
            return ContactSnapshot.Read(context.UserService, subject.Id);
        }

        /// <summary>The contact, read as the caller (the access check) with its full name and what its bound identity rests on.</summary>
        public static Entity ReadableContact(LocalPluginContext context, EntityReference subject)
        {
            RequireContact(subject);
            return context.UserService.Retrieve(Schema.Contact.EntityName, subject.Id, new ColumnSet(Schema.Contact.FullName, Schema.Contact.BindingEvidence));
        }

        private static void RequireContact(EntityReference subject)
        {
            if (subject.LogicalName != Schema.Contact.EntityName)
            {
                throw new InvalidPluginExecutionException($"Subject must be a contact, not a {subject.LogicalName}.");
            }
        }

        /// <summary>The business record a call is about (Regarding): one the caller may read and append a note to, or null.</summary>
        public static EntityReference? Regarding(LocalPluginContext context)
        {
            var regarding = Optional<EntityReference>(context, "Regarding");
            if (regarding is not null)
            {
                CallerAccess.RequireAppendTo(context.UserService, context.SystemService, context.ExecutionContext.UserId, regarding, "Regarding");
            }
            return regarding;
        }

        public static Journey JourneyInput(LocalPluginContext context, Journey fallback)
        {
            var text = Optional<string>(context, "Journey");
            if (string.IsNullOrWhiteSpace(text))
            {
                return fallback;
            }
            foreach (var journey in new[] { Journey.IdentityProofing, Journey.LiveIdStepUp })
            {
                if (string.Equals(text!.Trim(), journey.ToString(), StringComparison.OrdinalIgnoreCase))
                {
                    return journey;
                }
            }
            throw new InvalidPluginExecutionException($"Journey '{text}' is not one this API starts: use IdentityProofing or LiveIdStepUp.");
        }

        /// <summary>How okos_RequestStepUp's Method input asks the person to prove it is them.</summary>
        public static bool WantsFaceCheck(LocalPluginContext context)
        {
            var method = Optional<string>(context, "Method")?.Trim();
            if (string.IsNullOrEmpty(method) || string.Equals(method, "LiveId", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
            if (string.Equals(method, Journey.VerifiedIdFaceCheck.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
            throw new InvalidPluginExecutionException($"Method '{method}' is not a step-up method: use LiveId (the default) or VerifiedIdFaceCheck.");
        }

        public static string Name(VerificationStatus status) => status.ToString();

        public static string Name(AssuranceLevel? level) => level?.ToString() ?? "";

        public static string Name(Journey? journey) => journey?.ToString() ?? "";

        /// <summary>
        /// Writes what a start returns about its attempt. The capture link and the session id (from which a LiveID approval
        /// link or an Entra deep link can be rebuilt) are read as the caller, so each comes back only to a caller whose field
        /// security lets them read it; neither is ever traced.
        /// </summary>
        public static void WriteAttempt(LocalPluginContext context, StartResult result)
        {
            var seen = context.UserService.Retrieve(Schema.Verification.EntityName, result.VerificationId, new ColumnSet(Schema.Verification.CaptureUrl, Schema.Verification.SessionId));
            var link = seen.GetAttributeValue<string>(Schema.Verification.CaptureUrl);
            var sessionId = seen.GetAttributeValue<string>(Schema.Verification.SessionId);
            var outputs = context.ExecutionContext.OutputParameters;
            outputs["VerificationId"] = result.VerificationId;
            outputs["SessionId"] = SessionIds.IsSession(sessionId) ? sessionId : "";
            outputs["Status"] = Name(result.Status);
            outputs["CaptureUrl"] = link ?? "";
            outputs["ExpiresAt"] = result.ExpiresAt?.UtcDateTime;
            outputs["Reused"] = result.Outcome == StartOutcome.Reused;
        }

        /// <summary>Writes where a contact stands: <paramref name="contactId"/> null when no contact was found.</summary>
        /// <remarks><paramref name="binding"/>: what the contact's bound BlockID identity rests on; null when none is bound.</remarks>
        public static void WriteStanding(LocalPluginContext context, Guid? contactId, IdentityStanding standing, int stepUpMaxAgeMinutes, DateTimeOffset now, string summary, bool verifiedIdAvailable, BindingEvidence? binding = null)
        {
            var outputs = context.ExecutionContext.OutputParameters;
            outputs["ContactId"] = contactId ?? Guid.Empty;
            outputs["Status"] = Name(standing.Status);
            outputs["IalLevel"] = Name(standing.Level);
            outputs["MatchConfidence"] = standing.MatchConfidence;
            outputs["CredentialDid"] = standing.CredentialDid ?? "";
            outputs["VerifiedAt"] = standing.VerifiedAt?.UtcDateTime;
            outputs["LastStepUpAt"] = standing.LastStepUpAt?.UtcDateTime;
            outputs["StepUpFresh"] = StepUpFreshness.IsFresh(standing.LastStepUpAt, stepUpMaxAgeMinutes, now);
            outputs["PendingJourney"] = Name(standing.PendingJourney);
            outputs["Summary"] = summary;
            outputs["VerifiedIdIssued"] = standing.VerifiedIdIssued;
            outputs["FaceCheckReady"] = standing.FaceCheckReady;
            outputs["VerifiedIdAvailable"] = verifiedIdAvailable;
            outputs["BindingEvidence"] = binding?.ToString() ?? "";
        }
    }
}
