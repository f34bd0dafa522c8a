using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace OneKosmos.Sandbox.BlockId
{
    /// <summary>Serves a <see cref="BlockIdSimulator"/> to an <see cref="HttpClient"/> in the same process: no port, no network.</summary>
    /// <remarks>A call the simulator never answers ends at once as a timeout would, so tests do not wait out real timeouts.</remarks>
    public sealed class SimulatorHttpHandler : HttpMessageHandler
    {
        private readonly BlockIdSimulator _simulator;

        public SimulatorHttpHandler(BlockIdSimulator simulator)
        {
            _simulator = simulator;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = request.Headers.ToDictionary(header => header.Key.ToLowerInvariant(), header => string.Join(",", header.Value), StringComparer.OrdinalIgnoreCase);
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var answer = _simulator.Handle(new SimulatorRequest(request.Method.Method, request.RequestUri!.AbsolutePath, headers, body));
            if (answer.Delay > TimeSpan.Zero)
            {
                var waiting = Stopwatch.GetTimestamp();
                await Task.Delay(answer.Delay, cancellationToken).ConfigureAwait(false);
                _simulator.Waited(Stopwatch.GetElapsedTime(waiting));
            }
            if (answer.Hang)
            {
                // In process there is nothing to wait for: the caller's timeout firing is what it would see.
                throw new TaskCanceledException("The simulated 1Kosmos tenant did not answer before the caller's timeout.");
            }
            var response = new HttpResponseMessage((System.Net.HttpStatusCode)answer.Status)
            {
                Content = new StringContent(answer.Body, Encoding.UTF8, "application/json"),
                RequestMessage = request,
            };
            foreach (var header in answer.Headers)
            {
                response.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
            return response;
        }
    }
}
