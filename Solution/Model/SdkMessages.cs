using System;
using System.Collections.Generic;

namespace OneKosmos.Solution.Model
{
    /// <summary>The sdkmessage ids step registrations name, for the platform messages whose ids are the same in every organization.</summary>
    /// <remarks>Custom API messages have organization-specific ids; their steps are not read from solution files yet.</remarks>
    public static class SdkMessages
    {
        private static readonly Dictionary<Guid, string> NamesById = new()
        {
            [new Guid("9ebdbb1b-ea3e-db11-86a7-000a3a5473e8")] = "Create",
            [new Guid("20bebb1b-ea3e-db11-86a7-000a3a5473e8")] = "Update",
            [new Guid("a1bdbb1b-ea3e-db11-86a7-000a3a5473e8")] = "Delete",
            [new Guid("f2bdbb1b-ea3e-db11-86a7-000a3a5473e8")] = "Retrieve",
            [new Guid("03bebb1b-ea3e-db11-86a7-000a3a5473e8")] = "RetrieveMultiple",
        };

        /// <value>The platform messages by their ids, the same in every organization.</value>
        public static IReadOnlyDictionary<Guid, string> Platform => NamesById;

        public static string? NameOf(Guid id) => NamesById.TryGetValue(id, out var name) ? name : null;
    }
}
