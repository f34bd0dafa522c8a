using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.Xrm.Sdk;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Sandbox.Dataverse.Metadata;
using OneKosmos.Tests.Shared;
using OneKosmos.Solution.Model;

namespace OneKosmos.Plugins.Tests.Dataverse
{
    /// <summary>Every name the code uses exists in the solution with the type the code assumes, and the reverse for our tables.</summary>
    [TestClass]
    public sealed class SchemaTests
    {
        private static readonly SolutionMetadata Metadata = SolutionMetadataReader.Read(RepositoryPaths.SolutionSource);

        private static readonly Dictionary<ColumnType, Type> SdkTypes = new()
        {
            [ColumnType.PrimaryKey] = typeof(Guid),
            [ColumnType.UniqueIdentifier] = typeof(Guid),
            [ColumnType.String] = typeof(string),
            [ColumnType.Integer] = typeof(int),
            [ColumnType.BigInt] = typeof(long),
            [ColumnType.Decimal] = typeof(decimal),
            [ColumnType.Double] = typeof(double),
            [ColumnType.Money] = typeof(Money),
            [ColumnType.Boolean] = typeof(bool),
            [ColumnType.DateTime] = typeof(DateTime),
            [ColumnType.Lookup] = typeof(EntityReference),
            [ColumnType.Choice] = typeof(OptionSetValue),
        };

        private static IEnumerable<Type> TableClasses =>
            typeof(Schema).GetNestedTypes().Where(type => type.GetField("EntityName") is not null);

        private static IEnumerable<FieldInfo> Names(Type table) =>
            table.GetFields(BindingFlags.Public | BindingFlags.Static).Where(field => field.IsLiteral && field.Name != "EntityName");

        private static string EntityNameOf(Type table) => (string)table.GetField("EntityName")!.GetRawConstantValue()!;

        [TestMethod]
        public void EveryTableClass_NamesATableTheSolutionKnows()
        {
            foreach (var table in TableClasses)
            {
                Assert.IsNotNull(Metadata.Table(EntityNameOf(table)), $"Schema.{table.Name}.EntityName = {EntityNameOf(table)}");
            }
        }

        [TestMethod]
        public void EveryColumnName_ExistsWithTheTypeTheCodeAssumes()
        {
            foreach (var table in TableClasses)
            {
                var metadata = Metadata.Table(EntityNameOf(table))!;
                foreach (var field in Names(table).Where(field => field.GetCustomAttribute<ColumnAttribute>() is not null))
                {
                    var name = (string)field.GetRawConstantValue()!;
                    var column = metadata.Column(name);
                    Assert.IsNotNull(column, $"Schema.{table.Name}.{field.Name}: {metadata.LogicalName} has no column {name}");
                    Assert.AreEqual(SdkTypes[column.Type], field.GetCustomAttribute<ColumnAttribute>()!.ValueType, $"Schema.{table.Name}.{field.Name} ({name})");
                }
            }
        }

        [TestMethod]
        public void EveryKeyName_IsAnAlternateKeyOfItsTable()
        {
            foreach (var table in TableClasses)
            {
                var keys = Metadata.Table(EntityNameOf(table))!.Keys.Select(key => key.Name).ToList();
                foreach (var field in Names(table).Where(field => field.GetCustomAttribute<AlternateKeyAttribute>() is not null))
                {
                    CollectionAssert.Contains(keys, (string)field.GetRawConstantValue()!, $"Schema.{table.Name}.{field.Name}");
                }
            }
        }

        [TestMethod]
        public void EveryName_SaysWhetherItIsAColumnOrAKey()
        {
            foreach (var table in TableClasses)
            {
                foreach (var field in Names(table))
                {
                    Assert.IsTrue(
                        field.GetCustomAttribute<ColumnAttribute>() is not null ^ field.GetCustomAttribute<AlternateKeyAttribute>() is not null,
                        $"Schema.{table.Name}.{field.Name} needs exactly one of [Column(typeof(…))] or [AlternateKey]");
                }
            }
        }

        [TestMethod]
        public void EveryCustomColumnAndKeyOfOurTables_IsNamedInSchema()
        {
            foreach (var table in TableClasses.Where(table => EntityNameOf(table).StartsWith(Schema.PublisherPrefix + "_", StringComparison.Ordinal)))
            {
                var metadata = Metadata.Table(EntityNameOf(table))!;
                var named = Names(table).Select(field => (string)field.GetRawConstantValue()!).ToHashSet();
                foreach (var column in metadata.Columns.Values.Where(column => column.IsCustom))
                {
                    Assert.IsTrue(named.Contains(column.LogicalName), $"{metadata.LogicalName}.{column.LogicalName} is in the solution but not in Schema.{table.Name}");
                }
                foreach (var key in metadata.Keys)
                {
                    Assert.IsTrue(named.Contains(key.Name), $"key {key.Name} of {metadata.LogicalName} is in the solution but not in Schema.{table.Name}");
                }
            }
        }

        [TestMethod]
        public void EnvironmentVariableNames_AreTheSolutionsDefinitions_EachReadByThePlugInsOrAFlow()
        {
            var readByFlows = System.IO.Directory.GetFiles(System.IO.Path.Combine(RepositoryPaths.SolutionSource, "Workflows"), "*.json")
                .SelectMany(file => (System.Text.Json.Nodes.JsonNode.Parse(System.IO.File.ReadAllText(file))!["properties"]!["definition"]!["parameters"] as System.Text.Json.Nodes.JsonObject)!)
                .Select(parameter => (string?)parameter.Value?["metadata"]?["schemaName"])
                .OfType<string>()
                .ToHashSet(StringComparer.Ordinal);
            var defined = Metadata.EnvironmentVariables.Select(variable => variable.SchemaName).Where(name => !readByFlows.Contains(name)).OrderBy(name => name, StringComparer.Ordinal).ToArray();
            var named = typeof(Schema.EnvironmentVariables).GetFields().Select(field => (string)field.GetRawConstantValue()!).OrderBy(name => name, StringComparer.Ordinal).ToArray();

            CollectionAssert.AreEqual(defined, named);
            CollectionAssert.IsSubsetOf(readByFlows.ToArray(), Metadata.EnvironmentVariables.Select(variable => variable.SchemaName).ToArray(), "a flow reads an environment variable the solution does not define");
        }
    }
}
