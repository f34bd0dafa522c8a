using System;
using System.Collections.Generic;
using Microsoft.Xrm.Sdk;

namespace OneKosmos.Sandbox.Dataverse.Metadata
{
    /// <summary>A custom API as a solution's <c>customapis/</c> folder defines it.</summary>
    public sealed class CustomApiMetadata
    {
        internal CustomApiMetadata(
            string uniqueName,
            string? executePrivilegeName,
            bool isFunction,
            int bindingType,
            bool isPrivate,
            string? pluginTypeExportKey,
            IReadOnlyList<CustomApiField> requestParameters,
            IReadOnlyList<CustomApiField> responseProperties)
        {
            UniqueName = uniqueName;
            ExecutePrivilegeName = executePrivilegeName;
            IsFunction = isFunction;
            BindingType = bindingType;
            IsPrivate = isPrivate;
            PluginTypeExportKey = pluginTypeExportKey;
            RequestParameters = requestParameters;
            ResponseProperties = responseProperties;
        }

        public string UniqueName { get; }

        /// <value>The privilege a caller needs to run it; null when anyone may.</value>
        public string? ExecutePrivilegeName { get; }

        public bool IsFunction { get; }

        /// <value>0 global (unbound), 1 entity, 2 entity collection.</value>
        public int BindingType { get; }

        public bool IsPrivate { get; }

        /// <value>The main-operation plug-in type named by <c>plugintypeexportkey</c>; null when the API has no plug-in.</value>
        public string? PluginTypeExportKey { get; }

        public IReadOnlyList<CustomApiField> RequestParameters { get; }

        public IReadOnlyList<CustomApiField> ResponseProperties { get; }
    }

    /// <summary>One request parameter or response property of a custom API.</summary>
    public sealed class CustomApiField
    {
        private static readonly Type[] ClrTypes =
        {
            typeof(bool), typeof(DateTime), typeof(decimal), typeof(Entity), typeof(EntityCollection), typeof(EntityReference),
            typeof(double), typeof(int), typeof(Money), typeof(OptionSetValue), typeof(string), typeof(string[]), typeof(Guid),
        };

        private static readonly string[] TypeNames =
        {
            "Boolean", "DateTime", "Decimal", "Entity", "EntityCollection", "EntityReference", "Float", "Integer", "Money", "Picklist", "String", "StringArray", "Guid",
        };

        internal CustomApiField(string uniqueName, int type, bool isOptional, string? logicalEntityName)
        {
            UniqueName = uniqueName;
            Type = type;
            IsOptional = isOptional;
            LogicalEntityName = logicalEntityName;
        }

        public string UniqueName { get; }

        /// <value>The custom API type code (0 Boolean … 12 Guid).</value>
        public int Type { get; }

        public bool IsOptional { get; }

        /// <value>For Entity and EntityReference: the table its values must be; null for any table.</value>
        public string? LogicalEntityName { get; }

        /// <value>The .NET type a value of it has in InputParameters or OutputParameters.</value>
        public Type ClrType => ClrTypes[Type];

        public string TypeName => TypeNames[Type];

        internal static bool IsKnownType(int type) => type >= 0 && type < ClrTypes.Length;

        /// <summary>Why <paramref name="value"/> cannot be this field's value, or null when it can.</summary>
        public string? Mismatch(object? value)
        {
            if (value is null)
            {
                return null;
            }
            if (!ClrType.IsInstanceOfType(value))
            {
                return $"is a {value.GetType().Name}, not a {TypeName}";
            }
            var table = value switch
            {
                EntityReference reference => reference.LogicalName,
                Entity entity => entity.LogicalName,
                _ => null,
            };
            return LogicalEntityName is { Length: > 0 } && table != LogicalEntityName
                ? $"refers to a {table} row, not a {LogicalEntityName}"
                : null;
        }
    }
}
