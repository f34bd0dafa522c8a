using System.Runtime.Serialization;

namespace Microsoft.Xrm.Sdk.Query
{
    public abstract class QueryBase : IExtensibleDataObject
    {
        public ExtensionDataObject ExtensionData { get; set; }
    }

    public sealed class FetchExpression : QueryBase
    {
        public FetchExpression()
        {
        }

        public FetchExpression(string query)
        {
            Query = query;
        }

        public string Query { get; set; }
    }

    public sealed class QueryExpression : QueryBase
    {
        public QueryExpression()
        {
        }

        public QueryExpression(string entityName)
        {
            EntityName = entityName;
        }

        public string EntityName { get; set; }

        public ColumnSet ColumnSet { get; set; } = new ColumnSet();

        public FilterExpression Criteria { get; set; } = new FilterExpression();

        public DataCollection<LinkEntity> LinkEntities { get; } = new DataCollection<LinkEntity>();

        public DataCollection<OrderExpression> Orders { get; } = new DataCollection<OrderExpression>();

        public PagingInfo PageInfo { get; set; } = new PagingInfo();

        public int? TopCount { get; set; }

        public bool Distinct { get; set; }

        public bool NoLock { get; set; }

        public void AddOrder(string attributeName, OrderType orderType) =>
            Orders.Add(new OrderExpression(attributeName, orderType));

        public LinkEntity AddLink(string linkToEntityName, string linkFromAttributeName, string linkToAttributeName) =>
            AddLink(linkToEntityName, linkFromAttributeName, linkToAttributeName, JoinOperator.Inner);

        public LinkEntity AddLink(string linkToEntityName, string linkFromAttributeName, string linkToAttributeName, JoinOperator joinOperator)
        {
            var link = new LinkEntity(EntityName, linkToEntityName, linkFromAttributeName, linkToAttributeName, joinOperator);
            LinkEntities.Add(link);
            return link;
        }
    }

    public sealed class LinkEntity : IExtensibleDataObject
    {
        public LinkEntity()
        {
        }

        public LinkEntity(string linkFromEntityName, string linkToEntityName, string linkFromAttributeName, string linkToAttributeName, JoinOperator joinOperator)
        {
            LinkFromEntityName = linkFromEntityName;
            LinkToEntityName = linkToEntityName;
            LinkFromAttributeName = linkFromAttributeName;
            LinkToAttributeName = linkToAttributeName;
            JoinOperator = joinOperator;
        }

        public string LinkFromEntityName { get; set; }

        public string LinkToEntityName { get; set; }

        public string LinkFromAttributeName { get; set; }

        public string LinkToAttributeName { get; set; }

        public JoinOperator JoinOperator { get; set; }

        public FilterExpression LinkCriteria { get; set; } = new FilterExpression();

        public DataCollection<LinkEntity> LinkEntities { get; } = new DataCollection<LinkEntity>();

        public ColumnSet Columns { get; set; } = new ColumnSet();

        public string EntityAlias { get; set; }

        public DataCollection<OrderExpression> Orders { get; } = new DataCollection<OrderExpression>();

        public ExtensionDataObject ExtensionData { get; set; }

        public LinkEntity AddLink(string linkToEntityName, string linkFromAttributeName, string linkToAttributeName) =>
            AddLink(linkToEntityName, linkFromAttributeName, linkToAttributeName, JoinOperator.Inner);

        public LinkEntity AddLink(string linkToEntityName, string linkFromAttributeName, string linkToAttributeName, JoinOperator joinOperator)
        {
            // As the official assembly does: the child's LinkFromEntityName is this link's LinkFromEntityName, not its
            // LinkToEntityName. The platform joins a child to its parent link whatever that property says.
            var link = new LinkEntity(LinkFromEntityName, linkToEntityName, linkFromAttributeName, linkToAttributeName, joinOperator);
            LinkEntities.Add(link);
            return link;
        }
    }

    public sealed class ColumnSet : IExtensibleDataObject
    {
        public ColumnSet()
        {
        }

        public ColumnSet(bool allColumns)
        {
            AllColumns = allColumns;
        }

        public ColumnSet(params string[] columns)
        {
            Columns.AddRange(columns);
        }

        public bool AllColumns { get; set; }

        public DataCollection<string> Columns { get; set; } = new DataCollection<string>();

        public ExtensionDataObject ExtensionData { get; set; }

        public void AddColumn(string column) => Columns.Add(column);

        public void AddColumns(params string[] columns) => Columns.AddRange(columns);
    }

    public sealed class OrderExpression : IExtensibleDataObject
    {
        public OrderExpression()
        {
        }

        public OrderExpression(string attributeName, OrderType orderType)
        {
            AttributeName = attributeName;
            OrderType = orderType;
        }

        public OrderExpression(string attributeName, OrderType orderType, string alias)
            : this(attributeName, orderType)
        {
            Alias = alias;
        }

        public OrderExpression(string attributeName, OrderType orderType, string alias, string entityName)
            : this(attributeName, orderType, alias)
        {
            EntityName = entityName;
        }

        public string AttributeName { get; set; }

        public OrderType OrderType { get; set; }

        public string Alias { get; set; }

        public string EntityName { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }
    }

    public sealed class PagingInfo : IExtensibleDataObject
    {
        public int PageNumber { get; set; }

        public int Count { get; set; }

        public bool ReturnTotalRecordCount { get; set; }

        public string PagingCookie { get; set; }

        public ExtensionDataObject ExtensionData { get; set; }
    }
}
