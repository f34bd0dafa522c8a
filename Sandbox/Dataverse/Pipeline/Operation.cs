using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Sandbox.Dataverse.Plugins;
using OneKosmos.Sandbox.Dataverse.Query;
using OneKosmos.Sandbox.Dataverse.Storage;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Dataverse.Pipeline
{
    /// <summary>One request on its way through the pipeline: what it targets, and what every step of it shares.</summary>
    internal sealed class Operation
    {
        private readonly OrganizationRequest _request;
        private readonly Guid _callerId;
        private readonly IPluginExecutionContext? _parent;
        private readonly InMemoryDataverseOptions _options;
        private readonly RowWriter _rows;
        private readonly QueryEvaluator _queries;
        private readonly ParameterCollection _sharedVariables = new();
        private readonly Guid _operationId;
        private readonly DateTime _createdOn;
        private OrganizationResponse? _response;
        private Entity? _preImage;
        private Entity? _postImage;

        public Operation(OrganizationRequest request, Guid callerId, IPluginExecutionContext? parent, InMemoryDataverseOptions options, RowWriter rows, QueryEvaluator queries)
        {
            _queries = queries;
            _request = request;
            _callerId = callerId;
            _parent = parent;
            _options = options;
            _rows = rows;
            Depth = parent is null ? 1 : parent.Depth + 1;
            CorrelationId = parent?.CorrelationId ?? options.NewId();
            _operationId = options.NewId();
            _createdOn = options.Clock.GetUtcNow().UtcDateTime;
            (Table, Id) = TargetOf(request);
        }

        public int Depth { get; }

        public Guid CorrelationId { get; }

        public string MessageName => _request.RequestName;

        /// <value>The table the request acts on, or null for a message bound to none.</value>
        public string? Table { get; }

        public Guid Id { get; private set; }

        public bool Sets(string column) => _request.Parameters.TryGetValue("Target", out var target) && target is Entity entity && entity.Contains(column);

        public void CapturePreImage(bool wanted)
        {
            if (wanted && Table is not null)
            {
                _preImage = Stored();
                Id = _preImage?.Id ?? Id;
            }
        }

        public void Completed(OrganizationResponse response, bool wantsPostImage)
        {
            _response = response;
            if (Id == Guid.Empty)
            {
                Id = response.Results.TryGetValue("id", out var created) && created is Guid id ? id
                    : response.Results.TryGetValue("Target", out var target) && target is EntityReference reference ? reference.Id
                    : Guid.Empty;
            }
            if (wantsPostImage && Table is not null && MessageName != "Delete")
            {
                _postImage = Stored();
            }
        }

        public SandboxPluginExecutionContext ContextFor(StepRegistration step, bool inTransaction, bool asynchronous)
        {
            var context = new SandboxPluginExecutionContext
            {
                MessageName = MessageName,
                PrimaryEntityName = Table ?? "none",
                PrimaryEntityId = Id,
                Stage = (int)step.Stage,
                Mode = (int)step.Mode,
                Depth = Depth,
                UserId = _callerId,
                InitiatingUserId = _parent?.InitiatingUserId ?? _callerId,
                BusinessUnitId = _options.BusinessUnitId,
                OrganizationId = _options.OrganizationId,
                OrganizationName = _options.OrganizationName,
                CorrelationId = CorrelationId,
                OperationId = _operationId,
                RequestId = _request.RequestId ?? _operationId,
                OperationCreatedOn = _createdOn,
                IsInTransaction = inTransaction,
                ParentContext = _parent,
                InputParameters = asynchronous ? Copy(_request.Parameters) : _request.Parameters,
                OutputParameters = _response is null ? new ParameterCollection() : asynchronous ? Copy(_response.Results) : _response.Results,
                SharedVariables = asynchronous ? Copy(_sharedVariables) : _sharedVariables,
            };
            foreach (var image in step.Images)
            {
                if (image.Kind != ImageKind.PostImage && _preImage is not null)
                {
                    context.PreEntityImages[image.EntityAlias] = Project(_preImage, image);
                }
                if (image.Kind != ImageKind.PreImage && _postImage is not null && step.Stage == PipelineStage.PostOperation)
                {
                    context.PostEntityImages[image.EntityAlias] = Project(_postImage, image);
                }
            }
            return context;
        }

        private Entity? Stored()
        {
            try
            {
                var keys = _request.Parameters.TryGetValue("Target", out var target) ? target switch
                {
                    Entity entity => entity.KeyAttributes,
                    EntityReference reference => reference.KeyAttributes,
                    _ => null,
                } : null;
                return EntityCopy.Of(_rows.Locate(Table!, Id, keys));
            }
            catch (System.ServiceModel.FaultException<OrganizationServiceFault>)
            {
                // No such row: the core operation reports that itself.
                return null;
            }
        }

        private Entity Project(Entity row, ImageRegistration image) =>
            _queries.Columns(row, image.Attributes.Count == 0 ? new ColumnSet(true) : new ColumnSet(image.Attributes.ToArray()));

        private static ParameterCollection Copy(ParameterCollection source)
        {
            var copy = new ParameterCollection();
            foreach (var pair in source)
            {
                copy[pair.Key] = pair.Value is null ? null! : EntityCopy.Value(pair.Value);
            }
            return copy;
        }

        private static (string? Table, Guid Id) TargetOf(OrganizationRequest request) =>
            request.Parameters.TryGetValue("Target", out var target) ? target switch
            {
                Entity entity => (entity.LogicalName, entity.Id),
                EntityReference reference => (reference.LogicalName, reference.Id),
                _ => (null, Guid.Empty),
            }
            : request.Parameters.TryGetValue("OpportunityClose", out var close) && close is Entity closing && closing.GetAttributeValue<EntityReference>("opportunityid") is { } won
                ? (won.LogicalName, won.Id)
            : request.Parameters.TryGetValue("LeadId", out var lead) && lead is EntityReference qualified ? (qualified.LogicalName, qualified.Id)
            : request.Parameters.TryGetValue("Query", out var query) && query is QueryExpression expression ? (expression.EntityName, Guid.Empty)
            : (null, Guid.Empty);
    }
}
