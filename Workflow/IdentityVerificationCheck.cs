using System;
using Microsoft.Xrm.Sdk;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Plugins.UseCases;
using OneKosmos.Core.Verification;

namespace OneKosmos.Workflow
{
    /// <summary>What a classic workflow learns about a contact.</summary>
    public sealed class IdentityVerificationResult
    {
        public IdentityVerificationResult(bool isVerified, string ialLevel, bool stepUpFresh)
        {
            IsVerified = isVerified;
            IalLevel = ialLevel;
            StepUpFresh = stepUpFresh;
        }

        public bool IsVerified { get; }

        /// <value>IAL1, IAL2, or empty when not verified.</value>
        public string IalLevel { get; }

        public bool StepUpFresh { get; }
    }

    /// <summary>
    /// The service behind <see cref="CheckIdentityVerification"/>: reads the contact's stored verifications (it never calls
    /// 1Kosmos) and applies the same validity and freshness rules as the custom APIs and the gate.
    /// </summary>
    public static class IdentityVerificationCheck
    {
        /// <remarks>
        /// It answers only about a contact the workflow's user may read (<paramref name="userService"/> runs as that user);
        /// the verification rows are then read as SYSTEM, as the status API reads them.
        /// </remarks>
        /// <exception cref="InvalidPluginExecutionException">The workflow's user may not read the contact.</exception>
        public static IdentityVerificationResult Run(IOrganizationService userService, IOrganizationService systemService, Guid organizationId, Guid contactId, IClock clock)
        {
            CallerAccess.RequireRead(userService, new EntityReference(Schema.Contact.EntityName, contactId),
                $"Check Identity Verification: the user this workflow runs as may not read contact {contactId}, so it says nothing about them. Run the workflow as a user who can open the contact.");
            var settings = EnvironmentSettings.Read(systemService, organizationId, clock);
            var standing = new IdentityStandingReader(systemService, clock).Read(contactId, settings.VerificationValidityDays);
            var verified = standing.Status == VerificationStatus.Verified;
            return new IdentityVerificationResult(
                verified,
                verified ? standing.Level?.ToString() ?? "" : "",
                StepUpFreshness.IsFresh(standing.LastStepUpAt, settings.StepUpMaxAgeMinutes, clock.UtcNow));
        }
    }
}
