using System.Text.RegularExpressions;

namespace OneKosmos.Core.Verification
{
    /// <summary>Whether a contact can be sent a capture link: an email address that looks like one, or a mobile number.</summary>
    public static class ContactAddress
    {
        // One @, something before it, a dotted domain after it, no spaces: enough to refuse "not-an-email" without refusing real, unusual addresses.
        private static readonly Regex Email = new(@"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$", RegexOptions.CultureInvariant);

        public static bool IsEmail(string? text) => text is not null && Email.IsMatch(text.Trim());

        /// <summary>A link can reach the contact: a usable email address or any mobile number.</summary>
        public static bool CanBeReached(string? email, string? mobilePhone) => IsEmail(email) || !string.IsNullOrWhiteSpace(mobilePhone);
    }
}
