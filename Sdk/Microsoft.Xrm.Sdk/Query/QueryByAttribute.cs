namespace Microsoft.Xrm.Sdk.Query
{
    /// <summary>A query of one table whose columns equal given values: <see cref="Attributes"/>[i] = <see cref="Values"/>[i], all of them.</summary>
    public sealed class QueryByAttribute : QueryBase
    {
        public QueryByAttribute()
        {
        }

        public QueryByAttribute(string entityName)
        {
            EntityName = entityName;
        }

        public string EntityName { get; set; }

        public ColumnSet ColumnSet { get; set; } = new ColumnSet();

        public DataCollection<string> Attributes { get; } = new DataCollection<string>();

        public DataCollection<object> Values { get; } = new DataCollection<object>();

        public DataCollection<OrderExpression> Orders { get; } = new DataCollection<OrderExpression>();

        public PagingInfo PageInfo { get; set; } = new PagingInfo();

        public int? TopCount { get; set; }

        public void AddAttributeValue(string attributeName, object value)
        {
            Attributes.Add(attributeName);
            Values.Add(value);
        }

        public void AddOrder(string attributeName, OrderType orderType) => Orders.Add(new OrderExpression(attributeName, orderType));
    }
}
