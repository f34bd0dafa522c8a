using System;
using System.Net.Http;
using OneKosmos.Core.BlockId;
using OneKosmos.Core.Verification;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Plugins.Entra;
using OneKosmos.Plugins.UseCases;
using Org.BouncyCastle.Security;

namespace OneKosmos.Plugins.Steps
{
    /// <summary>
    /// Builds the product's use cases for one execution from what the platform provides: the composition root. Per-worker
    /// state (the 1Kosmos key pair, the HTTP client, bootstrap and settings caches) is static and immutable or
    /// thread-safe, since Dataverse runs one plug-in instance on several threads.
    /// </summary>
    public sealed class ProductServices
    {
        private static readonly SecureRandom Random = new();
        private static readonly Lazy<BlockIdKeyPair> Keys = new(() => BlockIdKeyPair.Generate(Random));
        /// <remarks>Redirects are never followed: a 1Kosmos or Entra answer pointing elsewhere must not take our headers with it.</remarks>
        private static readonly HttpClient SharedHttp = new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };

        private readonly LocalPluginContext _context;

        public ProductServices(LocalPluginContext context)
        {
            _context = context;
        }

        /// <value>The platform's clock, or the one the local sandbox offers so tests control time.</value>
        public IClock Clock => _context.Clock;

        public EnvironmentSettings Settings() => EnvironmentSettings.Read(_context.SystemService, _context.ExecutionContext.OrganizationId, Clock);

        public VerificationStarter Starter() => new(new VerificationRows(_context.SystemService), _context.SystemService, Client, Clock, Settings().StepUpEmailQueue);

        public StageChangeStarter StageChangeStarter(EnvironmentSettings settings) => new(_context.SystemService, settings, Starter, Clock);

        public StepUpRequester StepUp() => new(_context.SystemService, Starter, FaceCheck, Clock);

        public IdentityGate Gate(EnvironmentSettings settings) => new(_context.SystemService, settings, Clock, _context.Trace);

        public BlockIdResultApplier BlockIdResults(EnvironmentSettings settings) =>
            new(_context.SystemService, Client, Clock, settings.IssueBlockIdCredential,
                settings.IssueVerifiedIdAfterProofing ? (contactId, correlationId, face) => CredentialIssuer().IssueAfterProofing(contactId, correlationId, face) : null);

        public CredentialIssuer CredentialIssuer() =>
            new(_context.SystemService, new VerificationRows(_context.SystemService), VerifiedIdConnection, EntraClient, Client, Pin, Clock, _context.Trace);

        public FaceCheckStarter FaceCheck() => new(_context.SystemService, new VerificationRows(_context.SystemService), VerifiedIdConnection, EntraClient, Clock);

        /// <summary>A reader that first refreshes stale pending sessions; 1Kosmos failing leaves the stored status, traced.</summary>
        public IdentityStandingReader StandingReader(EnvironmentSettings settings)
        {
            var results = BlockIdResults(settings);
            return new IdentityStandingReader(_context.SystemService, Clock, verificationId =>
            {
                try
                {
                    _context.Trace($"Verification {verificationId} refreshed: {results.Apply(verificationId).Reason}.");
                }
                catch (BlockIdException exception)
                {
                    _context.Trace($"Verification {verificationId} could not be refreshed ({exception.Failure}); its stored status is reported.");
                }
            });
        }

        public SelfServiceDesk SelfService()
        {
            var settings = Settings();
            return new SelfServiceDesk(_context.SystemService, Starter, CredentialIssuer, StandingReader(settings),
                () => ConnectionReader.HasVerifiedId(_context.SystemService, _context.ExecutionContext.OrganizationId, Clock), settings, Clock);
        }

        public VerificationReconciler Reconciler(EnvironmentSettings settings) =>
            new(_context.SystemService, BlockIdResults(settings), Starter(), Clock, _context.Trace, System.Threading.Thread.Sleep);

        public CallbackProcessor CallbackProcessor(EnvironmentSettings settings) =>
            new(_context.SystemService, Connection, BlockIdResults(settings), () => new VerifiedIdResultApplier(_context.SystemService, VerifiedIdConnection, Clock), Clock);

        private BlockIdConnection Connection() => ConnectionReader.Read(_context.SystemService, _context.ExecutionContext.OrganizationId, Clock);

        private VerifiedIdConnection VerifiedIdConnection() => ConnectionReader.ReadVerifiedId(_context.SystemService, _context.ExecutionContext.OrganizationId, Clock);

        private RequestServiceClient EntraClient(VerifiedIdConnection connection) => new(Http(), connection, Clock);

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
