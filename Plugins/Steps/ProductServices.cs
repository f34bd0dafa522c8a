using System;
using System.Net.Http;
using OneKosmos.Plugins.BlockId;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Plugins.Verification;
using Org.BouncyCastle.Security;

namespace OneKosmos.Plugins.Steps
{
    /// <summary>
    /// Builds the product's services for one execution from what the platform provides. Per-worker state (the
    /// 1Kosmos key pair, the HTTP client, bootstrap and settings caches) is static and immutable or thread-safe,
    /// since Dataverse runs one plug-in instance on several threads.
    /// </summary>
    internal sealed class ProductServices
    {
        private static readonly SecureRandom Random = new();
        private static readonly Lazy<BlockIdKeyPair> Keys = new(() => BlockIdKeyPair.Generate(Random));
        private static readonly HttpClient SharedHttp = new() { Timeout = System.Threading.Timeout.InfiniteTimeSpan };

        private readonly LocalPluginContext _context;

        public ProductServices(LocalPluginContext context)
        {
            _context = context;
        }

        public IClock Clock => SystemClock.Instance;

        public EnvironmentSettings Settings() => EnvironmentSettings.Read(_context.SystemService, _context.ExecutionContext.OrganizationId, Clock);

        public VerificationStarter Starter() =>
            new(new VerificationRepository(_context.SystemService, Guid.NewGuid), _context.SystemService, Client, Clock);

        /// <remarks>
        /// Dataverse offers no HttpMessageHandler, so plug-ins use the shared client; the local sandbox offers one that
        /// reaches its BlockID simulator instead of the internet.
        /// </remarks>
        private BlockIdClient Client()
        {
            var handler = _context.OptionalService<HttpMessageHandler>();
            var http = handler is null ? SharedHttp : new HttpClient(handler, disposeHandler: false) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            var connection = ConnectionReader.Read(_context.SystemService, _context.ExecutionContext.OrganizationId, Clock);
            return new BlockIdClient(http, connection, Keys.Value, Clock, Random, TenantDirectory.Shared);
        }
    }
}
