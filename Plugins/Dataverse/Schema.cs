namespace OneKosmos.Plugins.Dataverse
{
    /// <summary>Every Dataverse logical name the product uses, in one place (DESIGN.md §3).</summary>
    public static class Schema
    {
        public const string PublisherPrefix = "okos";

        public static class Verification
        {
            public const string EntityName = "okos_verification";
            public const string PrimaryKey = "okos_verificationid";
            public const string Name = "okos_name";
            public const string SessionId = "okos_sessionid";
            public const string ContactId = "okos_contactid";
            public const string Status = "okos_status";
            public const string IalLevel = "okos_iallevel";
            public const string DocumentType = "okos_documenttype";
            public const string MatchConfidence = "okos_matchconfidence";
            public const string LiveIdEnrolled = "okos_liveidenrolled";
            public const string CredentialDid = "okos_credentialdid";
            public const string VerifiedAt = "okos_verifiedat";
            public const string LastStepUpAt = "okos_laststepupat";
            public const string Journey = "okos_journey";
            public const string ReservationKey = "okos_reservationkey";
            public const string OpportunityId = "okos_opportunityid";
            public const string LeadId = "okos_leadid";
            public const string CaseId = "okos_caseid";
            public const string RegardingTable = "okos_regardingtable";
            public const string RegardingId = "okos_regardingid";
            public const string CaptureUrl = "okos_captureurl";
            public const string ExpiresAt = "okos_expiresat";
            public const string FailureReason = "okos_failurereason";
            public const string DocumentCountry = "okos_documentcountry";
            public const string DocumentExpiresOn = "okos_documentexpireson";
            public const string LastCheckedAt = "okos_lastcheckedat";
            public const string CorrelationId = "okos_correlationid";
            public const string OwnerId = "ownerid";

            public const string SessionIdKey = "okos_verification_sessionid";
            public const string ReservationKeyKey = "okos_verification_reservationkey";
        }

        public static class CallbackReceipt
        {
            public const string EntityName = "okos_callbackreceipt";
            public const string PrimaryKey = "okos_callbackreceiptid";
            public const string Name = "okos_name";
            public const string MessageId = "okos_messageid";
            public const string Source = "okos_source";
            public const string Type = "okos_type";
            public const string ReceivedAt = "okos_receivedat";
            public const string Outcome = "okos_outcome";
            public const string VerificationId = "okos_verificationid";

            public const string MessageIdKey = "okos_callbackreceipt_messageid";
        }

        /// <remarks>Secret columns are field-secured: read them only with the system organization service.</remarks>
        public static class BlockIdConnection
        {
            public const string EntityName = "okos_blockidconnection";
            public const string PrimaryKey = "okos_blockidconnectionid";
            public const string Name = "okos_name";
            public const string TenantDns = "okos_tenantdns";
            public const string Community = "okos_community";
            public const string LicenseKey = "okos_licensekey";
            public const string DvcId = "okos_dvcid";
            public const string CallbackSigningSecret = "okos_callbacksigningsecret";
            public const string StateCode = "statecode";
        }

        public static class Contact
        {
            public const string EntityName = "contact";
            public const string PrimaryKey = "contactid";
            public const string FullName = "fullname";
            public const string Email = "emailaddress1";
            public const string OwnerId = "ownerid";
            public const string BoundBlockIdDid = "okos_boundblockiddid";
        }

        public static class Opportunity
        {
            public const string EntityName = "opportunity";
            public const string PrimaryKey = "opportunityid";
            public const string ParentContactId = "parentcontactid";
            public const string CustomerId = "customerid";
            public const string StageId = "stageid";
        }

        public static class Account
        {
            public const string EntityName = "account";
            public const string PrimaryContactId = "primarycontactid";
        }

        public static class Lead
        {
            public const string EntityName = "lead";
            public const string ParentContactId = "parentcontactid";
        }

        public static class Case
        {
            public const string EntityName = "incident";
            public const string CustomerId = "customerid";
            public const string PrimaryContactId = "primarycontactid";
        }

        public static class EnvironmentVariables
        {
            public const string VerifyOnContactCreate = "okos_VerifyOnContactCreate";
            public const string VerificationStages = "okos_VerificationStages";
            public const string VerificationValidityDays = "okos_VerificationValidityDays";
            public const string StepUpMaxAgeMinutes = "okos_StepUpMaxAgeMinutes";
            public const string SessionTtlMinutes = "okos_SessionTtlMinutes";
            public const string IssueBlockIdCredential = "okos_IssueBlockIdCredential";
            public const string IssueVerifiedIdAfterProofing = "okos_IssueVerifiedIdAfterProofing";
            public const string GatePolicy = "okos_GatePolicy";
            public const string ReceiptRetentionDays = "okos_ReceiptRetentionDays";
        }
    }
}
