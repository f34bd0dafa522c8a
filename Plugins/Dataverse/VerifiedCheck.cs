using System;
using System.Linq;
using Microsoft.Xrm.Sdk.Query;
using Microsoft.Xrm.Sdk;
using OneKosmos.Core.Verification;

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

        /// <summary>The contact's most recent passed step-up (okos_laststepupat, session id, expiry), or null when none passed.</summary>
        public static Entity? LatestStepUp(IOrganizationService systemService, Guid contactId)
        {
            var query = new QueryExpression(Schema.Verification.EntityName)
            {
                ColumnSet = new ColumnSet(Schema.Verification.LastStepUpAt, Schema.Verification.SessionId, Schema.Verification.ExpiresAt),
                TopCount = 1,
            };
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
    }
}
