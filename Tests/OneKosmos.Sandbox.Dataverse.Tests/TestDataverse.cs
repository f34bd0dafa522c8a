using System;
using Microsoft.Extensions.Time.Testing;

namespace OneKosmos.Sandbox.Dataverse.Tests
{
    /// <summary>
    /// An in-memory Dataverse on a fixed clock with predictable ids that takes made-up tables and columns (its tests are about
    /// semantics, not a model); <c>MetadataStrictnessTests</c> cover the strict default.
    /// </summary>
    internal static class TestDataverse
    {
        public static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 30, 0, TimeSpan.Zero);

        public static InMemoryDataverse Create(FakeTimeProvider? clock = null)
        {
            var next = 0;
            return new InMemoryDataverse(new InMemoryDataverseOptions
            {
                Clock = clock ?? new FakeTimeProvider(Start),
                NewId = () => new Guid(++next, 0, 0, new byte[8]),
                AcceptUndeclaredTablesAndColumns = true,
            });
        }
    }
}
