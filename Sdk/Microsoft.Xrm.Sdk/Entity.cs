using System;
using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk
{
    /// <remarks>The value types an attribute may hold are the known types of <see cref="AttributeCollection"/>.</remarks>
    [DataContract(Name = "Entity", Namespace = XrmContracts.Namespace)]
    public class Entity : IExtensibleDataObject
    {
        private AttributeCollection _attributes = new AttributeCollection();
        private KeyAttributeCollection _keyAttributes = new KeyAttributeCollection();
        private FormattedValueCollection _formattedValues = new FormattedValueCollection();
        private RelatedEntityCollection _relatedEntities = new RelatedEntityCollection();

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

        [DataMember]
        public string LogicalName { get; set; }

        [DataMember]
        public virtual Guid Id { get; set; }

        [DataMember]
        public AttributeCollection Attributes
        {
            get => _attributes;
            set => _attributes = value ?? new AttributeCollection();
        }

        [DataMember]
        public KeyAttributeCollection KeyAttributes
        {
            get => _keyAttributes;
            set => _keyAttributes = value ?? new KeyAttributeCollection();
        }

        /// <value>The row's values as the user sees them, filled by the platform on rows it returns.</value>
        [DataMember]
        public FormattedValueCollection FormattedValues
        {
            get => _formattedValues;
            private set => _formattedValues = value ?? new FormattedValueCollection();
        }

        [DataMember]
        public RelatedEntityCollection RelatedEntities
        {
            get => _relatedEntities;
            private set => _relatedEntities = value ?? new RelatedEntityCollection();
        }

        [DataMember]
        public string RowVersion { get; set; }

        [DataMember]
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

        /// <summary>
        /// This row as an early-bound class: <typeparamref name="T"/> must carry the <see cref="Client.EntityLogicalNameAttribute"/>
        /// of this row's table. The new object shares this row's collections (a shallow copy).
        /// </summary>
        /// <exception cref="NotSupportedException">The row has no LogicalName, or <typeparamref name="T"/> names no table or another one.</exception>
        public T ToEntity<T>()
            where T : Entity
        {
            if (typeof(T) == typeof(Entity))
            {
                var copy = new Entity();
                ShallowCopyTo(copy);
                return (T)copy;
            }
            if (string.IsNullOrWhiteSpace(LogicalName))
            {
                throw new NotSupportedException("LogicalName must be set before calling ToEntity()");
            }
            var logicalName = ((Client.EntityLogicalNameAttribute)Attribute.GetCustomAttribute(typeof(T), typeof(Client.EntityLogicalNameAttribute), inherit: true))?.LogicalName;
            if (string.IsNullOrWhiteSpace(logicalName))
            {
                throw new NotSupportedException("Cannot convert to type that is does not have EntityLogicalNameAttribute");
            }
            if (LogicalName != logicalName)
            {
                throw new NotSupportedException("Cannot convert entity " + LogicalName + " to " + logicalName);
            }
            var typed = (T)Activator.CreateInstance(typeof(T));
            ShallowCopyTo(typed);
            return typed;
        }

        private void ShallowCopyTo(Entity target)
        {
            target.LogicalName = LogicalName;
            target.Id = Id;
            target._attributes = _attributes;
            target._keyAttributes = _keyAttributes;
            target._formattedValues = _formattedValues;
            target._relatedEntities = _relatedEntities;
            target.RowVersion = RowVersion;
            target.EntityState = EntityState;
            target.ExtensionData = ExtensionData;
        }

        public EntityReference ToEntityReference() =>
            new EntityReference(LogicalName, Id) { KeyAttributes = KeyAttributes, RowVersion = RowVersion };
    }
}
