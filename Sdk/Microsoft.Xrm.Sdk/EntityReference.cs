using System;
using System.Linq;
using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk
{
    [DataContract(Name = "EntityReference", Namespace = XrmContracts.Namespace)]
    public sealed class EntityReference : IExtensibleDataObject
    {
        private KeyAttributeCollection _keyAttributes = new KeyAttributeCollection();

        public EntityReference()
        {
        }

        public EntityReference(string logicalName)
        {
            LogicalName = logicalName;
        }

        public EntityReference(string logicalName, Guid id)
        {
            LogicalName = logicalName;
            Id = id;
        }

        public EntityReference(string logicalName, string keyName, object keyValue)
        {
            LogicalName = logicalName;
            _keyAttributes.Add(keyName, keyValue);
        }

        public EntityReference(string logicalName, KeyAttributeCollection keyAttributeCollection)
        {
            LogicalName = logicalName;
            _keyAttributes = keyAttributeCollection ?? new KeyAttributeCollection();
        }

        [DataMember]
        public Guid Id { get; set; }

        [DataMember]
        public string LogicalName { get; set; }

        [DataMember]
        public string Name { get; set; }

        [DataMember]
        public KeyAttributeCollection KeyAttributes
        {
            get => _keyAttributes;
            set => _keyAttributes = value ?? new KeyAttributeCollection();
        }

        [DataMember]
        public string RowVersion { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }

        /// <remarks>Two references are equal when they name the same table and row id; the display name does not count.</remarks>
        /// <remarks>Equal when table, id and alternate key values all match (a reference by key has an empty id).</remarks>
        public override bool Equals(object obj) =>
            obj is EntityReference other && other.Id == Id && string.Equals(other.LogicalName, LogicalName, StringComparison.Ordinal) && SameKeys(KeyAttributes, other.KeyAttributes);

        private static bool SameKeys(KeyAttributeCollection left, KeyAttributeCollection right) =>
            left.Count == right.Count && left.All(pair => right.TryGetValue(pair.Key, out var value) && Equals(pair.Value, value));

        public override int GetHashCode() => Id.GetHashCode() ^ (LogicalName?.GetHashCode() ?? 0);
    }
}
