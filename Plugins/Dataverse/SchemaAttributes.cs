using System;

namespace OneKosmos.Plugins.Dataverse
{
    /// <summary>The SDK type a <see cref="Schema"/> column holds; a test checks it against the solution's metadata.</summary>
    [AttributeUsage(AttributeTargets.Field)]
    public sealed class ColumnAttribute : Attribute
    {
        public ColumnAttribute(Type valueType)
        {
            ValueType = valueType;
        }

        public Type ValueType { get; }
    }

    /// <summary>Marks a <see cref="Schema"/> constant that names an alternate key of its table.</summary>
    [AttributeUsage(AttributeTargets.Field)]
    public sealed class AlternateKeyAttribute : Attribute
    {
    }
}
