using System;
using System.Collections.Generic;

namespace OneKosmos.Sandbox.Host
{
    /// <summary>A real 1Kosmos tenant for the plug-ins and the relay, instead of the simulator; Dataverse stays local.</summary>
    public sealed record RealTenant(string TenantDns, string Community, string LicenseKey, string DvcId)
    {
        /// <remarks>The secrets stay out of ToString, so they never reach a log or the console.</remarks>
        public override string ToString() => $"1Kosmos tenant {TenantDns}, community {Community}";
    }

    /// <summary>What <c>okos-sandbox</c> was asked to do.</summary>
    public sealed class SandboxOptions
    {
        public string? Scenario { get; private init; }

        public RealTenant? Tenant { get; private init; }

        /// <value>The browser UI's port on 127.0.0.1 (--port); 0 takes any free one.</value>
        public int Port { get; private init; } = DefaultPort;

        /// <value>The file the sandbox keeps its Dataverse rows in across runs (--data); null keeps them in memory only.</value>
        public string? DataFile { get; private init; }

        public const int DefaultPort = 5180;

        /// <summary>Reads the command line; the tenant's secrets come from the environment, never from arguments.</summary>
        /// <exception cref="ArgumentException">The arguments are wrong; the message says how to use them.</exception>
        public static SandboxOptions Parse(IReadOnlyList<string> args, Func<string, string?> environment)
        {
            string? scenario = null, tenant = null, community = null, dataFile = null;
            var port = DefaultPort;
            for (var i = 0; i < args.Count; i++)
            {
                string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
                switch (args[i])
                {
                    case "scenario":
                        scenario = Value();
                        break;
                    case "--blockid-tenant":
                        tenant = Value();
                        break;
                    case "--blockid-community":
                        community = Value();
                        break;
                    case "--port":
                        var text = Value();
                        port = int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number <= 65535
                            ? number
                            : throw new ArgumentException($"--port is '{text}': give a port number from 0 (any free port) to 65535.");
                        break;
                    case "--data":
                        dataFile = Value();
                        break;
                    default:
                        throw new ArgumentException($"Unknown argument '{args[i]}'. Usage: okos-sandbox [scenario <name>] [--port <n>] [--data <file>] [--blockid-tenant <dns> --blockid-community <name>]");
                }
            }
            if (scenario is not null && dataFile is not null)
            {
                throw new ArgumentException("A scenario runs on a fresh sandbox of its own: run it without --data.");
            }
            if (tenant is null && community is null)
            {
                return new SandboxOptions { Scenario = scenario, Port = port, DataFile = dataFile };
            }
            if (tenant is null || community is null)
            {
                throw new ArgumentException("A real tenant needs both --blockid-tenant and --blockid-community.");
            }
            var licenseKey = environment("OKOS_BLOCKID_LICENSE_KEY");
            var dvcId = environment("OKOS_BLOCKID_DVC_ID");
            if (string.IsNullOrWhiteSpace(licenseKey) || string.IsNullOrWhiteSpace(dvcId))
            {
                throw new ArgumentException("A real tenant needs its secrets in the environment: set OKOS_BLOCKID_LICENSE_KEY and OKOS_BLOCKID_DVC_ID.");
            }
            if (scenario is not null)
            {
                throw new ArgumentException("Scenarios complete captures in the simulator: run them without a real tenant.");
            }
            return new SandboxOptions { Tenant = new RealTenant(tenant, community, licenseKey!, dvcId!), Port = port, DataFile = dataFile };
        }
    }
}
