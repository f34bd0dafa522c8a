using System;
using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk
{
    public class Entity : IExtensibleDataObject
    {
        private AttributeCollection _attributes = new AttributeCollection();
        private KeyAttributeCollection _keyAttributes = new KeyAttributeCollection();
        private readonly FormattedValueCollection _formattedValues = new FormattedValueCollection();
        private readonly RelatedEntityCollection _relatedEntities = new RelatedEntityCollection();

        public Entity()
        {
        }

        public Entity(string entityName)
        {
            LogicalName = entityName;
        }

        public Entity(string entityName, Guid id)
        {
            LogicalName = entityName;
            Id = id;
        }

        public Entity(string entityName, string keyName, object keyValue)
        {
            LogicalName = entityName;
            _keyAttributes.Add(keyName, keyValue);
        }

        public Entity(string entityName, KeyAttributeCollection keyAttributes)
        {
            LogicalName = entityName;
            _keyAttributes = keyAttributes ?? new KeyAttributeCollection();
        }

        public string LogicalName { get; set; }

        public virtual Guid Id { get; set; }

        public AttributeCollection Attributes
        {
            get => _attributes;
            set => _attributes = value ?? new AttributeCollection();
        }

        public KeyAttributeCollection KeyAttributes
        {
            get => _keyAttributes;
            set => _keyAttributes = value ?? new KeyAttributeCollection();
        }

        /// <value>The row's values as the user sees them, filled by the platform on rows it returns.</value>
        public FormattedValueCollection FormattedValues => _formattedValues;

        public RelatedEntityCollection RelatedEntities => _relatedEntities;

        public string RowVersion { get; set; }

        public EntityState? EntityState { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }

        /// <remarks>Reading a missing attribute throws <see cref="System.Collections.Generic.KeyNotFoundException"/>, as in the official SDK.</remarks>
        public object this[string attributeName]
        {
            get => _attributes[attributeName];
            set => _attributes[attributeName] = value;
        }

        public bool Contains(string attributeName) => _attributes.Contains(attributeName);

        /// <remarks>A missing or null attribute gives <c>default(T)</c>; a value of another type throws <see cref="InvalidCastException"/>.</remarks>
        public virtual T GetAttributeValue<T>(string attributeLogicalName)
        {
            if (!_attributes.TryGetValue(attributeLogicalName, out var value) || value == null)
            {
                return default;
            }
            return (T)value;
        }

        public bool TryGetAttributeValue<T>(string attributeKey, out T result)
        {
            if (_attributes.TryGetValue(attributeKey, out var value) && value is T typed)
            {
                result = typed;
                return true;
            }
            result = default;
            return false;
        }

        /// <remarks>For early-bound classes: their typed properties write through it.</remarks>
        protected void SetAttributeValue(string attributeLogicalName, object value) => _attributes[attributeLogicalName] = value;

        public EntityReference ToEntityReference() =>
            new EntityReference(LogicalName, Id) { KeyAttributes = KeyAttributes, RowVersion = RowVersion };
    }
}
