using System;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Sandbox.Dataverse.Query;

namespace OneKosmos.Sandbox.Dataverse.Messages
{
    internal sealed class CreateHandler : IMessageHandler
    {
        public OrganizationResponse Handle(OrganizationRequest request, MessageContext context)
        {
            var id = context.Rows.Insert(Parameter.Required<Entity>(request, "Target"), context.CallerId);
            return new CreateResponse { ["id"] = id };
        }
    }

    internal sealed class RetrieveHandler : IMessageHandler
    {
        public OrganizationResponse Handle(OrganizationRequest request, MessageContext context)
        {
            var target = Parameter.Required<EntityReference>(request, "Target");
            var columns = Parameter.Required<ColumnSet>(request, "ColumnSet");
            context.Queries.RequireColumns(target.LogicalName, columns);
            var row = context.Rows.Locate(target.LogicalName, target.Id, target.KeyAttributes);
            context.Access.CheckRead(context.CallerId, row);
            return new RetrieveResponse { ["Entity"] = context.Access.Mask(context.CallerId, context.Queries.Columns(row, columns)) };
        }
    }

    internal sealed class UpdateHandler : IMessageHandler
    {
        public OrganizationResponse Handle(OrganizationRequest request, MessageContext context)
        {
            var target = Parameter.Required<Entity>(request, "Target");
            context.Rows.Change(target, context.CallerId, Parameter.Optional(request, "ConcurrencyBehavior", ConcurrencyBehavior.Default));
            return new UpdateResponse();
        }
    }

    internal sealed class DeleteHandler : IMessageHandler
    {
        public OrganizationResponse Handle(OrganizationRequest request, MessageContext context)
        {
            var target = Parameter.Required<EntityReference>(request, "Target");
            context.Rows.Delete(
                target.LogicalName,
                target.Id,
                target.KeyAttributes,
                target.RowVersion,
                Parameter.Optional(request, "ConcurrencyBehavior", ConcurrencyBehavior.Default),
                context.CallerId);
            return new DeleteResponse();
        }
    }

    /// <summary>
    /// Update when the alternate key (or id) names an existing row, else create with the key values as columns; either runs
    /// as its own Create or Update request, so the steps registered on those run too.
    /// </summary>
    internal sealed class UpsertHandler : IMessageHandler
    {
        public OrganizationResponse Handle(OrganizationRequest request, MessageContext context)
        {
            var target = Parameter.Required<Entity>(request, "Target");
            var existing = target.KeyAttributes.Count > 0
                ? context.Rows.Find(target.LogicalName, target.KeyAttributes)
                : target.Id != Guid.Empty ? FindById(context, target) : null;
            // Dataverse carries an Upsert out as a Create or an Update, and the steps registered on those run for it.
            if (existing is null)
            {
                var id = (Guid)context.Execute(new CreateRequest { Target = target })["id"];
                return new UpsertResponse { ["RecordCreated"] = true, ["Target"] = new EntityReference(target.LogicalName, id) };
            }
            var change = new Entity(target.LogicalName, existing.Id) { Attributes = target.Attributes };
            context.Execute(new UpdateRequest { Target = change });
            return new UpsertResponse { ["RecordCreated"] = false, ["Target"] = new EntityReference(target.LogicalName, existing.Id) };
        }

        private static Entity? FindById(MessageContext context, Entity target)
        {
            var keys = new KeyAttributeCollection { { context.Rows.PrimaryKeyOf(target.LogicalName), target.Id } };
            return context.Rows.Find(target.LogicalName, keys);
        }
    }

    internal sealed class RetrieveMultipleHandler : IMessageHandler
    {
        public OrganizationResponse Handle(OrganizationRequest request, MessageContext context)
        {
            var rows = Parameter.Required<QueryBase>(request, "Query") switch
            {
                QueryExpression query => context.Queries.Evaluate(query, context.CallerId),
                QueryByAttribute byAttribute => context.Queries.Evaluate(AsExpression(byAttribute), context.CallerId),
                FetchExpression fetch => context.Queries.Evaluate(context.Queries.Read(fetch), context.CallerId),
                var other => throw new NotSupportedException($"The in-memory Dataverse runs QueryExpression, QueryByAttribute and FetchExpression queries, not {other.GetType().Name}."),
            };
            return new RetrieveMultipleResponse { ["EntityCollection"] = rows };
        }

        /// <summary>A QueryByAttribute is a QueryExpression whose conditions are all "equals", joined by and.</summary>
        private static QueryExpression AsExpression(QueryByAttribute query)
        {
            if (query.Attributes.Count != query.Values.Count)
            {
                throw DataverseFaults.InvalidArgument($"A QueryByAttribute needs one value per attribute: it has {query.Attributes.Count} attributes and {query.Values.Count} values.");
            }
            var expression = new QueryExpression(query.EntityName) { ColumnSet = query.ColumnSet, PageInfo = query.PageInfo, TopCount = query.TopCount };
            for (var i = 0; i < query.Attributes.Count; i++)
            {
                expression.Criteria.AddCondition(query.Attributes[i], ConditionOperator.Equal, query.Values[i]);
            }
            foreach (var order in query.Orders)
            {
                expression.Orders.Add(order);
            }
            return expression;
        }
    }
}
