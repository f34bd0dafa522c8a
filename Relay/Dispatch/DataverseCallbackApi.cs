using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace OneKosmos.Relay.Dispatch
{
    /// <summary>The custom APIs over the Dataverse Web API: <c>POST {org}/api/data/v9.2/{unique name}</c> with a bearer token.</summary>
    public sealed class DataverseCallbackApi : ICallbackApi
    {
        /// <value>How long one call may take. Default 100 s: the plug-in behind it has 2 minutes, and a late answer is retried anyway.</value>
        public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(100);

        /// <summary>Parameter names go as declared: Dataverse matches them case-sensitively (Payload, not payload).</summary>
        private static readonly JsonSerializerOptions AsDeclared = new() { PropertyNamingPolicy = null };

        private readonly HttpClient _http;
        private readonly Uri _apiRoot;
        private readonly ITokenSource _tokens;
        private readonly TimeProvider _clock;

        /// <param name="http">A client the caller owns; its own timeout is not relied on.</param>
        /// <param name="organizationUrl">The environment, e.g. https://contoso.crm.dynamics.com.</param>
        /// <param name="tokens">Where bearer tokens come from.</param>
        /// <param name="clock">Reads a Retry-After given as a date; default the system's.</param>
        public DataverseCallbackApi(HttpClient http, Uri organizationUrl, ITokenSource tokens, TimeProvider? clock = null)
        {
            _http = http;
            _apiRoot = new Uri(organizationUrl, "/api/data/v9.2/");
            _tokens = tokens;
            _clock = clock ?? TimeProvider.System;
        }

        public Task<ApiAnswer> ProcessAsync(string payload, string messageId, string timestamp, string signature, CancellationToken cancellation) =>
            CallAsync("okos_ProcessVerificationCallback", new { Payload = payload, MessageId = messageId, Timestamp = timestamp, Signature = signature }, cancellation,
                result => ApiAnswer.Answered(Text(result, "Outcome"), Text(result, "ReasonCode")));

        public Task<ApiAnswer> ReconcileAsync(CancellationToken cancellation) =>
            CallAsync("okos_ReconcileVerifications", new { }, cancellation, result => ApiAnswer.Answered("Reconciled", ""));

        private async Task<ApiAnswer> CallAsync(string api, object body, CancellationToken cancellation, Func<JsonElement, ApiAnswer> read)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            timeout.CancelAfter(CallTimeout);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_apiRoot, api)) { Content = JsonContent.Create(body, options: AsDeclared) };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _tokens.GetTokenAsync(timeout.Token));
                request.Headers.Add("OData-Version", "4.0");
                request.Headers.Add("OData-MaxVersion", "4.0");
                using var response = await _http.SendAsync(request, timeout.Token);
                if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
                {
                    var after = response.Headers.RetryAfter?.Delta ?? (response.Headers.RetryAfter?.Date - _clock.GetUtcNow());
                    return new ApiAnswer(AnswerKind.Throttled, RetryAfter: after, Detail: $"HTTP {(int)response.StatusCode} {ErrorOf(await response.Content.ReadAsStringAsync(timeout.Token))}".TrimEnd(),
                        LimitReached: response.StatusCode == HttpStatusCode.TooManyRequests);
                }
                var text = await response.Content.ReadAsStringAsync(timeout.Token);
                if (!response.IsSuccessStatusCode)
                {
                    return new ApiAnswer(AnswerKind.Failed, Detail: $"HTTP {(int)response.StatusCode} {ErrorOf(text)}");
                }
                using var json = JsonDocument.Parse(text);
                return read(json.RootElement);
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                return new ApiAnswer(AnswerKind.Failed, Detail: $"no answer within {CallTimeout.TotalSeconds:0} s");
            }
            catch (Exception exception) when (exception is HttpRequestException or JsonException or InvalidOperationException)
            {
                return new ApiAnswer(AnswerKind.Failed, Detail: exception.GetType().Name + ": " + exception.Message);
            }
        }

        private static string Text(JsonElement result, string name) =>
            result.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

        /// <remarks>Dataverse error bodies are <c>{"error": {"code": …, "message": …}}</c>; the message is the plug-in's, which never carries a secret.</remarks>
        private static string ErrorOf(string text)
        {
            try
            {
                using var json = JsonDocument.Parse(text);
                return json.RootElement.TryGetProperty("error", out var error)
                    ? $"{(error.TryGetProperty("code", out var code) ? code.ToString() : "")} {(error.TryGetProperty("message", out var message) ? message.GetString() : "")}".Trim()
                    : "";
            }
            catch (JsonException)
            {
                return "";
            }
        }
    }
}
