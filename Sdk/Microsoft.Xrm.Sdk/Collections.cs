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
        /// <summary>Sets the value under <paramref name="key"/> when it is not null; a null leaves the collection as it was.</summary>
        public void AddOrUpdateIfNotNull(string key, object value)
        {
            if (value != null)
            {
                this[key] = value;
            }
        }

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

    /// <summary>A row's values as the user sees them (a choice's label, a lookup's name), by column.</summary>
    public sealed class FormattedValueCollection : DataCollection<string, string>
    {
        public FormattedValueCollection()
        {
        }

        public FormattedValueCollection(IDictionary<string, string> dictionary)
            : base(dictionary)
        {
        }
    }

    /// <summary>Rows related to a row, by relationship: what a deep insert or a query's related rows carry.</summary>
    public sealed class RelatedEntityCollection : DataCollection<Relationship, EntityCollection>
    {
    }

    /// <summary>The value of a multi-select choice column: the chosen options.</summary>
    public sealed class OptionSetValueCollection : DataCollection<OptionSetValue>
    {
        public OptionSetValueCollection()
        {
        }

        public OptionSetValueCollection(IList<OptionSetValue> list)
            : base(list)
        {
        }
    }
}
