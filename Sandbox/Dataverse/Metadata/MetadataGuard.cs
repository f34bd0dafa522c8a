using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.Xrm.Sdk;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Dataverse.Metadata
{
    /// <summary>Refuses what Dataverse refuses for a table's metadata: unknown tables and columns, wrong types, values out of range.</summary>
    /// <remarks>Without metadata (an <see cref="InMemoryDataverse"/> not built from a solution) every table and column is accepted.</remarks>
    internal sealed class MetadataGuard
    {
        public SolutionMetadata? Metadata { get; set; }

        public string PrimaryIdOf(string table) => Metadata?.Table(table)?.PrimaryIdAttribute ?? table + "id";

        public TableMetadata? Table(string table)
        {
            if (Metadata is null)
            {
                return null;
            }
            return Metadata.Table(table) ?? throw DataverseFaults.NoSuchTable(table);
        }

        public void RequireColumns(string table, IEnumerable<string> columns)
        {
            if (Table(table) is not { } metadata)
            {
                return;
            }
            foreach (var column in columns)
            {
                if (metadata.Column(column) is null)
                {
                    throw DataverseFaults.NoSuchColumn(table, column);
                }
            }
        }

        /// <summary>Checks every value a create or update writes, and drops the ones the platform sets itself.</summary>
        public void CheckWrite(Entity target)
        {
            if (Table(target.LogicalName) is not { } table)
            {
                return;
            }
            foreach (var (name, value) in target.Attributes.ToList())
            {
                var column = table.Column(name) ?? throw DataverseFaults.NoSuchColumn(table.LogicalName, name);
                if (column.IsSystemManaged)
                {
                    target.Attributes.Remove(name);
                    continue;
                }
                if (value is not null)
                {
                    CheckValue(table, column, value);
                }
            }
        }

        private static void CheckValue(TableMetadata table, ColumnMetadata column, object value)
        {
            var expected = column.Type switch
            {
                ColumnType.PrimaryKey or ColumnType.UniqueIdentifier => typeof(Guid),
                ColumnType.String => typeof(string),
                ColumnType.Integer => typeof(int),
                ColumnType.BigInt => typeof(long),
                ColumnType.Decimal => typeof(decimal),
                ColumnType.Double => typeof(double),
                ColumnType.Money => typeof(Money),
                ColumnType.Boolean => typeof(bool),
                ColumnType.DateTime => typeof(DateTime),
                ColumnType.Lookup => typeof(EntityReference),
                ColumnType.PartyList => typeof(EntityCollection),
                ColumnType.MultiChoice => typeof(OptionSetValueCollection),
                _ => typeof(OptionSetValue),
            };
            if (value.GetType() != expected)
            {
                throw Invalid(table, column, $"takes a {expected.Name} value, not {value.GetType().Name}");
            }
            switch (value)
            {
                case string text when column.MaxLength is { } maxLength && text.Length > maxLength:
                    throw Invalid(table, column, $"holds at most {maxLength} characters; the value has {text.Length}");
                case decimal number when (column.MinValue.HasValue && number < column.MinValue) || (column.MaxValue.HasValue && number > column.MaxValue):
                    throw Invalid(table, column, $"takes values from {column.MinValue?.ToString(CultureInfo.InvariantCulture)} to {column.MaxValue?.ToString(CultureInfo.InvariantCulture)}; the value is {number.ToString(CultureInfo.InvariantCulture)}");
                case decimal number when column.Precision is { } precision && decimal.Round(number, precision) != number:
                    throw Invalid(table, column, $"keeps {precision} decimal places; the value {number.ToString(CultureInfo.InvariantCulture)} has more");
                case OptionSetValue option when !column.Options.Contains(option.Value):
                    throw Invalid(table, column, $"has no option {option.Value} (its options are {string.Join(", ", column.Options)})");
                case OptionSetValueCollection chosen when chosen.FirstOrDefault(option => option is null || !column.Options.Contains(option.Value)) is { } stray:
                    throw Invalid(table, column, $"has no option {stray?.Value.ToString(CultureInfo.InvariantCulture) ?? "null"} (its options are {string.Join(", ", column.Options)})");
                case EntityReference reference when column.Targets.Count > 0 && !column.Targets.Contains(reference.LogicalName):
                    throw Invalid(table, column, $"points to {string.Join(" or ", column.Targets)}, not to {reference.LogicalName}");
            }
        }

        private static System.ServiceModel.FaultException<OrganizationServiceFault> Invalid(TableMetadata table, ColumnMetadata column, string problem) =>
            DataverseFaults.InvalidArgument($"Column {column.LogicalName} of {table.LogicalName} {problem}.");
    }
}
