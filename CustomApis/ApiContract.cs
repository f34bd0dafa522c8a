using System;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Plugins.Steps;
using OneKosmos.Plugins.Verification;

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

        public static int? OptionalNumber(LocalPluginContext context, string name) =>
            context.ExecutionContext.InputParameters.TryGetValue(name, out var value) && value is int number ? number : null;

        /// <summary>The contact the call is about; the caller must be able to read it.</summary>
        public static EntityReference Subject(LocalPluginContext context)
        {
            var subject = Optional<EntityReference>(context, "Subject")
                ?? throw new InvalidPluginExecutionException("Subject is required: pass the contact to verify.");
            return ReadableContact(context, subject);
        }

        public static EntityReference ReadableContact(LocalPluginContext context, EntityReference subject)
        {
            if (subject.LogicalName != Schema.Contact.EntityName)
            {
                throw new InvalidPluginExecutionException($"Subject must be a contact, not a {subject.LogicalName}.");
            }
            context.UserService.Retrieve(Schema.Contact.EntityName, subject.Id, new ColumnSet(false));
            return subject;
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

        public static string Name(VerificationStatus status) => status.ToString();

        public static string Name(AssuranceLevel? level) => level?.ToString() ?? "";

        public static string Name(Journey? journey) => journey?.ToString() ?? "";

        /// <summary>
        /// Writes what a start returns about its attempt. The capture link is read as the caller, so it comes back only to
        /// a caller whose field security lets them read it; it is never traced.
        /// </summary>
        public static void WriteAttempt(LocalPluginContext context, Guid verificationId, bool reused)
        {
            var row = context.SystemService.Retrieve(Schema.Verification.EntityName, verificationId, new ColumnSet(
                Schema.Verification.SessionId, Schema.Verification.Status, Schema.Verification.ExpiresAt, Schema.Verification.Journey));
            var link = context.UserService.Retrieve(Schema.Verification.EntityName, verificationId, new ColumnSet(Schema.Verification.CaptureUrl))
                .GetAttributeValue<string>(Schema.Verification.CaptureUrl);
            var session = row.GetAttributeValue<string>(Schema.Verification.SessionId) ?? "";
            var outputs = context.ExecutionContext.OutputParameters;
            outputs["VerificationId"] = verificationId;
            outputs["SessionId"] = SessionIds.IsSession(session) ? session : "";
            outputs["Status"] = Name(Choices.StatusOf(row.GetAttributeValue<OptionSetValue>(Schema.Verification.Status)));
            outputs["CaptureUrl"] = link ?? "";
            outputs["ExpiresAt"] = row.GetAttributeValue<DateTime?>(Schema.Verification.ExpiresAt);
            outputs["Reused"] = reused;
        }
    }
}
