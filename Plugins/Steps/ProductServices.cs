using System;
using System.Net.Http;
using OneKosmos.Core.BlockId;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Core.Verification;
using OneKosmos.Plugins.VerifiedId;
using Org.BouncyCastle.Security;

namespace OneKosmos.Plugins.Steps
{
    /// <summary>
    /// Builds the product's services for one execution from what the platform provides. Per-worker state (the
    /// 1Kosmos key pair, the HTTP client, bootstrap and settings caches) is static and immutable or thread-safe,
    /// since Dataverse runs one plug-in instance on several threads.
    /// </summary>
    public sealed class ProductServices
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

        public VerificationRefresher Refresher(EnvironmentSettings settings) =>
            new(_context.SystemService, Client, Clock, settings.IssueBlockIdCredential,
                settings.IssueVerifiedIdAfterProofing ? (contactId, correlationId, face) => VerifiedId().IssueAfterProofing(contactId, correlationId, face) : null);

        public VerifiedIdService VerifiedId() =>
            new(_context.SystemService, new VerificationRepository(_context.SystemService, Guid.NewGuid),
                () => ConnectionReader.ReadVerifiedId(_context.SystemService, _context.ExecutionContext.OrganizationId, Clock),
                connection => new RequestServiceClient(Http(), connection, Clock), Client, Pin, Clock, _context.Trace);

        /// <summary>A reader that first refreshes stale pending sessions; 1Kosmos failing leaves the stored status, traced.</summary>
        public IdentityStandingReader StandingReader(EnvironmentSettings settings)
        {
            var refresher = Refresher(settings);
            return new IdentityStandingReader(_context.SystemService, Clock, verificationId =>
            {
                try
                {
                    _context.Trace($"Verification {verificationId} refreshed: {refresher.Refresh(verificationId).Reason}.");
                }
                catch (BlockIdException exception)
                {
                    _context.Trace($"Verification {verificationId} could not be refreshed ({exception.Failure}); its stored status is reported.");
                }
            });
        }

        public VerificationReconciler Reconciler(EnvironmentSettings settings) =>
            new(_context.SystemService, Refresher(settings), Starter(), Clock, _context.Trace);

        public CallbackProcessor CallbackProcessor(EnvironmentSettings settings) =>
            new(_context.SystemService, Connection, Refresher(settings), Clock, VerifiedId);

        private BlockIdConnection Connection() => ConnectionReader.Read(_context.SystemService, _context.ExecutionContext.OrganizationId, Clock);

        /// <remarks>
        /// Dataverse offers no HttpMessageHandler, so plug-ins use the shared client; the local sandbox offers one that
        /// reaches its simulators (1Kosmos BlockID, Entra Verified ID) instead of the internet.
        /// </remarks>
        private BlockIdClient Client() => new(Http(), Connection(), Keys.Value, Clock, Random, TenantDirectory.Shared);

        private HttpClient Http()
        {
            var handler = _context.OptionalService<HttpMessageHandler>();
            return handler is null ? SharedHttp : new HttpClient(handler, disposeHandler: false) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        }

        /// <summary>A PIN of <paramref name="length"/> digits, each drawn evenly from the cryptographic generator.</summary>
        private static string Pin(int length)
        {
            var digits = new char[length];
            for (var i = 0; i < length; i++)
            {
                digits[i] = (char)('0' + Random.Next(10));
            }
            return new string(digits);
        }
    }
}
