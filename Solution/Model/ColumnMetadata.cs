using System;
using System.Collections.Generic;

namespace OneKosmos.Solution.Model
{
    /// <summary>The kinds of column the sandbox checks values against, with the SDK type each takes.</summary>
    public enum ColumnType
    {
        /// <summary>The table's own id: <see cref="Guid"/>.</summary>
        PrimaryKey,
        /// <summary>Text (nvarchar, ntext): <see cref="string"/>.</summary>
        String,
        /// <summary>Whole number: <see cref="int"/>.</summary>
        Integer,
        /// <summary>Big integer: <see cref="long"/>.</summary>
        BigInt,
        /// <summary>Decimal: <see cref="decimal"/>.</summary>
        Decimal,
        /// <summary>Floating point: <see cref="double"/>.</summary>
        Double,
        /// <summary>Currency: <c>Money</c>.</summary>
        Money,
        /// <summary>Yes/no: <see cref="bool"/>.</summary>
        Boolean,
        /// <summary>Date and time: <see cref="DateTime"/>.</summary>
        DateTime,
        /// <summary>Lookup, customer or owner: <c>EntityReference</c> to one of its target tables.</summary>
        Lookup,
        /// <summary>Choice, status or status reason: <c>OptionSetValue</c> from its options.</summary>
        Choice,
        /// <summary>Unique identifier that is not the primary key: <see cref="Guid"/>.</summary>
        UniqueIdentifier,
        /// <summary>An activity's parties (to, from): <c>EntityCollection</c> of activityparty rows, each naming its partyid.</summary>
        PartyList,
        /// <summary>Multi-select choice (multiselectpicklist): <c>OptionSetValueCollection</c> of its options.</summary>
        MultiChoice,
    }

    /// <summary>One column of a table, as far as reading and writing values needs it.</summary>
    public sealed class ColumnMetadata
    {
        public ColumnMetadata(string logicalName, ColumnType type)
        {
            LogicalName = logicalName;
            Type = type;
        }

        public string LogicalName { get; }

        public ColumnType Type { get; }

        /// <value>For dates: shown without a time (Format "date" in the export), as a user sees "2/13/2018".</value>
        public bool IsDateOnly { get; init; }

        /// <value>For text: the most characters a value may have.</value>
        public int? MaxLength { get; init; }

        /// <value>For decimals: the number of decimal places kept.</value>
        public int? Precision { get; init; }

        public decimal? MinValue { get; init; }

        public decimal? MaxValue { get; init; }

        /// <value>For choices: the global option set, or null for a local one.</value>
        public string? OptionSetName { get; init; }

        /// <value>For choices: the allowed values.</value>
        public IReadOnlyCollection<int> Options { get; init; } = Array.Empty<int>();

        /// <value>For choices: each value's label (the 1033 one), what ordering on the choice sorts by; empty where none is declared.</value>
        public IReadOnlyDictionary<int, string> OptionLabels { get; init; } = new Dictionary<int, string>();

        /// <value>For lookups: the tables a value may point to (empty: any, for lookups the sandbox does not resolve).</value>
        public IReadOnlyCollection<string> Targets { get; init; } = Array.Empty<string>();

        /// <value>Field-secured: only callers whose field security profile grants it read or write it.</value>
        public bool IsSecured { get; init; }

        public bool IsCustom { get; init; }

        /// <value>The platform sets it; a caller's value is ignored (createdon, modifiedby, versionnumber…).</value>
        public bool IsSystemManaged { get; init; }
    }
}
