using System;
using Microsoft.Xrm.Sdk;

namespace OneKosmos.Plugins.Dataverse
{
    /// <summary>Every Dataverse logical name the product uses, in one place (docs/design.md §3).</summary>
    public static partial class Schema
    {
        public const string PublisherPrefix = "okos";

        public static class Verification
        {
            public const string EntityName = "okos_verification";
            [Column(typeof(Guid))]
            public const string PrimaryKey = "okos_verificationid";
            [Column(typeof(string))]
            public const string Name = "okos_name";
            [Column(typeof(string))]
            public const string SessionId = "okos_sessionid";
            [Column(typeof(EntityReference))]
            public const string ContactId = "okos_contactid";
            [Column(typeof(OptionSetValue))]
            public const string Status = "okos_status";
            [Column(typeof(OptionSetValue))]
            public const string IalLevel = "okos_iallevel";
            [Column(typeof(string))]
            public const string DocumentType = "okos_documenttype";
            [Column(typeof(decimal))]
            public const string MatchConfidence = "okos_matchconfidence";
            [Column(typeof(bool))]
            public const string LiveIdEnrolled = "okos_liveidenrolled";
            [Column(typeof(bool))]
            public const string PhotoIncluded = "okos_photoincluded";
            [Column(typeof(string))]
            public const string DocumentHash = "okos_documenthash";
            [Column(typeof(bool))]
            public const string SentOnlyToContact = "okos_sentonlytocontact";
            [Column(typeof(string))]
            public const string CredentialDid = "okos_credentialdid";
            [Column(typeof(DateTime))]
            public const string VerifiedAt = "okos_verifiedat";
            [Column(typeof(DateTime))]
            public const string LastStepUpAt = "okos_laststepupat";
            [Column(typeof(string))]
            public const string StepUpReason = "okos_stepupreason";
            [Column(typeof(OptionSetValue))]
            public const string Journey = "okos_journey";
            [Column(typeof(string))]
            public const string ReservationKey = "okos_reservationkey";
            [Column(typeof(EntityReference))]
            public const string OpportunityId = "okos_opportunityid";
            [Column(typeof(EntityReference))]
            public const string LeadId = "okos_leadid";
            [Column(typeof(EntityReference))]
            public const string CaseId = "okos_caseid";
            [Column(typeof(string))]
            public const string RegardingTable = "okos_regardingtable";
            [Column(typeof(string))]
            public const string RegardingId = "okos_regardingid";
            [Column(typeof(string))]
            public const string CaptureUrl = "okos_captureurl";
            [Column(typeof(DateTime))]
            public const string ExpiresAt = "okos_expiresat";
            [Column(typeof(string))]
            public const string FailureReason = "okos_failurereason";
            [Column(typeof(string))]
            public const string DocumentCountry = "okos_documentcountry";
            [Column(typeof(DateTime))]
            public const string DocumentExpiresOn = "okos_documentexpireson";
            [Column(typeof(DateTime))]
            public const string LastCheckedAt = "okos_lastcheckedat";
            [Column(typeof(int))]
            public const string CheckFailures = "okos_checkfailures";
            [Column(typeof(string))]
            public const string CorrelationId = "okos_correlationid";
            [Column(typeof(EntityReference))]
            public const string OwnerId = "ownerid";

            [AlternateKey]
            public const string ReservationKeyKey = "okos_verification_reservationkey";
        }

        public static class CallbackReceipt
        {
            public const string EntityName = "okos_callbackreceipt";
            [Column(typeof(Guid))]
            public const string PrimaryKey = "okos_callbackreceiptid";
            [Column(typeof(string))]
            public const string Name = "okos_name";
            [Column(typeof(string))]
            public const string MessageId = "okos_messageid";
            [Column(typeof(string))]
            public const string Source = "okos_source";
            [Column(typeof(string))]
            public const string Type = "okos_type";
            [Column(typeof(DateTime))]
            public const string ReceivedAt = "okos_receivedat";
            [Column(typeof(string))]
            public const string Outcome = "okos_outcome";
            [Column(typeof(EntityReference))]
            public const string VerificationId = "okos_verificationid";

            [AlternateKey]
            public const string MessageIdKey = "okos_callbackreceipt_messageid";
        }

        /// <remarks>Secret columns are field-secured: read them only with the system organization service.</remarks>
        public static class BlockIdConnection
        {
            public const string EntityName = "okos_blockidconnection";
            [Column(typeof(Guid))]
            public const string PrimaryKey = "okos_blockidconnectionid";
            [Column(typeof(string))]
            public const string Name = "okos_name";
            [Column(typeof(string))]
            public const string TenantDns = "okos_tenantdns";
            [Column(typeof(string))]
            public const string Community = "okos_community";
            [Column(typeof(string))]
            public const string LicenseKey = "okos_licensekey";
            [Column(typeof(string))]
            public const string DvcId = "okos_dvcid";
            [Column(typeof(string))]
            public const string CallbackSigningSecret = "okos_callbacksigningsecret";
            [Column(typeof(string))]
            public const string EntraTenantId = "okos_entratenantid";
            [Column(typeof(string))]
            public const string EntraClientId = "okos_entraclientid";
            [Column(typeof(string))]
            public const string EntraClientSecret = "okos_entraclientsecret";
            [Column(typeof(string))]
            public const string EntraAuthority = "okos_entraauthority";
            [Column(typeof(string))]
            public const string EntraManifestUrl = "okos_entramanifesturl";
            [Column(typeof(string))]
            public const string EntraCredentialType = "okos_entracredentialtype";
            [Column(typeof(string))]
            public const string EntraCallbackUrl = "okos_entracallbackurl";
            [Column(typeof(string))]
            public const string EntraCallbackApiKey = "okos_entracallbackapikey";
            [Column(typeof(int))]
            public const string FaceCheckThreshold = "okos_facecheckthreshold";
            [Column(typeof(bool))]
            public const string FaceCheckPhoto = "okos_facecheckphoto";
            [Column(typeof(int))]
            public const string EntraPinLength = "okos_entrapinlength";
            [Column(typeof(OptionSetValue))]
            public const string StateCode = "statecode";
        }

        public static class Contact
        {
            public const string EntityName = "contact";
            [Column(typeof(Guid))]
            public const string PrimaryKey = "contactid";
            [Column(typeof(string))]
            public const string FullName = "fullname";
            [Column(typeof(string))]
            public const string Email = "emailaddress1";
            [Column(typeof(string))]
            public const string FirstName = "firstname";
            [Column(typeof(string))]
            public const string LastName = "lastname";
            [Column(typeof(string))]
            public const string MobilePhone = "mobilephone";
            [Column(typeof(EntityReference))]
            public const string OwnerId = "ownerid";
            [Column(typeof(string))]
            public const string BoundBlockIdDid = "okos_boundblockiddid";
            [Column(typeof(OptionSetValue))]
            public const string BindingEvidence = "okos_bindingevidence";
            [Column(typeof(DateTime))]
            public const string BoundAt = "okos_boundat";
        }

        public static class Opportunity
        {
            public const string EntityName = "opportunity";
            [Column(typeof(Guid))]
            public const string PrimaryKey = "opportunityid";
            [Column(typeof(EntityReference))]
            public const string ParentContactId = "parentcontactid";
            [Column(typeof(EntityReference))]
            public const string CustomerId = "customerid";
            [Column(typeof(Guid))]
            public const string StageId = "stageid";
            [Column(typeof(string))]
            public const string StepName = "stepname";
            [Column(typeof(OptionSetValue))]
            public const string SalesStage = "salesstage";
        }

        public static class Note
        {
            public const string EntityName = "annotation";
            [Column(typeof(Guid))]
            public const string PrimaryKey = "annotationid";
            [Column(typeof(string))]
            public const string Subject = "subject";
            [Column(typeof(string))]
            public const string Text = "notetext";
            [Column(typeof(EntityReference))]
            public const string Regarding = "objectid";
        }

        public static class OpportunitySalesProcess
        {
            public const string EntityName = "opportunitysalesprocess";
            [Column(typeof(EntityReference))]
            public const string ActiveStageId = "activestageid";
            [Column(typeof(EntityReference))]
            public const string OpportunityId = "opportunityid";
        }

        public static class ProcessStage
        {
            public const string EntityName = "processstage";
            [Column(typeof(string))]
            public const string StageName = "stagename";
        }

        public static class Account
        {
            public const string EntityName = "account";
            [Column(typeof(EntityReference))]
            public const string PrimaryContactId = "primarycontactid";
        }

        public static class Lead
        {
            public const string EntityName = "lead";
            [Column(typeof(EntityReference))]
            public const string ParentContactId = "parentcontactid";
        }

        public static class Case
        {
            public const string EntityName = "incident";
            [Column(typeof(EntityReference))]
            public const string CustomerId = "customerid";
            [Column(typeof(EntityReference))]
            public const string PrimaryContactId = "primarycontactid";
        }

        /// <summary>The business events the product raises (custom APIs with allowedcustomprocessingsteptype 1 and no plug-in).</summary>
        public static class Events
        {
            /// <summary>A verification reached a final status: VerificationId, Subject, Outcome, Journey.</summary>
            public const string VerificationEnded = "okos_VerificationEnded";

            /// <summary>The identity gate refused an action: RecordTable, RecordId, Action, Shortfall, Subject when the record names a contact.</summary>
            public const string GateRefused = "okos_GateRefused";
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
            public const string StepUpEmailQueue = "okos_StepUpEmailQueue";
        }
    }
}
