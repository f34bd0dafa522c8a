using System.Collections;
using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk.Query
{
    public sealed class FilterExpression : IExtensibleDataObject
    {
        public FilterExpression()
        {
        }

        public FilterExpression(LogicalOperator filterOperator)
        {
            FilterOperator = filterOperator;
        }

        public LogicalOperator FilterOperator { get; set; }

        public DataCollection<ConditionExpression> Conditions { get; } = new DataCollection<ConditionExpression>();

        public DataCollection<FilterExpression> Filters { get; } = new DataCollection<FilterExpression>();

        public ExtensionDataObject ExtensionData { get; set; }

        public void AddCondition(string attributeName, ConditionOperator conditionOperator, params object[] values) =>
            Conditions.Add(new ConditionExpression(attributeName, conditionOperator, values));

        public void AddCondition(string entityName, string attributeName, ConditionOperator conditionOperator, params object[] values) =>
            Conditions.Add(new ConditionExpression(entityName, attributeName, conditionOperator, values));

        public void AddCondition(ConditionExpression condition) => Conditions.Add(condition);

        public void AddCondition(string attributeName, ConditionOperator conditionOperator, bool compareColumns, object value) =>
            Conditions.Add(new ConditionExpression(attributeName, conditionOperator, compareColumns, value));

        public void AddCondition(string attributeName, ConditionOperator conditionOperator, bool compareColumns, object[] values) =>
            Conditions.Add(new ConditionExpression(attributeName, conditionOperator, compareColumns, values));

        public void AddCondition(string entityName, string attributeName, ConditionOperator conditionOperator, bool compareColumns, object value) =>
            Conditions.Add(new ConditionExpression(entityName, attributeName, conditionOperator, compareColumns, value));

        public void AddCondition(string entityName, string attributeName, ConditionOperator conditionOperator, bool compareColumns, object[] values) =>
            Conditions.Add(new ConditionExpression(entityName, attributeName, conditionOperator, compareColumns, values));

        public FilterExpression AddFilter(LogicalOperator logicalOperator)
        {
            var child = new FilterExpression(logicalOperator);
            Filters.Add(child);
            return child;
        }

        public void AddFilter(FilterExpression childFilter) => Filters.Add(childFilter);
    }

    public sealed class ConditionExpression : IExtensibleDataObject
    {
        public ConditionExpression()
        {
        }

        public ConditionExpression(string attributeName, ConditionOperator conditionOperator)
        {
            AttributeName = attributeName;
            Operator = conditionOperator;
        }

        public ConditionExpression(string entityName, string attributeName, ConditionOperator conditionOperator)
            : this(attributeName, conditionOperator)
        {
            EntityName = entityName;
        }

        public ConditionExpression(string attributeName, ConditionOperator conditionOperator, object value)
            : this(attributeName, conditionOperator)
        {
            Values.Add(value);
        }

        public ConditionExpression(string entityName, string attributeName, ConditionOperator conditionOperator, object value)
            : this(entityName, attributeName, conditionOperator)
        {
            Values.Add(value);
        }

        public ConditionExpression(string attributeName, ConditionOperator conditionOperator, params object[] values)
            : this(attributeName, conditionOperator)
        {
            Values.AddRange(values);
        }

        public ConditionExpression(string entityName, string attributeName, ConditionOperator conditionOperator, params object[] values)
            : this(entityName, attributeName, conditionOperator)
        {
            Values.AddRange(values);
        }

        /// <remarks>With <paramref name="compareColumns"/>, <paramref name="value"/> names the column to compare with.</remarks>
        public ConditionExpression(string attributeName, ConditionOperator conditionOperator, bool compareColumns, object value)
            : this(attributeName, conditionOperator, value)
        {
            CompareColumns = compareColumns;
        }

        public ConditionExpression(string attributeName, ConditionOperator conditionOperator, bool compareColumns, object[] values)
            : this(attributeName, conditionOperator, values)
        {
            CompareColumns = compareColumns;
        }

        public ConditionExpression(string entityName, string attributeName, ConditionOperator conditionOperator, bool compareColumns, object value)
            : this(entityName, attributeName, conditionOperator, value)
        {
            CompareColumns = compareColumns;
        }

        public ConditionExpression(string entityName, string attributeName, ConditionOperator conditionOperator, bool compareColumns, object[] values)
            : this(entityName, attributeName, conditionOperator, values)
        {
            CompareColumns = compareColumns;
        }

        public ConditionExpression(string attributeName, ConditionOperator conditionOperator, ICollection values)
            : this(attributeName, conditionOperator)
        {
            if (values != null)
            {
                foreach (var value in values)
                {
                    Values.Add(value);
                }
            }
        }

        public string EntityName { get; set; }

        public string AttributeName { get; set; }

        public bool CompareColumns { get; set; }

        public ConditionOperator Operator { get; set; }

        public DataCollection<object> Values { get; } = new DataCollection<object>();

        public ExtensionDataObject ExtensionData { get; set; }
    }
}
