using System;
using Microsoft.Xrm.Sdk;

namespace OneKosmos.Plugins.Dataverse
{
    public static partial class Schema
    {
        /// <summary>
        /// A site user's self-service row (Power Pages): the request the site saves and the copy of the contact's standing
        /// OneKosmos writes back. Never identity state: gates read okos_verification only.
        /// </summary>
        public static class SelfService
        {
            public const string EntityName = "okos_selfservice";
            [Column(typeof(Guid))]
            public const string PrimaryKey = "okos_selfserviceid";
            [Column(typeof(string))]
            public const string Name = "okos_name";
            [Column(typeof(EntityReference))]
            public const string ContactId = "okos_contactid";
            [Column(typeof(OptionSetValue))]
            public const string Request = "okos_request";
            [Column(typeof(OptionSetValue))]
            public const string Status = "okos_status";
            [Column(typeof(OptionSetValue))]
            public const string IalLevel = "okos_iallevel";
            [Column(typeof(OptionSetValue))]
            public const string PendingJourney = "okos_pendingjourney";
            [Column(typeof(DateTime))]
            public const string VerifiedAt = "okos_verifiedat";
            [Column(typeof(string))]
            public const string CaptureUrl = "okos_captureurl";
            [Column(typeof(DateTime))]
            public const string LinkExpiresAt = "okos_linkexpiresat";
            [Column(typeof(string))]
            public const string WalletLink = "okos_walletlink";
            [Column(typeof(bool))]
            public const string VerifiedIdAvailable = "okos_verifiedidavailable";
            [Column(typeof(bool))]
            public const string VerifiedIdIssued = "okos_verifiedidissued";
            [Column(typeof(DateTime))]
            public const string CheckedAt = "okos_checkedat";

            [AlternateKey]
            public const string ContactKey = "okos_selfservice_contactid";
        }
    }
}
