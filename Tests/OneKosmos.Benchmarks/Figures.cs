using System.Collections.Generic;

namespace OneKosmos.Benchmarks
{
    /// <summary>One measured figure of a section's table.</summary>
    internal sealed record Row(string What, string Figure, string Notes = "");

    /// <summary>A goal with what was measured against it, each a ratio within one run where machines differ.</summary>
    internal sealed record Goal(string What, string Measured, bool Met);

    /// <summary>What one measurement run gives the report: its table and its goals.</summary>
    internal sealed record Section(IReadOnlyList<Row> Rows, IReadOnlyList<Goal> Goals)
    {
        public static Section None { get; } = new(new List<Row>(), new List<Goal>());
    }
}
