using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using OneKosmos.Sandbox.Dataverse;
using OneKosmos.Sandbox.Host.Tls;
using OneKosmos.Sandbox.Host.WebApi;
using OneKosmos.Tests.Shared;

namespace OneKosmos.Deploy.Tests
{
    /// <summary>
    /// A new, empty environment served over the sandbox's Web API, and okos-deploy pointed at it as a pipeline runs it: an
    /// application user signing in with a client secret from the environment.
    /// </summary>
    internal sealed class DeployTarget : IAsyncDisposable
    {
        public const string ClientId = "okos-deploy-tests";

        private readonly HttpClient _http;
        private readonly string _secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

        private DeployTarget(InMemoryDataverse dataverse, DataverseEndpoint endpoint)
        {
            Dataverse = dataverse;
            Endpoint = endpoint;
            _http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = LocalCertificate.Pin(endpoint.Certificate) });
            Variables["OKOS_DEPLOY_CLIENT_SECRET"] = _secret;
            Variables["OKOS_BLOCKID_LICENSE_KEY"] = "license-" + Guid.NewGuid().ToString("N");
            Variables["OKOS_BLOCKID_DVC_ID"] = "dvc-" + Guid.NewGuid().ToString("N");
        }

        public InMemoryDataverse Dataverse { get; }

        public DataverseEndpoint Endpoint { get; }

        /// <value>The environment variables okos-deploy reads its secrets from.</value>
        public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

        public static async Task<DeployTarget> StartAsync()
        {
            var dataverse = InMemoryDataverse.Empty(new InMemoryDataverseOptions
            {
                OrganizationId = Guid.NewGuid(),
                PluginAssemblies = new[] { typeof(Plugins.Steps.PluginBase).Assembly, typeof(CustomApis.StartVerification).Assembly },
            });
            var target = new DeployTarget(dataverse, await DataverseEndpoint.StartAsync(dataverse));
            target.SignInAs(dataverse.Seed(new Microsoft.Xrm.Sdk.Entity("systemuser") { ["fullname"] = "Pipeline (administrator)" })[0]);
            return target;
        }

        /// <summary>From now on okos-deploy's application user is <paramref name="user"/>.</summary>
        public void SignInAs(Guid user) => Endpoint.Issuer.Register(ClientId, _secret, user);

        public DeploySettings Settings(bool withConnection = true) => new()
        {
            SignIn = new SignInSettings { ClientId = ClientId, Authority = Endpoint.Authority },
            EnvironmentVariables = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["okos_VerifyOnContactCreate"] = "yes",
                ["okos_GatePolicy"] = """[{"table":"opportunity","message":"Win","threshold":"estimatedvalue >= 100000"}]""",
            },
            Connection = withConnection
                ? new ConnectionSettings
                {
                    Columns = new(StringComparer.Ordinal) { ["okos_name"] = "Production", ["okos_tenantdns"] = "acme.1kosmos.net", ["okos_community"] = "default" },
                    Secrets = new(StringComparer.Ordinal) { ["okos_licensekey"] = "OKOS_BLOCKID_LICENSE_KEY", ["okos_dvcid"] = "OKOS_BLOCKID_DVC_ID" },
                }
                : null,
        };

        /// <summary>Runs okos-deploy against this environment; its lines go to <paramref name="output"/>.</summary>
        public Task<int> DeployAsync(RecordingOutput output, byte[] solution, DeploySettings? settings = null, bool dryRun = false) =>
            DeployCommand.RunAsync(new Uri(Endpoint.Url), null, null, dryRun, name => Variables.GetValueOrDefault(name), output, _http, CancellationToken.None,
                settings ?? Settings(), RepositoryPaths.Root, TimeSpan.FromMilliseconds(10), solution);

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await Endpoint.DisposeAsync();
        }
    }

    /// <summary>okos-deploy's lines, kept for a test to read.</summary>
    internal sealed class RecordingOutput : IDeployOutput
    {
        public List<string> Lines { get; } = new();

        public List<string> Changes { get; } = new();

        public void Step(int number, int of, string name) => Lines.Add($"{number}/{of} {name}");

        public void Changed(string what)
        {
            Changes.Add(what);
            Lines.Add("+ " + what);
        }

        public void Unchanged(string what) => Lines.Add("= " + what);

        public void Say(string text) => Lines.Add(text);

        public override string ToString() => string.Join(Environment.NewLine, Lines);
    }
}
