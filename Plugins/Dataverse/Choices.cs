using System;
using Microsoft.Xrm.Sdk;
using OneKosmos.Core.Verification;

namespace OneKosmos.Plugins.Dataverse
{
    /// <summary>The option values of the solution's choices (publisher option-value prefix 71590 × 10,000 + n).</summary>
    public static class Choices
    {
        private const int Base = 715900000;

        public static OptionSetValue Of(VerificationStatus status) => status switch
        {
            VerificationStatus.Pending => new OptionSetValue(Base),
            VerificationStatus.Verified => new OptionSetValue(Base + 1),
            VerificationStatus.Failed => new OptionSetValue(Base + 2),
            VerificationStatus.Expired => new OptionSetValue(Base + 3),
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, "NotStarted is never stored."),
        };

        public static OptionSetValue Of(AssuranceLevel level) => new(Base + (int)level);

        public static OptionSetValue Of(Journey journey) => new(Base + (int)journey);

        public static OptionSetValue Of(BindingEvidence evidence) => new(Base + (int)evidence);

        public static OptionSetValue Of(SelfServiceRequest request) => new(Base + (int)request);

        /// <returns>The request, or null for a value the choice does not have.</returns>
        public static SelfServiceRequest? RequestOf(OptionSetValue value) =>
            Enum.IsDefined(typeof(SelfServiceRequest), value.Value - Base) ? (SelfServiceRequest)(value.Value - Base) : null;

        public static BindingEvidence? EvidenceOf(OptionSetValue? value) => value is null ? null : (BindingEvidence)(value.Value - Base);

        public static VerificationStatus StatusOf(OptionSetValue? value) =>
            value is null ? VerificationStatus.NotStarted : (VerificationStatus)(value.Value - Base + 1);

        public static Journey JourneyOf(OptionSetValue value) => (Journey)(value.Value - Base);

        public static AssuranceLevel? LevelOf(OptionSetValue? value) => value is null ? null : (AssuranceLevel)(value.Value - Base);
    }
}
