using System.Collections.Generic;

namespace Microsoft.Xrm.Sdk
{
    public sealed class AttributeCollection : DataCollection<string, object>
    {
    }

    public sealed class KeyAttributeCollection : DataCollection<string, object>
    {
    }

    public class ParameterCollection : DataCollection<string, object>
    {
        public bool TryGetValue<T>(string key, out T value)
        {
            if (base.TryGetValue(key, out var raw) && raw is T typed)
            {
                value = typed;
                return true;
            }
            value = default;
            return false;
        }
    }

    public class EntityImageCollection : DataCollection<string, Entity>
    {
    }

    public sealed class EntityReferenceCollection : DataCollection<EntityReference>
    {
        public EntityReferenceCollection()
        {
        }

        public EntityReferenceCollection(IList<EntityReference> list)
            : base(list)
        {
        }
    }

    public sealed class OrganizationRequestCollection : DataCollection<OrganizationRequest>
    {
        public OrganizationRequestCollection()
        {
        }
    }

    public sealed class ExecuteMultipleResponseItemCollection : DataCollection<ExecuteMultipleResponseItem>
    {
        public ExecuteMultipleResponseItemCollection()
        {
        }
    }

    public sealed class ErrorDetailCollection : DataCollection<string, object>
    {
    }
}
