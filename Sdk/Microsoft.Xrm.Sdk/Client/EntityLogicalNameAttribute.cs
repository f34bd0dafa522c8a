using System;

namespace Microsoft.Xrm.Sdk.Client
{
    /// <summary>Names the table an early-bound class stands for; <see cref="Entity.ToEntity{T}"/> reads it.</summary>
    [AttributeUsage(AttributeTargets.Class)]
    public sealed class EntityLogicalNameAttribute : Attribute
    {
        public EntityLogicalNameAttribute(string logicalName)
        {
            LogicalName = logicalName;
        }

        public string LogicalName { get; }
    }
}
