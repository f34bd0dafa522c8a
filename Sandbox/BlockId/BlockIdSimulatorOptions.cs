using System;

namespace OneKosmos.Sandbox.BlockId
{
    /// <summary>The simulated tenant; every setting has a default a test can use as it is.</summary>
    public sealed class BlockIdSimulatorOptions
    {
        /// <value>Host name the tenant answers to. Default acme.1kosmos.test.</value>
        public string TenantDns { get; init; } = "acme.1kosmos.test";

        /// <value>Default "default".</value>
        public string Community { get; init; } = "default";

        /// <value>The license key callers must send (encrypted). Default a fixed test value.</value>
        public string LicenseKey { get; init; } = "sim-license-7f3a9c";

        /// <value>The DVC id create and result bodies must carry. Default a fixed test value.</value>
        public string DvcId { get; init; } = "sim-dvc-21b4";

        /// <value>Base URL the service directory points at. Default https://{TenantDns}.</value>
        public string? BaseUrl { get; init; }

        /// <value>Service directory entries to answer instead of the tenant's own addresses (service name → URL). Default none.</value>
        public System.Collections.Generic.IReadOnlyDictionary<string, string> ServiceDirectory { get; init; } = new System.Collections.Generic.Dictionary<string, string>();

        /// <value>How long a session waits for its capture before it reports EXPIRED. Default 30 minutes.</value>
        public TimeSpan SessionTtl { get; init; } = TimeSpan.FromMinutes(30);

        /// <value>How far a request id's timestamp may be from the simulator's clock. Default 60 s, as 1Kosmos hints.</value>
        public TimeSpan AllowedClockSkew { get; init; } = TimeSpan.FromSeconds(60);

        /// <value>How long every answer waits, as a network and a busy tenant would make it (benchmarks). Default none.</value>
        public TimeSpan Latency { get; init; } = TimeSpan.Zero;

        /// <value>How long a call with the Slow fault waits before it answers. Default 2 s.</value>
        public TimeSpan SlowResponseDelay { get; init; } = TimeSpan.FromSeconds(2);

        /// <value>
        /// Faults injected at random into calls that do work (not the directory or key lookups), each with its probability,
        /// for soak tests; rolled from <see cref="FaultSeed"/>, so a run can be repeated. Default none.
        /// </value>
        public System.Collections.Generic.IReadOnlyDictionary<SimulatedFault, double> FaultRates { get; init; } = new System.Collections.Generic.Dictionary<SimulatedFault, double>();

        /// <value>
        /// Starts (identity proofing and LiveID sessions) the tenant takes in any one second; those beyond it are answered 429
        /// with Retry-After: 1, as a rate-limited tenant would (bulk onboarding). Default no limit.
        /// </value>
        public int? StartsPerSecond { get; init; }

        /// <value>Seed of the random faults. Default 1.</value>
        public int FaultSeed { get; init; } = 1;

        /// <value>Default the system clock.</value>
        public TimeProvider Clock { get; init; } = TimeProvider.System;
    }
}
