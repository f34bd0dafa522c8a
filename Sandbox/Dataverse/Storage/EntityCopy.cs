using System;
using System.Linq;
using Microsoft.Xrm.Sdk;

namespace OneKosmos.Sandbox.Dataverse.Storage
{
    /// <summary>Deep copies, so neither a caller nor the store can change the other's entities.</summary>
    internal static class EntityCopy
    {
        public static Entity Of(Entity source)
        {
            var copy = new Entity(source.LogicalName, source.Id) { RowVersion = source.RowVersion };
            foreach (var attribute in source.Attributes)
            {
                copy.Attributes[attribute.Key] = Value(attribute.Value);
            }
            foreach (var key in source.KeyAttributes)
            {
                copy.KeyAttributes[key.Key] = Value(key.Value);
            }
            foreach (var formatted in source.FormattedValues)
            {
                copy.FormattedValues[formatted.Key] = formatted.Value;
            }
            return copy;
        }

        public static object Value(object value) => value switch
        {
            Entity entity => Of(entity),
            EntityReference reference => new EntityReference(reference.LogicalName, reference.Id) { Name = reference.Name },
            OptionSetValue option => new OptionSetValue(option.Value),
            OptionSetValueCollection options => new OptionSetValueCollection(options.Select(option => new OptionSetValue(option.Value)).ToList()),
            Money money => new Money(money.Value),
            EntityCollection collection => new EntityCollection(collection.Entities.Select(Of).ToList()) { EntityName = collection.EntityName },
            AliasedValue aliased => new AliasedValue(aliased.EntityLogicalName, aliased.AttributeLogicalName, Value(aliased.Value)),
            byte[] bytes => bytes.ToArray(),
            _ => value,
        };
    }
}
