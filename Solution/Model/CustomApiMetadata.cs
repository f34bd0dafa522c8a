using System;
using System.Collections.Generic;

namespace OneKosmos.Solution.Model
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
            IReadOnlyList<CustomApiField> responseProperties,
            int allowedCustomProcessingStepType = 0)
        {
            AllowedCustomProcessingStepType = allowedCustomProcessingStepType;
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

        /// <value>Which steps others may register on it: 0 none, 1 asynchronous only, 2 synchronous and asynchronous.</value>
        public int AllowedCustomProcessingStepType { get; }

        /// <value>
        /// A business event: raised by calling it, it does nothing itself (no plug-in, nothing to return) and only asynchronous
        /// steps may follow it (flows' "When an action is performed", service endpoints). "Microsoft Dataverse business events":
        /// learn.microsoft.com/power-apps/developer/data-platform/business-events.
        /// </value>
        public bool IsBusinessEvent => PluginTypeExportKey is null && ResponseProperties.Count == 0 && AllowedCustomProcessingStepType == 1 && !IsFunction;
    }

    /// <summary>One request parameter or response property of a custom API.</summary>
    public sealed class CustomApiField
    {
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

        public string TypeName => TypeNames[Type];

        public static bool IsKnownType(int type) => type >= 0 && type < TypeNames.Length;
    }
}
