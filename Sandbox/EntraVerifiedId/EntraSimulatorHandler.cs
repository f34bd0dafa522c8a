using System;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace OneKosmos.Sandbox.EntraVerifiedId
{
    /// <summary>
    /// Serves an <see cref="EntraSimulator"/> to an <see cref="HttpClient"/> in the same process: calls to Microsoft's
    /// sign-in and Verified ID hosts reach the simulator; every other call goes to the inner handler (the 1Kosmos one).
    /// </summary>
    public sealed class EntraSimulatorHandler : DelegatingHandler
    {
        private readonly EntraSimulator _simulator;

        public EntraSimulatorHandler(EntraSimulator simulator, HttpMessageHandler inner)
            : base(inner)
        {
            _simulator = simulator;
        }

        public static bool IsMicrosoftHost(Uri uri) =>
            uri.Host.Equals("login.microsoftonline.com", StringComparison.OrdinalIgnoreCase) || uri.Host.Equals("verifiedid.did.msidentity.com", StringComparison.OrdinalIgnoreCase);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!IsMicrosoftHost(request.RequestUri!))
            {
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            var headers = request.Headers.ToDictionary(header => header.Key.ToLowerInvariant(), header => string.Join(",", header.Value), StringComparer.OrdinalIgnoreCase);
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var answer = _simulator.Handle(new EntraExchange(request.Method.Method, request.RequestUri!.Host, request.RequestUri.AbsolutePath, headers, body));
            return new HttpResponseMessage((System.Net.HttpStatusCode)answer.Status)
            {
                Content = new StringContent(answer.Body, Encoding.UTF8, answer.ContentType),
                RequestMessage = request,
            };
        }
    }
}
