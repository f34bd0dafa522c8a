namespace OneKosmos.Solution.Model
{
    /// <summary>
    /// A many-to-many relationship: rows of its two tables are linked by rows of its intersect table, which Associate and
    /// Disassociate write and nothing else may. The intersect columns carry the two rows' ids; they are named after the two
    /// tables' primary keys, or <c>{table}idone</c> and <c>{table}idtwo</c> when a table is related to itself
    /// (ManyToManyRelationshipMetadata.Entity1IntersectAttribute / Entity2IntersectAttribute in Microsoft's SDK reference).
    /// </summary>
    public sealed class ManyToManyMetadata
    {
        public ManyToManyMetadata(string schemaName, string intersectTable, string table1, string intersectColumn1, string table2, string intersectColumn2)
        {
            SchemaName = schemaName;
            IntersectTable = intersectTable;
            Table1 = table1;
            IntersectColumn1 = intersectColumn1;
            Table2 = table2;
            IntersectColumn2 = intersectColumn2;
        }

        /// <value>The name a <c>Relationship</c> passes to Associate and Disassociate.</value>
        public string SchemaName { get; }

        public string IntersectTable { get; }

        public string Table1 { get; }

        public string IntersectColumn1 { get; }

        public string Table2 { get; }

        public string IntersectColumn2 { get; }

        public bool IsSelfReferencing => Table1 == Table2;
    }
}
