using System;

namespace Microsoft.Xrm.Sdk.Messages
{
    public sealed class CreateResponse : OrganizationResponse
    {
        public CreateResponse()
        {
            ResponseName = "Create";
        }

        public Guid id => this["id"] is Guid value ? value : Guid.Empty;
    }

    public sealed class RetrieveResponse : OrganizationResponse
    {
        public RetrieveResponse()
        {
            ResponseName = "Retrieve";
        }

        public Entity Entity => (Entity)this["Entity"];
    }

    public sealed class RetrieveMultipleResponse : OrganizationResponse
    {
        public RetrieveMultipleResponse()
        {
            ResponseName = "RetrieveMultiple";
        }

        public EntityCollection EntityCollection => (EntityCollection)this["EntityCollection"];
    }

    public sealed class UpdateResponse : OrganizationResponse
    {
        public UpdateResponse()
        {
            ResponseName = "Update";
        }
    }

    public sealed class UpsertResponse : OrganizationResponse
    {
        public UpsertResponse()
        {
            ResponseName = "Upsert";
        }

        public bool RecordCreated => this["RecordCreated"] is bool created && created;

        public EntityReference Target => (EntityReference)this["Target"];
    }

    public sealed class AssociateResponse : OrganizationResponse
    {
        public AssociateResponse()
        {
            ResponseName = "Associate";
        }
    }

    public sealed class DisassociateResponse : OrganizationResponse
    {
        public DisassociateResponse()
        {
            ResponseName = "Disassociate";
        }
    }

    public sealed class DeleteResponse : OrganizationResponse
    {
        public DeleteResponse()
        {
            ResponseName = "Delete";
        }
    }

    public sealed class ExecuteMultipleResponse : OrganizationResponse
    {
        public ExecuteMultipleResponse()
        {
            ResponseName = "ExecuteMultiple";
        }

        public bool IsFaulted => this["IsFaulted"] is bool faulted && faulted;

        public ExecuteMultipleResponseItemCollection Responses => (ExecuteMultipleResponseItemCollection)this["Responses"];
    }
}
