using System.Collections.Generic;
using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk
{
    [CollectionDataContract(Name = "AttributeCollection", Namespace = XrmContracts.Namespace)]
    [KnownType(typeof(Entity))]
    [KnownType(typeof(EntityReference))]
    [KnownType(typeof(OptionSetValue))]
    [KnownType(typeof(OptionSetValueCollection))]
    [KnownType(typeof(Money))]
    [KnownType(typeof(AliasedValue))]
    [KnownType(typeof(EntityCollection))]
    [KnownType(typeof(EntityReferenceCollection))]
    public sealed class AttributeCollection : DataCollection<string, object>
    {
    }

    [CollectionDataContract(Name = "KeyAttributeCollection", Namespace = XrmContracts.Namespace71)]
    [KnownType(typeof(EntityReference))]
    [KnownType(typeof(OptionSetValue))]
    [KnownType(typeof(Money))]
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

    [CollectionDataContract(Name = "EntityReferenceCollection", Namespace = XrmContracts.Namespace)]
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
    [CollectionDataContract(Name = "FormattedValueCollection", Namespace = XrmContracts.Namespace)]
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
    [CollectionDataContract(Name = "RelatedEntityCollection", Namespace = XrmContracts.Namespace)]
    public sealed class RelatedEntityCollection : DataCollection<Relationship, EntityCollection>
    {
    }

    /// <summary>The value of a multi-select choice column: the chosen options.</summary>
    [CollectionDataContract(Name = "OptionSetValueCollection", Namespace = XrmContracts.Namespace)]
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
