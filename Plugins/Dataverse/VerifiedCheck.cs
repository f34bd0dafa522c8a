using System;
using Microsoft.Xrm.Sdk.Query;
using Microsoft.Xrm.Sdk;
using OneKosmos.Plugins.Verification;

namespace OneKosmos.Plugins.Dataverse
{
    /// <summary>Whether a contact already holds a Verified proofing that still counts.</summary>
    public static class VerifiedCheck
    {
        /// <summary>Whether the contact was ever Verified by a proofing (a step-up's DID binds to that person).</summary>
        public static bool HasVerifiedProofing(IOrganizationService systemService, Guid contactId)
        {
            var query = new QueryExpression(Schema.Verification.EntityName) { ColumnSet = new ColumnSet(false), TopCount = 1 };
            query.Criteria.AddCondition(Schema.Verification.ContactId, ConditionOperator.Equal, contactId);
            query.Criteria.AddCondition(Schema.Verification.Journey, ConditionOperator.Equal, Choices.Of(Journey.IdentityProofing).Value);
            query.Criteria.AddCondition(Schema.Verification.Status, ConditionOperator.Equal, Choices.Of(VerificationStatus.Verified).Value);
            return systemService.RetrieveMultiple(query).Entities.Count > 0;
        }

        public static bool HasCurrentProofing(IOrganizationService systemService, Guid contactId, int validityDays, DateTimeOffset now)
        {
            var query = new QueryExpression(Schema.Verification.EntityName) { ColumnSet = new ColumnSet(Schema.Verification.VerifiedAt), TopCount = 1 };
            query.Criteria.AddCondition(Schema.Verification.ContactId, ConditionOperator.Equal, contactId);
            query.Criteria.AddCondition(Schema.Verification.Journey, ConditionOperator.Equal, Choices.Of(Journey.IdentityProofing).Value);
            query.Criteria.AddCondition(Schema.Verification.Status, ConditionOperator.Equal, Choices.Of(VerificationStatus.Verified).Value);
            query.Criteria.AddCondition(Schema.Verification.VerifiedAt, ConditionOperator.GreaterEqual, now.AddDays(-validityDays).UtcDateTime);
            return systemService.RetrieveMultiple(query).Entities.Count > 0;
        }
    }
}
