using System;
using System.Net.Http;
using System.Threading;

namespace OneKosmos.Plugins.Entra
{
    /// <summary>One synchronous call to Microsoft Entra, bounded by a timeout like every call a plug-in makes; no answer is a transient failure.</summary>
    internal sealed class EntraHttp
    {
        private readonly HttpClient _http;
        private readonly TimeSpan _timeout;

        public EntraHttp(HttpClient http, TimeSpan timeout)
        {
            _http = http;
            _timeout = timeout;
        }

        public string Send(HttpRequestMessage request, string operation, out int status)
        {
            request.Headers.ConnectionClose = true;
            using var deadline = new CancellationTokenSource(_timeout);
            try
            {
                using var response = _http.SendAsync(request, deadline.Token).GetAwaiter().GetResult();
                status = (int)response.StatusCode;
                return response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            }
            catch (OperationCanceledException exception)
            {
                throw new VerifiedIdException(VerifiedIdFailure.Transient, $"Microsoft Entra did not answer {operation} within {_timeout.TotalSeconds:0} s; try again.", inner: exception);
            }
            catch (HttpRequestException exception)
            {
                throw new VerifiedIdException(VerifiedIdFailure.Transient, $"Microsoft Entra could not be reached for {operation}; try again.", inner: exception);
            }
        }
    }
}
