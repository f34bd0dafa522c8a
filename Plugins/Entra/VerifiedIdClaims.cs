namespace OneKosmos.Plugins.Entra
{
    /// <summary>The claims our credential's rules map (README: the rules JSON an administrator pastes in the Entra admin center).</summary>
    public static class VerifiedIdClaims
    {
        public const string GivenName = "given_name";
        public const string FamilyName = "family_name";
        public const string AssuranceLevel = "assurance_level";
        public const string VerifiedAt = "verified_at";
        public const string Photo = "photo";
    }
}
