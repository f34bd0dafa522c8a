using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Core.Verification;

namespace OneKosmos.Plugins.Dataverse
{
    /// <summary>
    /// The okos_verification table: every query on it (this file), how attempts are reserved and opened
    /// (<c>VerificationRows.Attempts.cs</c>) and the one write of an authoritative result
    /// (<c>VerificationRows.Transitions.cs</c>). Rows are read and written with the system service (docs/design.md,
    /// ownership); callers have checked the caller's access first.
    /// </summary>
    public sealed partial class VerificationRows
    {
        private readonly IOrganizationService _system;
        private readonly Func<Guid> _newId;

        /// <remarks><paramref name="newId"/> names new rows; default <see cref="Guid.NewGuid"/>.</remarks>
        public VerificationRows(IOrganizationService systemService, Func<Guid>? newId = null)
        {
            _system = systemService;
            _newId = newId ?? Guid.NewGuid;
        }

        public static string OpenKey(Guid contactId, Journey journey) => $"{contactId}:{journey}:open";

        public static string FinalKey(Guid contactId, Journey journey, Guid rowId) => $"{contactId}:{journey}:{rowId}";

        public OpenAttempt? FindOpen(Guid contactId, Journey journey) => FindOpen(contactId, journey, verifiedSince: null).Open;

        /// <summary>
        /// The contact's open attempt of the journey and, when <paramref name="verifiedSince"/> is given, whether one of that
        /// journey was Verified since then: one query for a start that is skipped when the contact is already verified.
        /// </summary>
        public OpenLookup FindOpen(Guid contactId, Journey journey, DateTimeOffset? verifiedSince)
        {
            var openKey = OpenKey(contactId, journey);
            var query = new QueryExpression(Schema.Verification.EntityName)
            {
                ColumnSet = new ColumnSet(Schema.Verification.SessionId, Schema.Verification.ExpiresAt, Schema.Verification.ReservationKey),
            };
            if (verifiedSince is { } since)
            {
                query.Criteria.AddCondition(Schema.Verification.ContactId, ConditionOperator.Equal, contactId);
                var either = query.Criteria.AddFilter(LogicalOperator.Or);
                either.AddCondition(Schema.Verification.ReservationKey, ConditionOperator.Equal, openKey);
                var verified = either.AddFilter(LogicalOperator.And);
                verified.AddCondition(Schema.Verification.Journey, ConditionOperator.Equal, Choices.Of(journey).Value);
                verified.AddCondition(Schema.Verification.Status, ConditionOperator.Equal, Choices.Of(VerificationStatus.Verified).Value);
                verified.AddCondition(Schema.Verification.VerifiedAt, ConditionOperator.GreaterEqual, since.UtcDateTime);
            }
            else
            {
                query.TopCount = 1;
                query.Criteria.AddCondition(Schema.Verification.ReservationKey, ConditionOperator.Equal, openKey);
            }
            var rows = _system.RetrieveMultiple(query).Entities;
            var open = rows.FirstOrDefault(row => row.GetAttributeValue<string>(Schema.Verification.ReservationKey) == openKey);
            return new OpenLookup(
                open is null ? null : new OpenAttempt(open.Id, contactId, journey, open.GetAttributeValue<string>(Schema.Verification.SessionId), DataverseTime.Utc(open.GetAttributeValue<DateTime?>(Schema.Verification.ExpiresAt))),
                rows.Any(row => row.GetAttributeValue<string>(Schema.Verification.ReservationKey) != openKey));
        }

        /// <summary>Every attempt of the contact, newest first, with <paramref name="columns"/>.</summary>
        public Entity[] OfContact(Guid contactId, ColumnSet columns)
        {
            var query = new QueryExpression(Schema.Verification.EntityName) { ColumnSet = columns };
            query.Criteria.AddCondition(Schema.Verification.ContactId, ConditionOperator.Equal, contactId);
            query.AddOrder("createdon", OrderType.Descending);
            return _system.RetrieveMultiple(query).Entities.ToArray();
        }

        public Entity Read(Guid verificationId, ColumnSet columns) => _system.Retrieve(Schema.Verification.EntityName, verificationId, columns);

        /// <summary>The attempt if it is <paramref name="contactId"/>'s, else null: a query, so an unknown id dooms no transaction (docs/design.md §1b).</summary>
        public Entity? FindOfContact(Guid verificationId, Guid contactId, ColumnSet columns)
        {
            var query = new QueryExpression(Schema.Verification.EntityName) { ColumnSet = columns, TopCount = 1 };
            query.Criteria.AddCondition(Schema.Verification.PrimaryKey, ConditionOperator.Equal, verificationId);
            query.Criteria.AddCondition(Schema.Verification.ContactId, ConditionOperator.Equal, contactId);
            return _system.RetrieveMultiple(query).Entities.FirstOrDefault();
        }

        /// <summary>The row, or null when none has that id.</summary>
        /// <remarks>A query, not a Retrieve: a callback may name a row that does not exist, and a failed Retrieve would doom the callback API's transaction.</remarks>
        public Entity? Find(Guid verificationId, ColumnSet columns)
        {
            var query = new QueryExpression(Schema.Verification.EntityName) { ColumnSet = columns, TopCount = 1 };
            query.Criteria.AddCondition(Schema.Verification.PrimaryKey, ConditionOperator.Equal, verificationId);
            return _system.RetrieveMultiple(query).Entities.FirstOrDefault();
        }

        /// <summary>The id of the attempt that holds <paramref name="sessionId"/>, or null when none does.</summary>
        public Guid? IdOfSession(string sessionId)
        {
            var query = new QueryExpression(Schema.Verification.EntityName) { ColumnSet = new ColumnSet(false), TopCount = 1 };
            query.Criteria.AddCondition(Schema.Verification.SessionId, ConditionOperator.Equal, sessionId);
            var rows = _system.RetrieveMultiple(query).Entities;
            return rows.Count == 0 ? null : rows[0].Id;
        }

        /// <summary>
        /// The contact's newest Verified identity proofing with the hash of its document (the evidence a first LiveID approver
        /// is compared with), or null when none is Verified.
        /// </summary>
        public Entity? LatestVerifiedProofing(Guid contactId)
        {
            var query = new QueryExpression(Schema.Verification.EntityName) { ColumnSet = new ColumnSet(Schema.Verification.DocumentHash), TopCount = 1 };
            query.Criteria.AddCondition(Schema.Verification.ContactId, ConditionOperator.Equal, contactId);
            query.Criteria.AddCondition(Schema.Verification.Journey, ConditionOperator.Equal, Choices.Of(Journey.IdentityProofing).Value);
            query.Criteria.AddCondition(Schema.Verification.Status, ConditionOperator.Equal, Choices.Of(VerificationStatus.Verified).Value);
            query.AddOrder(Schema.Verification.VerifiedAt, OrderType.Descending);
            return _system.RetrieveMultiple(query).Entities.FirstOrDefault();
        }

        /// <summary>The contact's newest Verified IAL2 proofing (session id, verified at), or null.</summary>
        public Entity? LatestIal2Proofing(Guid contactId)
        {
            var query = new QueryExpression(Schema.Verification.EntityName) { ColumnSet = new ColumnSet(Schema.Verification.SessionId, Schema.Verification.VerifiedAt), TopCount = 1 };
            query.Criteria.AddCondition(Schema.Verification.ContactId, ConditionOperator.Equal, contactId);
            query.Criteria.AddCondition(Schema.Verification.Journey, ConditionOperator.Equal, Choices.Of(Journey.IdentityProofing).Value);
            query.Criteria.AddCondition(Schema.Verification.Status, ConditionOperator.Equal, Choices.Of(VerificationStatus.Verified).Value);
            query.Criteria.AddCondition(Schema.Verification.IalLevel, ConditionOperator.Equal, Choices.Of(AssuranceLevel.IAL2).Value);
            query.AddOrder(Schema.Verification.VerifiedAt, OrderType.Descending);
            return _system.RetrieveMultiple(query).Entities.FirstOrDefault();
        }

        /// <summary>The contact's most recent passed step-up (okos_laststepupat, session id, expiry), or null when none passed.</summary>
        public Entity? LatestStepUp(Guid contactId)
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
            return _system.RetrieveMultiple(query).Entities.FirstOrDefault();
        }

        /// <summary>Whether a LiveID step-up of the contact ever passed (the contact's bound DID is the other sign of enrollment).</summary>
        public bool HasLiveIdEnrollment(Guid contactId)
        {
            var query = new QueryExpression(Schema.Verification.EntityName) { ColumnSet = new ColumnSet(false), TopCount = 1 };
            query.Criteria.AddCondition(Schema.Verification.ContactId, ConditionOperator.Equal, contactId);
            query.Criteria.AddCondition(Schema.Verification.LiveIdEnrolled, ConditionOperator.Equal, true);
            return _system.RetrieveMultiple(query).Entities.Count > 0;
        }

        /// <value>The ids of the contact's issued Verified ID credentials that carry a photo: the only ones a Face Check may present.</value>
        public List<string> IssuedWithPhoto(Guid contactId)
        {
            var query = new QueryExpression(Schema.Verification.EntityName) { ColumnSet = new ColumnSet(false) };
            query.Criteria.AddCondition(Schema.Verification.ContactId, ConditionOperator.Equal, contactId);
            query.Criteria.AddCondition(Schema.Verification.Journey, ConditionOperator.Equal, Choices.Of(Journey.VerifiedIdIssuance).Value);
            query.Criteria.AddCondition(Schema.Verification.Status, ConditionOperator.Equal, Choices.Of(VerificationStatus.Verified).Value);
            query.Criteria.AddCondition(Schema.Verification.PhotoIncluded, ConditionOperator.Equal, true);
            return _system.RetrieveMultiple(query).Entities.Select(row => row.Id.ToString()).ToList();
        }

        /// <summary>Up to <paramref name="limit"/> Pending attempts not checked since <paramref name="checkedBefore"/>, the longest unchecked first.</summary>
        /// <remarks>The rows are collected before any is touched: refreshing a row moves its last-checked time, which would shift later pages.</remarks>
        public List<Entity> PendingCheckedBefore(DateTimeOffset checkedBefore, int limit, int pageSize)
        {
            var rows = new List<Entity>();
            var query = new QueryExpression(Schema.Verification.EntityName)
            {
                ColumnSet = new ColumnSet(Schema.Verification.SessionId, Schema.Verification.ExpiresAt, Schema.Verification.ContactId, Schema.Verification.Journey,
                    Schema.Verification.LastCheckedAt, Schema.Verification.CheckFailures),
                PageInfo = new PagingInfo { Count = pageSize, PageNumber = 1 },
            };
            query.Criteria.AddCondition(Schema.Verification.Status, ConditionOperator.Equal, Choices.Of(VerificationStatus.Pending).Value);
            var stale = query.Criteria.AddFilter(LogicalOperator.Or);
            stale.AddCondition(Schema.Verification.LastCheckedAt, ConditionOperator.Null);
            stale.AddCondition(Schema.Verification.LastCheckedAt, ConditionOperator.LessEqual, checkedBefore.UtcDateTime);
            query.AddOrder(Schema.Verification.LastCheckedAt, OrderType.Ascending);
            while (rows.Count < limit)
            {
                var page = _system.RetrieveMultiple(query);
                rows.AddRange(page.Entities.Take(limit - rows.Count));
                if (!page.MoreRecords)
                {
                    break;
                }
                query.PageInfo.PageNumber++;
                query.PageInfo.PagingCookie = page.PagingCookie;
            }
            return rows;
        }
    }
}
