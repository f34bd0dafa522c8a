using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Dataverse.Messages
{
    /// <summary>
    /// Associate and Disassociate over a many-to-many relationship the loaded solution defines: each related row is linked to
    /// (or unlinked from) the target through an intersect row, which queries then see like any table's rows
    /// (https://learn.microsoft.com/power-apps/developer/data-platform/org-service/entity-operations-associate-disassociate).
    /// A one-to-many relationship is written through its lookup column instead, so only many-to-many ones are taken here.
    /// </summary>
    internal sealed class RelationshipHandler : IMessageHandler
    {
        private readonly bool _associate;

        private RelationshipHandler(bool associate)
        {
            _associate = associate;
        }

        public static RelationshipHandler Associate { get; } = new(associate: true);

        public static RelationshipHandler Disassociate { get; } = new(associate: false);

        public OrganizationResponse Handle(OrganizationRequest request, MessageContext context)
        {
            var target = Parameter.Required<EntityReference>(request, "Target");
            var relationship = Parameter.Required<Relationship>(request, "Relationship");
            var related = Parameter.Required<EntityReferenceCollection>(request, "RelatedEntities");
            var metadata = context.Rows.ManyToMany(relationship.SchemaName ?? "") ?? throw DataverseFaults.NoSuchRelationship(relationship.SchemaName ?? "(none)");
            var targetRow = context.Rows.Locate(target.LogicalName, target.Id, target.KeyAttributes);
            foreach (var other in related)
            {
                var otherRow = context.Rows.Locate(other.LogicalName, other.Id, other.KeyAttributes);
                var (first, second) = Ordered(metadata, targetRow.ToEntityReference(), otherRow.ToEntityReference());
                context.Access.CheckAssociate(context.CallerId, targetRow, otherRow);
                if (_associate)
                {
                    context.Rows.Link(metadata, first, second);
                }
                else
                {
                    context.Rows.Unlink(metadata, first, second);
                }
            }
            return _associate ? new AssociateResponse() : new DisassociateResponse();
        }

        /// <summary>The two rows in the relationship's column order; for a table related to itself, the target comes first.</summary>
        private static (EntityReference First, EntityReference Second) Ordered(ManyToManyMetadata relationship, EntityReference target, EntityReference related)
        {
            if (target.LogicalName == relationship.Table1 && related.LogicalName == relationship.Table2)
            {
                return (target, related);
            }
            if (target.LogicalName == relationship.Table2 && related.LogicalName == relationship.Table1)
            {
                return (related, target);
            }
            throw DataverseFaults.InvalidArgument(
                $"The relationship {relationship.SchemaName} relates {relationship.Table1} and {relationship.Table2}, not {target.LogicalName} and {related.LogicalName}.");
        }
    }
}
