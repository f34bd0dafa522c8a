using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Sandbox.BlockId;
using OneKosmos.Sandbox.EntraVerifiedId;
using OneKosmos.Sandbox.Host.Activity;
using OneKosmos.Sandbox.Dataverse;
using OneKosmos.Sandbox.Host.Flows;
using OneKosmos.Sandbox.Host.Identity;
using OneKosmos.Sandbox.Host.Tls;
using OneKosmos.Sandbox.Host.WebApi;
using OneKosmos.Deploy;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Host
{
    /// <summary>
    /// The whole product on one machine: the in-memory Dataverse loaded from Solution/src with the plug-ins and custom
    /// APIs, the BlockID simulator (with its capture page), the Web API and token issuer over HTTPS, and the relay with
    /// its SQLite queue, polling the simulator's events feed and signing in through MSAL like in production.
    /// </summary>
    public sealed class LocalEnvironment : IAsyncDisposable
    {
        private const string RelayClientId = "okos-relay";

        private readonly ConcurrentQueue<string> _timeline = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private DataverseEndpoint _endpoint = null!;
        private LocalRelay? _relay;
        private readonly string _signingSecret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        private readonly string _ingressSecret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        private readonly string _relaySecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        private readonly string _deploySecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

        private readonly RealTenant? _tenant;

        private readonly string _entraApiKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

        private LocalEnvironment(InMemoryDataverse dataverse, BlockIdSimulator simulator, RealTenant? tenant, SandboxClock clock)
        {
            _tenant = tenant;
            Clock = clock;
            Dataverse = dataverse;
            Simulator = simulator;
            Entra = new EntraSimulator();
            Service = dataverse.CreateOrganizationService(null);
            Activity = new ActivityRecorder(new ActivityLog(), dataverse, simulator);
            // Plug-ins reach 1Kosmos through this handler (the simulator, or the real tenant), so each call is on the activity log;
            // calls to Microsoft Entra go to its simulator.
            dataverse.AddPluginService(typeof(HttpMessageHandler), Activity.Recording(new EntraSimulatorHandler(Entra, tenant is null ? new SimulatorHttpHandler(simulator) : new HttpClientHandler())));
            dataverse.AddPluginService(typeof(Core.Verification.IClock), Clock);
            Entra.PersonActed += Activity.EntraPersonActed;
        }

        /// <value>The plug-ins', the in-memory Dataverse's and the simulator's clock, which a scenario may move on.</value>
        public SandboxClock Clock { get; }

        /// <value>
        /// The product's cloud flows that okos-deploy turned on, run as Power Automate would, as the account their Dataverse
        /// connection reference is bound to (<see cref="FlowsAccount"/>). A recurrence runs on <see cref="FlowRunner.Tick"/>.
        /// </value>
        public FlowRunner Flows { get; private set; } = null!;

        /// <value>The account the flows' Dataverse connection signs in as: Verification Administrator and Salesperson, no field security profile, so no capture link reaches a flow's run history.</value>
        public Guid FlowsAccount { get; private set; }

        /// <value>Microsoft Entra Verified ID, simulated: the Request Service the plug-ins call and the wallet that calls back.</value>
        public EntraSimulator Entra { get; }

        /// <value>The simulated Microsoft Authenticator's page: a request's deep link opens it.</value>
        public EntraWalletHost Wallet { get; private set; } = null!;

        /// <value>What happened, per correlation id: plug-in traces, 1Kosmos calls, the person's actions, relay lines, API outcomes, gate decisions.</value>
        public ActivityRecorder Activity { get; }

        public InMemoryDataverse Dataverse { get; }

        public BlockIdSimulator Simulator { get; }

        public BlockIdSimulatorHost SimulatorHost { get; private set; } = null!;

        public IOrganizationService Service { get; }

        public string WebApiUrl { get; private set; } = "";

        public string RelayUrl { get; private set; } = "";

        public DataverseWebApi WebApi { get; private set; } = null!;

        /// <value>
        /// Every secret this environment made (the callback signing secret, the relay's ingress secret, its and okos-deploy's client secrets)
        /// and the simulated tenant's license key and DVC id: what a leak check looks for everywhere the environment wrote.
        /// </value>
        public IReadOnlyList<string> Secrets => new[] { _signingSecret, _ingressSecret, _relaySecret, _deploySecret, Simulator.Options.LicenseKey, Simulator.Options.DvcId, Entra.Options.ClientSecret, _entraApiKey };

        /// <value>The relay's ingress secret, for a caller that posts to <c>/callbacks/blockid</c> as 1Kosmos would.</value>
        public string IngressSecret => _ingressSecret;

        /// <value>The relay's SQLite queue file (empty without a relay); deleted when the environment stops.</value>
        public string QueuePath => _relay?.QueuePath ?? "";

        /// <value>The token issuer the Web API trusts.</value>
        public TokenIssuer Issuer => _endpoint.Issuer;

        /// <value>The Web API's HTTPS endpoint, with the certificate a client pins.</value>
        public DataverseEndpoint Endpoint => _endpoint;

        /// <value>What happened, in order, with the seconds since the start: what a scenario prints.</value>
        public IReadOnlyList<string> Timeline => _timeline.ToList();

        public void Note(string what) => _timeline.Enqueue($"{_clock.Elapsed.TotalSeconds,7:0.00}s  {what}");

        /// <param name="solutionSource">Solution/src.</param>
        /// <param name="withRelay">Start the relay (ingress, poller, dispatcher); off for a run where no callback may arrive.</param>
        /// <param name="tenant">A real 1Kosmos tenant for the plug-ins and the relay's poller; null for the simulator.</param>
        /// <remarks>
        /// The environment starts empty, as a new Dataverse environment does, and okos-deploy installs the product into it through
        /// the Web API: the same import, bindings, step registrations and settings an administrator's run makes.
        /// </remarks>
        public static async Task<LocalEnvironment> StartAsync(string solutionSource, bool withRelay = true, RealTenant? tenant = null)
        {
            // A tenant name of its own: plug-ins keep a tenant's keys per worker, and each environment's simulator has new ones.
            var clock = new SandboxClock();
            var simulator = new BlockIdSimulator(new BlockIdSimulatorOptions
            {
                Clock = clock,
                TenantDns = $"sandbox-{Guid.NewGuid():N}.1kosmos.test",
                LicenseKey = $"sandbox-license-{Guid.NewGuid():N}",
                DvcId = $"sandbox-dvc-{Guid.NewGuid():N}",
            });
            var dataverse = InMemoryDataverse.Empty(new InMemoryDataverseOptions
            {
                OrganizationId = Guid.NewGuid(),
                Clock = clock,
                PluginAssemblies = new[] { typeof(Plugins.Steps.PluginBase).Assembly, typeof(CustomApis.StartVerification).Assembly },
            });
            var environment = new LocalEnvironment(dataverse, simulator, tenant, clock);
            await environment.StartServicesAsync(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(solutionSource)))!, withRelay);
            return environment;
        }

        /// <summary>The solution okos-deploy imports, packed once a process from this build.</summary>
        private static readonly ConcurrentDictionary<string, Lazy<byte[]>> PackedSolutions = new(StringComparer.Ordinal);

        private async Task StartServicesAsync(string repositoryRoot, bool withRelay)
        {
            var signingSecret = _signingSecret;
            var options = Simulator.Options;
            var tenant = _tenant ?? new RealTenant(options.TenantDns, options.Community, options.LicenseKey, options.DvcId);
            RelayUrl = withRelay ? $"http://127.0.0.1:{Loopback.FreePort()}" : "";
            SimulatorHost = await BlockIdSimulatorHost.StartAsync(Simulator);
            Wallet = await EntraWalletHost.StartAsync(Entra);

            _endpoint = await DataverseEndpoint.StartAsync(Dataverse);
            WebApi = _endpoint.Api;
            WebApi.Executed += message => Note($"Web API ran {message}");
            WebApiUrl = _endpoint.Url;
            await DeployAsync(repositoryRoot, tenant, signingSecret, withRelay);
            FlowsAccount = Dataverse.AddUser("Flows' Dataverse connection", new[] { "Verification Administrator", "Salesperson" });
            StartFlows();
            // A contact's first LiveID request goes to their email alone: the sandbox's person reads it from the sent emails.
            Dataverse.Seed(new Entity("queue") { ["name"] = StepUpEmailQueue, ["emailaddress"] = "identity-checks@sandbox.example" });
            Dataverse.Seed(new Entity("queue") { ["name"] = AdministratorsQueue, ["emailaddress"] = "verification-admins@sandbox.example" });
            var relayUser = Dataverse.AddUser("Relay application user", new[] { "Verification Relay" });
            var relaySecret = _relaySecret;
            _endpoint.Issuer.Register(RelayClientId, relaySecret, relayUser);
            var certificate = _endpoint.Certificate;
            if (withRelay)
            {
                await StartRelayAsync(certificate, signingSecret, relaySecret);
            }
        }

        /// <summary>
        /// Installs the product as an administrator does: okos-deploy, signed in as an application user with a client secret,
        /// sets the sandbox's environment variables and its 1Kosmos connection, whose secrets it reads from the environment.
        /// </summary>
        private async Task DeployAsync(string repositoryRoot, RealTenant tenant, string signingSecret, bool withRelay)
        {
            var deploySecret = _deploySecret;
            var administrator = Dataverse.Seed(new Entity("systemuser") { ["fullname"] = "Deployment (okos-deploy)" })[0];
            _endpoint.Issuer.Register(DeployClientId, deploySecret, administrator);
            var secrets = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["OKOS_DEPLOY_CLIENT_SECRET"] = deploySecret,
                ["OKOS_BLOCKID_LICENSE_KEY"] = tenant.LicenseKey,
                ["OKOS_BLOCKID_DVC_ID"] = tenant.DvcId,
                ["OKOS_CALLBACK_SIGNING_SECRET"] = signingSecret,
                ["OKOS_ENTRA_CLIENT_SECRET"] = Entra.Options.ClientSecret,
                ["OKOS_ENTRA_CALLBACK_API_KEY"] = _entraApiKey,
            };
            var settings = new DeploySettings
            {
                SignIn = new SignInSettings { ClientId = DeployClientId, Authority = new Uri(WebApiUrl + TokenIssuer.AuthorityPath) },
                EnvironmentVariables = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["okos_VerifyOnContactCreate"] = "yes",
                    ["okos_IssueBlockIdCredential"] = "yes",
                    ["okos_VerificationStages"] = """["Propose"]""",
                    ["okos_GatePolicy"] = """[{"table":"opportunity","message":"Win","threshold":"estimatedvalue >= 100000"},{"table":"incident","message":"Update","columns":["okos_sensitiveactionapproved"]}]""",
                    ["okos_AdministratorsQueue"] = AdministratorsQueue,
                    ["okos_StepUpEmailQueue"] = StepUpEmailQueue,
                },
                Flows = new FlowSettings
                {
                    ConnectionReferences = { ["okos_sharedcommondataserviceforapps"] = FlowsConnectionId },
                    TurnOn = SolutionFlowReader.Read(Path.Combine(repositoryRoot, "Solution", "src")).Select(flow => flow.Name).ToList(),
                },
                Connection = new ConnectionSettings
                {
                    Columns = new Dictionary<string, System.Text.Json.Nodes.JsonNode?>(StringComparer.Ordinal)
                    {
                        ["okos_name"] = _tenant is null ? "BlockID simulator" : tenant.TenantDns,
                        ["okos_tenantdns"] = tenant.TenantDns,
                        ["okos_community"] = tenant.Community,
                        ["okos_entratenantid"] = Entra.Options.TenantId,
                        ["okos_entraclientid"] = Entra.Options.ClientId,
                        ["okos_entraauthority"] = Entra.Options.Authority,
                        ["okos_entramanifesturl"] = Entra.Options.ManifestUrl,
                        ["okos_entracredentialtype"] = Entra.Options.CredentialType,
                        // Without a relay nothing receives Entra's callbacks: the wallet's answer is refused, as an unreachable relay's would be.
                        ["okos_entracallbackurl"] = (withRelay ? RelayUrl : "http://127.0.0.1:9") + "/callbacks/entra",
                        ["okos_facecheckphoto"] = true,
                    },
                    Secrets = new Dictionary<string, string>(StringComparer.Ordinal)
                    {
                        ["okos_licensekey"] = "OKOS_BLOCKID_LICENSE_KEY",
                        ["okos_dvcid"] = "OKOS_BLOCKID_DVC_ID",
                        ["okos_callbacksigningsecret"] = "OKOS_CALLBACK_SIGNING_SECRET",
                        ["okos_entraclientsecret"] = "OKOS_ENTRA_CLIENT_SECRET",
                        ["okos_entracallbackapikey"] = "OKOS_ENTRA_CALLBACK_API_KEY",
                    },
                },
            };
            using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = LocalCertificate.Pin(_endpoint.Certificate) });
            var zip = PackedSolutions.GetOrAdd(repositoryRoot, root => new Lazy<byte[]>(() => SolutionZip.Pack(root, managed: true))).Value;
            await DeployCommand.RunAsync(new Uri(WebApiUrl), null, null, dryRun: false, name => secrets.GetValueOrDefault(name), new TimelineOutput(this), http,
                CancellationToken.None, settings, repositoryRoot, solutionZip: zip);
        }

        /// <summary>The sandbox's stand-in for a Dataverse connection made in Power Automate: okos-deploy binds the flows to it.</summary>
        private const string FlowsConnectionId = "sandbox-dataverse-connection";

        /// <value>The queue the Verification Administrators read (okos_AdministratorsQueue).</value>
        public const string AdministratorsQueue = "Verification administrators";

        /// <summary>
        /// Runs every flow okos-deploy turned on, as Power Automate would: a flow whose connection reference is bound to the
        /// sandbox's connection runs as <see cref="FlowsAccount"/>; the reconcile recurrence ticks every five minutes.
        /// </summary>
        private void StartFlows()
        {
            var bound = Dataverse.Rows("connectionreference").Where(row => row.GetAttributeValue<string>("connectionid") == FlowsConnectionId)
                .Select(row => row.GetAttributeValue<string>("connectionreferencelogicalname")).ToHashSet(StringComparer.Ordinal);
            Flows = new FlowRunner(Dataverse, FlowsAccount);
            foreach (var row in Dataverse.Rows("workflow").Where(row => row.GetAttributeValue<OptionSetValue>("statecode")?.Value == 1))
            {
                var flow = CloudFlow.FromJson(row.GetAttributeValue<string>("name"), row.GetAttributeValue<string>("clientdata"));
                if (flow.ConnectionReferences.All(bound.Contains))
                {
                    Flows.Attach(flow);
                    Note($"Power Automate: {flow.Name} is on");
                }
            }
            Flows.Ran += run => Note($"Flow {run.Flow}: {run.Status}{(run.Error is null ? "" : " — " + run.Error)}");
            _recurrence = RecurAsync(_stopping.Token);
        }

        private readonly CancellationTokenSource _stopping = new();
        private Task _recurrence = Task.CompletedTask;

        /// <summary>The recurring flows' schedule while the sandbox runs: every five minutes of the machine's time.</summary>
        private async Task RecurAsync(CancellationToken stopping)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMinutes(5));
            try
            {
                while (await timer.WaitForNextTickAsync(stopping))
                {
                    Flows.Tick();
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        /// <summary>okos-deploy's lines, onto the timeline.</summary>
        private sealed class TimelineOutput(LocalEnvironment environment) : IDeployOutput
        {
            public void Step(int number, int of, string name) => environment.Note($"okos-deploy {number}/{of} {name}");

            public void Changed(string what) => environment.Note($"okos-deploy   + {what}");

            public void Unchanged(string what) => environment.Note($"okos-deploy   = {what}");

            public void Say(string text) => environment.Note($"okos-deploy   {text}");
        }

        private const string DeployClientId = "okos-deploy";

        private async Task StartRelayAsync(X509Certificate2 certificate, string signingSecret, string relaySecret)
        {
            var settings = new Dictionary<string, string?>
            {
                ["Relay:Ingress:Secrets:0"] = _ingressSecret,
                ["Relay:Ingress:EntraApiKeys:0"] = _entraApiKey,
                ["Relay:Dispatcher:SigningSecret"] = signingSecret,
                ["Relay:Dispatcher:IdleDelay"] = "00:00:00.100",
                ["Relay:Dataverse:Url"] = WebApiUrl,
                ["Relay:Dataverse:OidcAuthority"] = WebApiUrl + TokenIssuer.AuthorityPath,
                ["Relay:Dataverse:ClientId"] = RelayClientId,
                ["Relay:Dataverse:ClientSecret"] = relaySecret,
                ["Relay:BlockId:TenantDns"] = _tenant?.TenantDns ?? Simulator.Options.TenantDns,
                ["Relay:BlockId:Community"] = _tenant?.Community ?? Simulator.Options.Community,
                ["Relay:BlockId:LicenseKey"] = _tenant?.LicenseKey ?? Simulator.Options.LicenseKey,
                ["Relay:BlockId:Interval"] = _tenant is null ? "00:00:00.500" : "00:00:30",
            };
            _relay = await LocalRelay.StartAsync(RelayUrl, settings, certificate, _tenant is null ? Simulator : null, this);
            if (_relay.Url != RelayUrl)
            {
                // The port chosen up front was taken before the relay bound it: Entra's callbacks follow it to the new one.
                RelayUrl = _relay.Url;
                var connection = Dataverse.Rows("okos_blockidconnection").Single();
                Service.Update(new Entity("okos_blockidconnection", connection.Id) { ["okos_entracallbackurl"] = RelayUrl + "/callbacks/entra" });
            }
        }

        /// <value>The queue that sends a contact's first LiveID request to the contact's email (okos_StepUpEmailQueue).</value>
        public const string StepUpEmailQueue = "Identity checks";

        /// <summary>Sets an environment variable's current value, as an administrator does in the solution.</summary>
        public void Set(string variable, string value) => Dataverse.SetEnvironmentVariable(variable, value);

        public async ValueTask DisposeAsync()
        {
            await _stopping.CancelAsync();
            await _recurrence;
            _stopping.Dispose();
            if (_relay is not null)
            {
                await _relay.DisposeAsync();
            }
            await _endpoint.DisposeAsync();
            await SimulatorHost.DisposeAsync();
            await Wallet.DisposeAsync();
        }
    }
}
