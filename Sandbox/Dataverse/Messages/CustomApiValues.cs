using System;
using Microsoft.Xrm.Sdk;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Dataverse.Messages
{
    /// <summary>What values a custom API's parameter or property takes, as the SDK types Dataverse hands to plug-ins.</summary>
    public static class CustomApiValues
    {
        /// <value>By custom API type code (0 Boolean … 12 Guid): the .NET type of a value in InputParameters or OutputParameters.</value>
        private static readonly Type[] ClrTypes =
        {
            typeof(bool), typeof(DateTime), typeof(decimal), typeof(Entity), typeof(EntityCollection), typeof(EntityReference),
            typeof(double), typeof(int), typeof(Money), typeof(OptionSetValue), typeof(string), typeof(string[]), typeof(Guid),
        };

        public static Type ClrTypeOf(CustomApiField field) => ClrTypes[field.Type];

        /// <summary>Why <paramref name="value"/> cannot be this field's value, or null when it can.</summary>
        public static string? Mismatch(this CustomApiField field, object? value)
        {
            if (value is null)
            {
                return null;
            }
            if (!ClrTypeOf(field).IsInstanceOfType(value))
            {
                return $"is a {value.GetType().Name}, not a {field.TypeName}";
            }
            var table = value switch
            {
                EntityReference reference => reference.LogicalName,
                Entity entity => entity.LogicalName,
                _ => null,
            };
            return field.LogicalEntityName is { Length: > 0 } && table != field.LogicalEntityName
                ? $"refers to a {table} row, not a {field.LogicalEntityName}"
                : null;
        }
    }
}
