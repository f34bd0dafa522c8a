using Microsoft.Xrm.Sdk.Query;

namespace Microsoft.Xrm.Sdk.Messages
{
    public sealed class CreateRequest : OrganizationRequest
    {
        public CreateRequest()
        {
            RequestName = "Create";
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
        }

        public Entity Target
        {
            get => (Entity)this["Target"];
            set => this["Target"] = value;
        }

        public ConcurrencyBehavior ConcurrencyBehavior
        {
            get => this["ConcurrencyBehavior"] is ConcurrencyBehavior behavior ? behavior : ConcurrencyBehavior.Default;
            set => this["ConcurrencyBehavior"] = value;
        }
    }

    public sealed class UpsertRequest : OrganizationRequest
    {
        public UpsertRequest()
        {
            RequestName = "Upsert";
        }

        public Entity Target
        {
            get => (Entity)this["Target"];
            set => this["Target"] = value;
        }
    }

    public sealed class DeleteRequest : OrganizationRequest
    {
        public DeleteRequest()
        {
            RequestName = "Delete";
        }

        public EntityReference Target
        {
            get => (EntityReference)this["Target"];
            set => this["Target"] = value;
        }

        public ConcurrencyBehavior ConcurrencyBehavior
        {
            get => this["ConcurrencyBehavior"] is ConcurrencyBehavior behavior ? behavior : ConcurrencyBehavior.Default;
            set => this["ConcurrencyBehavior"] = value;
        }
    }

    public sealed class ExecuteMultipleRequest : OrganizationRequest
    {
        public ExecuteMultipleRequest()
        {
            RequestName = "ExecuteMultiple";
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
