using System;
using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk
{
    public sealed class Relationship : IExtensibleDataObject
    {
        public Relationship()
        {
        }

        public Relationship(string schemaName)
        {
            SchemaName = schemaName;
        }

        public string SchemaName { get; set; }

        public EntityRole? PrimaryEntityRole { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }

        public override bool Equals(object obj) =>
            obj is Relationship other
            && string.Equals(other.SchemaName, SchemaName, StringComparison.Ordinal)
            && other.PrimaryEntityRole == PrimaryEntityRole;

        public override int GetHashCode() => (SchemaName?.GetHashCode() ?? 0) ^ PrimaryEntityRole.GetHashCode();

        public override string ToString() => SchemaName;
    }

    public enum EntityRole
    {
        Referencing = 0,
        Referenced = 1,
    }
}
