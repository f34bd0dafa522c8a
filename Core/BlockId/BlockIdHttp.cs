using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using Newtonsoft.Json;
using System.Linq;
using Newtonsoft.Json.Linq;

using OneKosmos.Core.Verification;

namespace OneKosmos.Core.BlockId
{
    /// <summary>
    /// Sends one request to 1Kosmos and sorts every failure into the taxonomy of <see cref="BlockIdFailure"/>.
    /// Calls are synchronous (plug-ins must not run asynchronous code) and bounded by a timeout well inside the
    /// plug-in's two minutes.
    /// </summary>
    /// <remarks>
    /// Error text that 1Kosmos sends is cut short and stripped of the connection's secrets before it goes into an
    /// exception message, in case a service ever echoes a header back.
    /// </remarks>
    internal sealed class BlockIdHttp
    {
        private readonly HttpClient _http;
        private readonly BlockIdConnection _connection;
        private readonly TimeSpan _timeout;
        private readonly IClock _clock;

        public BlockIdHttp(HttpClient http, BlockIdConnection connection, TimeSpan timeout, IClock clock)
        {
            _http = http;
            _connection = connection;
            _timeout = timeout;
            _clock = clock;
        }

        public JObject Send(HttpMethod method, string url, string operation, IReadOnlyDictionary<string, string>? headers = null, object? body = null)
        {
            using var request = new HttpRequestMessage(method, url);
            request.Headers.ConnectionClose = true;
            if (headers is not null)
            {
                foreach (var header in headers)
                {
                    request.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
            }
            if (body is not null)
            {
                request.Content = new StringContent(JsonConvert.SerializeObject(body), Encoding.UTF8, "application/json");
            }

            HttpResponseMessage response;
            string text;
            using (var deadline = new CancellationTokenSource(_timeout))
            {
                try
                {
                    response = _http.SendAsync(request, deadline.Token).GetAwaiter().GetResult();
                    text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
                }
                catch (OperationCanceledException exception)
                {
                    throw new BlockIdException(BlockIdFailure.Transient, $"1Kosmos did not answer {operation} within {_timeout.TotalSeconds:0} s; it will be retried.", inner: exception);
                }
                catch (HttpRequestException exception)
                {
                    throw new BlockIdException(BlockIdFailure.Transient, $"1Kosmos could not be reached for {operation} ({_connection.TenantDns}); it will be retried.", inner: exception);
                }
            }
            using (response)
            {
                var status = (int)response.StatusCode;
                if (status == 429)
                {
                    var retryAfter = response.Headers.RetryAfter?.Delta
                        ?? (response.Headers.RetryAfter?.Date is { } date ? date - _clock.UtcNow : (TimeSpan?)null);
                    throw new BlockIdException(BlockIdFailure.Throttled, $"1Kosmos is throttling {operation}; it will be retried{(retryAfter is { } wait ? $" after {Math.Max(0, wait.TotalSeconds):0} s" : "")}.", retryAfter: retryAfter);
                }
                if (status >= 500)
                {
                    throw new BlockIdException(BlockIdFailure.Transient, $"1Kosmos failed {operation} with HTTP {status}; it will be retried.");
                }
                if (status >= 400)
                {
                    var message = ErrorOf(text, out var code);
                    var advice = response.StatusCode == HttpStatusCode.Unauthorized
                        ? " Check the license key on the 1Kosmos connection."
                        : "";
                    throw new BlockIdException(BlockIdFailure.Rejected, $"1Kosmos refused {operation} (HTTP {status}{(code is null ? "" : ", " + code)}: {message}).{advice}", code, httpStatus: status);
                }
                try
                {
                    return JObject.Parse(text);
                }
                catch (JsonException exception)
                {
                    throw new BlockIdException(BlockIdFailure.Malformed, $"1Kosmos answered {operation} with something that is not a JSON object.", inner: exception);
                }
            }
        }

        /// <summary>1Kosmos' error shapes: {"code", "message"}, {"errors": [{message, param}]}, or plain text.</summary>
        private string ErrorOf(string text, out string? code)
        {
            code = null;
            try
            {
                var body = JObject.Parse(text);
                code = body["code"]?.ToString() ?? body["error_code"]?.ToString();
                var message = (string?)body["message"]
                    ?? (body["errors"] is JArray errors ? string.Join("; ", errors.Select(error => $"{(string?)error["param"]}: {(string?)error["message"]}")) : null);
                return Safe(message ?? "no message");
            }
            catch (JsonException)
            {
                return Safe(string.IsNullOrWhiteSpace(text) ? "no message" : text);
            }
        }

        private string Safe(string message) => EchoedError.Safe(message, new[] { _connection.LicenseKey, _connection.DvcId });
    }
}
