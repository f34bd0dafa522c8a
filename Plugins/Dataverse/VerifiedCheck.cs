using System;
using System.Linq;
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

        /// <summary>The contact's most recent passed step-up (its id and okos_laststepupat), or null when none passed.</summary>
        public static Entity? LatestStepUp(IOrganizationService systemService, Guid contactId)
        {
            var query = new QueryExpression(Schema.Verification.EntityName) { ColumnSet = new ColumnSet(Schema.Verification.LastStepUpAt), TopCount = 1 };
            query.Criteria.AddCondition(Schema.Verification.ContactId, ConditionOperator.Equal, contactId);
            query.Criteria.AddCondition(Schema.Verification.LastStepUpAt, ConditionOperator.NotNull);
            query.Criteria.AddCondition(Schema.Verification.Status, ConditionOperator.Equal, Choices.Of(VerificationStatus.Verified).Value);
            query.AddOrder(Schema.Verification.LastStepUpAt, OrderType.Descending);
            return systemService.RetrieveMultiple(query).Entities.FirstOrDefault();
        }

        /// <summary>Whether the contact can approve a LiveID step-up: a DID is bound to them, or a step-up of theirs ever passed.</summary>
        public static bool IsLiveIdEnrolled(IOrganizationService systemService, Guid contactId)
        {
            var contact = systemService.Retrieve(Schema.Contact.EntityName, contactId, new ColumnSet(Schema.Contact.BoundBlockIdDid));
            if (!string.IsNullOrEmpty(contact.GetAttributeValue<string>(Schema.Contact.BoundBlockIdDid)))
            {
                return true;
            }
            var query = new QueryExpression(Schema.Verification.EntityName) { ColumnSet = new ColumnSet(false), TopCount = 1 };
            query.Criteria.AddCondition(Schema.Verification.ContactId, ConditionOperator.Equal, contactId);
            query.Criteria.AddCondition(Schema.Verification.LiveIdEnrolled, ConditionOperator.Equal, true);
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
