using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Core.BlockId;
using OneKosmos.Plugins.Steps;
using OneKosmos.Core.Verification;
using OneKosmos.Sandbox.BlockId;
using OneKosmos.Sandbox.Dataverse;
using OneKosmos.Sandbox.Dataverse.Plugins;
using OneKosmos.Sandbox.EntraVerifiedId;
using OneKosmos.Tests.Shared;
using OneKosmos.Solution.Model;
using Org.BouncyCastle.Security;

namespace OneKosmos.Tests.Shared
{
    /// <summary>The product as it ships: the solution's tables and steps in the in-memory Dataverse, 1Kosmos simulated.</summary>
    internal sealed class ProductSandbox
    {
        /// <summary>
        /// The product with a simulator of its own; <c>faultRates</c> are faults it injects at random, rolled from
        /// <c>faultSeed</c> (a soak test's weather); <c>latency</c> delays every answer (benchmarks); <c>startsPerSecond</c> rate-limits starts as a busy tenant does.
        /// </summary>
        public ProductSandbox(IReadOnlyDictionary<SimulatedFault, double>? faultRates = null, int faultSeed = 1, TimeSpan? latency = null, IReadOnlyDictionary<string, string>? serviceDirectory = null,
            int? startsPerSecond = null, TimeProvider? simulatorClock = null)
        {
            // Each sandbox is its own tenant and organization: plug-ins keep per-worker caches keyed by both.
            Simulator = new BlockIdSimulator(new BlockIdSimulatorOptions
            {
                TenantDns = $"t{Guid.NewGuid():N}.1kosmos.test",
                FaultRates = faultRates ?? new Dictionary<SimulatedFault, double>(),
                FaultSeed = faultSeed,
                Latency = latency ?? TimeSpan.Zero,
                ServiceDirectory = serviceDirectory ?? new Dictionary<string, string>(),
                StartsPerSecond = startsPerSecond,
                Clock = simulatorClock ?? TimeProvider.System,
            });
            Dataverse = InMemoryDataverse.FromSolution(RepositoryPaths.SolutionSource, new InMemoryDataverseOptions { OrganizationId = Guid.NewGuid() });
            Dataverse.LoadSteps(RepositoryPaths.SolutionSource, typeof(PluginBase).Assembly, typeof(OneKosmos.CustomApis.StartVerification).Assembly);
            Entra = new EntraSimulator(new EntraSimulatorOptions { CallbackClient = new HttpClient(new CallbackRecorder(EntraCallbacks)) });
            Dataverse.AddPluginService(typeof(HttpMessageHandler), new EntraSimulatorHandler(Entra, new SimulatorHttpHandler(Simulator)));
            Service = Dataverse.CreateOrganizationService(null);
        }

        public BlockIdSimulator Simulator { get; }

        /// <summary>
        /// Runs <paramref name="work"/> as the product's own code runs: inside a plug-in execution, with its system service, so
        /// the identity state guard lets its writes through (a test calling a use case directly is no plug-in).
        /// </summary>
        public T AsProduct<T>(Func<IOrganizationService, T> work)
        {
            var context = Dataverse.NewPluginContext().ForMessage("okos_TestHarness").AtStage(PipelineStage.MainOperation, ExecutionMode.Synchronous).Build();
            OneKosmos.Plugins.UseCases.ProductPath.Mark(context);
            T result = default!;
            Dataverse.ExecutePlugin(new Delegating(services => result = work(((IOrganizationServiceFactory)services.GetService(typeof(IOrganizationServiceFactory))!).CreateOrganizationService(null))), context);
            return result;
        }

        private sealed class Delegating(Action<IServiceProvider> run) : IPlugin
        {
            public void Execute(IServiceProvider serviceProvider) => run(serviceProvider);
        }

        /// <value>Microsoft Entra Verified ID, simulated; off for the product until <see cref="ConnectEntra"/>.</value>
        public EntraSimulator Entra { get; }

        /// <value>What the Entra simulator posted to the callback URL (api-key header, body), in order: the relay is not here.</value>
        public List<KeyValuePair<string, string>> EntraCallbacks { get; } = new();

        /// <value>The Entra Callback API Key <see cref="ConnectEntra"/> stores.</value>
        public const string EntraApiKey = "okos-entra-api-key-for-tests-0123456789";

        public InMemoryDataverse Dataverse { get; }

        public IOrganizationService Service { get; }

        public Entity[] Verifications => Dataverse.Rows("okos_verification").ToArray();

        /// <summary>A 1Kosmos client for the simulated tenant, as the plug-ins build one (with a cache of its own).</summary>
        public BlockIdClient Client() =>
            new(new HttpClient(new SimulatorHttpHandler(Simulator)),
                new BlockIdConnection(Simulator.Options.TenantDns, Simulator.Options.Community, Simulator.Options.LicenseKey, Simulator.Options.DvcId),
                BlockIdKeyPair.Generate(new SecureRandom()),
                SystemClock.Instance,
                new SecureRandom(),
                new TenantDirectory());

        /// <value>The callback signing secret <see cref="Connect"/> stores: base64 of 32 fixed bytes.</value>
        public const string SigningSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

        public void Connect(string? licenseKey = null) =>
            Dataverse.Seed(new Entity("okos_blockidconnection")
            {
                ["okos_name"] = "Simulator",
                ["okos_tenantdns"] = Simulator.Options.TenantDns,
                ["okos_community"] = Simulator.Options.Community,
                ["okos_licensekey"] = licenseKey ?? Simulator.Options.LicenseKey,
                ["okos_dvcid"] = Simulator.Options.DvcId,
                ["okos_callbacksigningsecret"] = SigningSecret,
                ["statecode"] = new OptionSetValue(0),
            });

        /// <summary>Fills the connection's Microsoft Entra Verified ID section for the simulated tenant (<see cref="Connect"/> first).</summary>
        /// <remarks>Callbacks to a loopback <paramref name="callbackUrl"/> (a relay started by the test) are posted to it; others are only recorded.</remarks>
        public void ConnectEntra(bool faceCheckPhoto = true, int? threshold = null, int pinLength = 0, string callbackUrl = "https://relay.example.test/callbacks/entra")
        {
            var connection = Dataverse.Rows("okos_blockidconnection").Single();
            Service.Update(new Entity("okos_blockidconnection", connection.Id)
            {
                ["okos_entratenantid"] = Entra.Options.TenantId,
                ["okos_entraclientid"] = Entra.Options.ClientId,
                ["okos_entraclientsecret"] = Entra.Options.ClientSecret,
                ["okos_entraauthority"] = Entra.Options.Authority,
                ["okos_entramanifesturl"] = Entra.Options.ManifestUrl,
                ["okos_entracredentialtype"] = Entra.Options.CredentialType,
                ["okos_entracallbackurl"] = callbackUrl,
                ["okos_entracallbackapikey"] = EntraApiKey,
                ["okos_facecheckthreshold"] = threshold,
                ["okos_facecheckphoto"] = faceCheckPhoto,
                ["okos_entrapinlength"] = pinLength,
            });
        }

        /// <summary>Runs a custom API as a flow does: an OrganizationRequest named after it, as <paramref name="caller"/> (null: SYSTEM).</summary>
        public OrganizationResponse Call(string api, Guid? caller = null, params (string Name, object? Value)[] parameters)
        {
            var request = new OrganizationRequest(api);
            foreach (var (name, value) in parameters)
            {
                request[name] = value!;
            }
            return Dataverse.CreateOrganizationService(caller).Execute(request);
        }

        /// <summary>Sets an environment variable's current value, as an administrator does in the solution.</summary>
        public void Set(string variable, string value) => Dataverse.SetEnvironmentVariable(variable, value);

        /// <summary>Keeps each callback's api-key header and body; answers 202 as the relay would, or lets a local relay answer.</summary>
        private sealed class CallbackRecorder(List<KeyValuePair<string, string>> callbacks) : DelegatingHandler(new HttpClientHandler())
        {
            protected override async System.Threading.Tasks.Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, System.Threading.CancellationToken cancellationToken)
            {
                var key = request.Headers.TryGetValues("api-key", out var values) ? string.Join(",", values) : "";
                var body = await request.Content!.ReadAsStringAsync(cancellationToken);
                lock (callbacks)
                {
                    callbacks.Add(new KeyValuePair<string, string>(key, body));
                }
                return request.RequestUri!.IsLoopback
                    ? await base.SendAsync(request, cancellationToken)
                    : new HttpResponseMessage(System.Net.HttpStatusCode.Accepted);
            }
        }
    }
}
