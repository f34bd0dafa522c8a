using System;
using System.Collections.Generic;
using System.Reflection;

namespace OneKosmos.Sandbox.Dataverse
{
    /// <summary>Settings of an <see cref="InMemoryDataverse"/>; every one has a default that suits a test.</summary>
    public sealed class InMemoryDataverseOptions
    {
        /// <value>Clock for <c>createdon</c>/<c>modifiedon</c> and execution contexts. Default: the system clock.</value>
        public TimeProvider Clock { get; init; } = TimeProvider.System;

        /// <value>How many plug-in runs <see cref="InMemoryDataverse.PluginRuns"/> keeps, the newest: a sandbox left running for days keeps a steady size. Default 20,000.</value>
        public int PluginRunsKept { get; init; } = 20_000;

        /// <value>Source of new row ids. Default: <see cref="Guid.NewGuid"/>.</value>
        public Func<Guid> NewId { get; init; } = Guid.NewGuid;

        /// <value>The organization's id. Default: a fixed id, so traces are stable between runs.</value>
        public Guid OrganizationId { get; init; } = new("4f6b0000-0000-4000-8000-00000000001a");

        /// <value>The organization's unique name. Default: <c>sandbox</c>.</value>
        public string OrganizationName { get; init; } = "sandbox";

        /// <value>Id of the SYSTEM user, who acts for <c>CreateOrganizationService(null)</c>. Default: a fixed id.</value>
        public Guid SystemUserId { get; init; } = new("4f6b0000-0000-4000-8000-000000000005");

        /// <value>The user a context or service acts as when none is named. Default: a fixed id.</value>
        public Guid DefaultUserId { get; init; } = new("4f6b0000-0000-4000-8000-0000000000a1");

        /// <value>The default user's business unit. Default: a fixed id.</value>
        public Guid BusinessUnitId { get; init; } = new("4f6b0000-0000-4000-8000-0000000000b1");

        /// <value>
        /// The plug-in code an environment made with <see cref="InMemoryDataverse.Empty"/> runs: a solution import finds the
        /// package's assemblies here by name (and refuses a package built apart from them), and registered steps their types.
        /// </value>
        public IReadOnlyList<Assembly> PluginAssemblies { get; init; } = Array.Empty<Assembly>();

        /// <value>
        /// Whether a Dataverse built without a solution takes any table and column, as no real environment does. Default
        /// false: it knows the platform's standard tables the sandbox declares (contact, account, opportunity…) and faults,
        /// with Dataverse's error codes, on a table or column it does not know, in a query as in a write. Set it for a quick
        /// test of logic over made-up columns; load your solution (<see cref="InMemoryDataverse.FromSolution"/>) to test
        /// against your real tables.
        /// </value>
        public bool AcceptUndeclaredTablesAndColumns { get; init; }

        /// <value>
        /// The language every user's formatted values are written in (money, dates, numbers), with times in UTC: the in-memory
        /// Dataverse keeps no personal settings. Default: English (United States), a new user's default, giving "$20,000.00"
        /// and "4/7/2023 2:59 PM" as Microsoft's Web API examples show.
        /// </value>
        public System.Globalization.CultureInfo FormattingCulture { get; init; } = System.Globalization.CultureInfo.GetCultureInfo("en-US");
    }
}
