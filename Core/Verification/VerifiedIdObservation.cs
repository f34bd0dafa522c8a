using System;
using System.Collections.Generic;

namespace OneKosmos.Core.Verification
{
    /// <summary>Where a Microsoft Entra Verified ID request stands, as its callback said.</summary>
    public enum VerifiedIdEvent
    {
        /// <summary>The person opened the link or scanned the code: nothing is decided yet.</summary>
        Retrieved,
        IssuanceSucceeded,
        IssuanceFailed,
        PresentationVerified,
        PresentationFailed,
    }

    /// <summary>
    /// What one Entra Verified ID callback says, reduced to what a decision needs (docs/design.md §1 rule 3): the event, the
    /// error code and message, and for a presentation the holder's DID, the presented credential's issuer, types,
    /// revocation state, our verification-id claim and the Face Check score. Names and the photo never reach this type.
    /// </summary>
    public sealed class VerifiedIdObservation
    {
        public VerifiedIdObservation(
            VerifiedIdEvent @event,
            string? errorCode = null,
            string? errorMessage = null,
            string? subjectDid = null,
            string? issuer = null,
            IReadOnlyList<string>? credentialTypes = null,
            string? revocationStatus = null,
            string? issuedForVerification = null,
            double? matchConfidenceScore = null)
        {
            Event = @event;
            ErrorCode = errorCode;
            ErrorMessage = errorMessage;
            SubjectDid = subjectDid;
            Issuer = issuer;
            CredentialTypes = credentialTypes ?? Array.Empty<string>();
            RevocationStatus = revocationStatus;
            IssuedForVerification = issuedForVerification;
            MatchConfidenceScore = matchConfidenceScore;
        }

        public VerifiedIdEvent Event { get; }

        public string? ErrorCode { get; }

        public string? ErrorMessage { get; }

        /// <value>The wallet holder's DID (presentations only).</value>
        public string? SubjectDid { get; }

        public string? Issuer { get; }

        public IReadOnlyList<string> CredentialTypes { get; }

        /// <value>VALID when the presented credential is not revoked.</value>
        public string? RevocationStatus { get; }

        /// <value>The credential's verificationId claim: the issuance row it was issued from, which ties it to the contact.</value>
        public string? IssuedForVerification { get; }

        /// <value>Face Check's score, 0–100 (absent when the check failed: Entra returns no score below the threshold).</value>
        public double? MatchConfidenceScore { get; }
    }

    /// <summary>What a presentation must show to count as this contact's step-up.</summary>
    public sealed class PresentationExpectation
    {
        public PresentationExpectation(string issuer, string credentialType, IReadOnlyCollection<string> issuedForVerifications, int threshold)
        {
            Issuer = issuer;
            CredentialType = credentialType;
            IssuedForVerifications = issuedForVerifications;
            Threshold = threshold;
        }

        /// <value>Our issuer DID (the connection's authority).</value>
        public string Issuer { get; }

        public string CredentialType { get; }

        /// <value>The contact's issuance rows (ids as text): a credential from any other contact's issuance does not count.</value>
        public IReadOnlyCollection<string> IssuedForVerifications { get; }

        /// <value>Face Check's match confidence threshold, 50–100.</value>
        public int Threshold { get; }
    }

    /// <summary>
    /// Entra has no status endpoint, so its callback is the result (docs/design.md §1 rule 1's exception): a verified
    /// presentation is checked again here — our issuer, our type, not revoked, issued for this contact, a score at or
    /// above the threshold — instead of trusting that the request was built right.
    /// </summary>
    public static class VerifiedIdRules
    {
        public const int MinThreshold = 50;
        public const int MaxThreshold = 100;
        public const int DefaultThreshold = 70;

        /// <returns>Null when the presentation counts; otherwise the "CODE: text" failure reason.</returns>
        public static string? RefusalOf(VerifiedIdObservation presentation, PresentationExpectation expected)
        {
            if (!string.Equals(presentation.Issuer, expected.Issuer, StringComparison.Ordinal))
            {
                return "WRONG_ISSUER: the presented credential was not issued by this organization's Verified ID authority.";
            }
            if (!Contains(presentation.CredentialTypes, expected.CredentialType))
            {
                return $"WRONG_CREDENTIAL_TYPE: the presented credential is not a {expected.CredentialType}.";
            }
            if (!string.Equals(presentation.RevocationStatus, "VALID", StringComparison.OrdinalIgnoreCase))
            {
                return "CREDENTIAL_NOT_VALID: the presented credential is revoked or its state is unknown.";
            }
            if (presentation.IssuedForVerification is null || !Contains(expected.IssuedForVerifications, presentation.IssuedForVerification))
            {
                return "NOT_THIS_CONTACT: the presented credential was issued to someone else.";
            }
            if (presentation.MatchConfidenceScore is not { } score || score < expected.Threshold)
            {
                return $"FACE_CHECK_BELOW_THRESHOLD: the face match did not reach {expected.Threshold}%.";
            }
            return null;
        }

        /// <summary>A configured threshold, or the default; outside 50–100 it is a configuration error, said as such.</summary>
        public static int ThresholdOf(int? configured) => configured switch
        {
            null => DefaultThreshold,
            >= MinThreshold and <= MaxThreshold => configured.Value,
            _ => throw new ArgumentOutOfRangeException(nameof(configured), configured, $"The Face Check threshold must be between {MinThreshold} and {MaxThreshold}."),
        };

        private static bool Contains(IEnumerable<string> values, string wanted)
        {
            foreach (var value in values)
            {
                if (string.Equals(value, wanted, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
            return false;
        }
    }
}
