using System;
using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk
{
    [DataContract(Name = "Relationship", Namespace = XrmContracts.Namespace)]
    public sealed class Relationship : IExtensibleDataObject
    {
        public Relationship()
        {
        }

        public Relationship(string schemaName)
        {
            SchemaName = schemaName;
        }

        [DataMember]
        public string SchemaName { get; set; }

        [DataMember]
        public EntityRole? PrimaryEntityRole { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }

        public override bool Equals(object obj) =>
            obj is Relationship other
            && string.Equals(other.SchemaName, SchemaName, StringComparison.Ordinal)
            && other.PrimaryEntityRole == PrimaryEntityRole;

        public override int GetHashCode() => (SchemaName?.GetHashCode() ?? 0) ^ PrimaryEntityRole.GetHashCode();

        public override string ToString() => SchemaName;
    }

    [DataContract(Name = "EntityRole", Namespace = XrmContracts.Namespace)]
    public enum EntityRole
    {
        [EnumMember]
        Referencing = 0,
        [EnumMember]
        Referenced = 1,
    }
}
