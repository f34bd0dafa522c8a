using Microsoft.Xrm.Sdk.Query;

namespace Microsoft.Xrm.Sdk.Messages
{
    // Each typed request starts with its parameters present and null, as the official constructors make them.
    public sealed class CreateRequest : OrganizationRequest
    {
        public CreateRequest()
        {
            RequestName = "Create";
            Parameters["Target"] = null;
        }

        public Entity Target
        {
            get => (Entity)this["Target"];
            set => this["Target"] = value;
        }
    }

    public sealed class RetrieveRequest : OrganizationRequest
    {
        public RetrieveRequest()
        {
            RequestName = "Retrieve";
            Parameters["Target"] = null;
            Parameters["ColumnSet"] = null;
        }

        public EntityReference Target
        {
            get => (EntityReference)this["Target"];
            set => this["Target"] = value;
        }

        public ColumnSet ColumnSet
        {
            get => (ColumnSet)this["ColumnSet"];
            set => this["ColumnSet"] = value;
        }
    }

    public sealed class RetrieveMultipleRequest : OrganizationRequest
    {
        public RetrieveMultipleRequest()
        {
            RequestName = "RetrieveMultiple";
            Parameters["Query"] = null;
        }

        public QueryBase Query
        {
            get => (QueryBase)this["Query"];
            set => this["Query"] = value;
        }
    }

    public sealed class UpdateRequest : OrganizationRequest
    {
        public UpdateRequest()
        {
            RequestName = "Update";
            Parameters["Target"] = null;
        }

        public Entity Target
        {
            get => (Entity)this["Target"];
            set => this["Target"] = value;
        }

        public ConcurrencyBehavior ConcurrencyBehavior
        {
            get => Parameters.TryGetValue("ConcurrencyBehavior", out var value) && value is ConcurrencyBehavior behavior ? behavior : ConcurrencyBehavior.Default;
            set => this["ConcurrencyBehavior"] = value;
        }
    }

    public sealed class UpsertRequest : OrganizationRequest
    {
        public UpsertRequest()
        {
            RequestName = "Upsert";
            Parameters["Target"] = null;
        }

        public Entity Target
        {
            get => (Entity)this["Target"];
            set => this["Target"] = value;
        }
    }

    public sealed class AssociateRequest : OrganizationRequest
    {
        public AssociateRequest()
        {
            RequestName = "Associate";
            Parameters["Target"] = null;
            Parameters["Relationship"] = null;
            Parameters["RelatedEntities"] = null;
        }

        public EntityReference Target
        {
            get => (EntityReference)this["Target"];
            set => this["Target"] = value;
        }

        public Relationship Relationship
        {
            get => (Relationship)this["Relationship"];
            set => this["Relationship"] = value;
        }

        public EntityReferenceCollection RelatedEntities
        {
            get => (EntityReferenceCollection)this["RelatedEntities"];
            set => this["RelatedEntities"] = value;
        }
    }

    public sealed class DisassociateRequest : OrganizationRequest
    {
        public DisassociateRequest()
        {
            RequestName = "Disassociate";
            Parameters["Target"] = null;
            Parameters["Relationship"] = null;
            Parameters["RelatedEntities"] = null;
        }

        public EntityReference Target
        {
            get => (EntityReference)this["Target"];
            set => this["Target"] = value;
        }

        public Relationship Relationship
        {
            get => (Relationship)this["Relationship"];
            set => this["Relationship"] = value;
        }

        public EntityReferenceCollection RelatedEntities
        {
            get => (EntityReferenceCollection)this["RelatedEntities"];
            set => this["RelatedEntities"] = value;
        }
    }

    public sealed class DeleteRequest : OrganizationRequest
    {
        public DeleteRequest()
        {
            RequestName = "Delete";
            Parameters["Target"] = null;
        }

        public EntityReference Target
        {
            get => (EntityReference)this["Target"];
            set => this["Target"] = value;
        }

        public ConcurrencyBehavior ConcurrencyBehavior
        {
            get => Parameters.TryGetValue("ConcurrencyBehavior", out var value) && value is ConcurrencyBehavior behavior ? behavior : ConcurrencyBehavior.Default;
            set => this["ConcurrencyBehavior"] = value;
        }
    }

    public sealed class ExecuteMultipleRequest : OrganizationRequest
    {
        public ExecuteMultipleRequest()
        {
            RequestName = "ExecuteMultiple";
            Parameters["Requests"] = null;
            Parameters["Settings"] = null;
        }

        public OrganizationRequestCollection Requests
        {
            get => (OrganizationRequestCollection)this["Requests"];
            set => this["Requests"] = value;
        }

        public ExecuteMultipleSettings Settings
        {
            get => (ExecuteMultipleSettings)this["Settings"];
            set => this["Settings"] = value;
        }
    }
}
