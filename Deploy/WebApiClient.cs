using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace OneKosmos.Deploy
{
    /// <summary>
    /// The Dataverse Web API as okos-deploy calls it (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/overview):
    /// queries, create, update, actions; every answer that is not a success becomes a <see cref="DataverseError"/> with
    /// Dataverse's own error code and message. Service protection (429) is waited out as its Retry-After says.
    /// </summary>
    internal sealed class WebApiClient
    {
        private const int ThrottleRetries = 5;

        private readonly HttpClient _http;
        private readonly Func<CancellationToken, Task<string>> _token;
        private readonly Uri _root;

        public WebApiClient(Uri environment, HttpClient http, Func<CancellationToken, Task<string>> token)
        {
            _http = http;
            _token = token;
            _root = new Uri(environment, "/api/data/v9.2/");
        }

        /// <remarks><paramref name="query"/> is the OData query after the entity set, such as <c>?$select=name&amp;$filter=…</c>.</remarks>
        public async Task<IReadOnlyList<JsonObject>> QueryAsync(string entitySet, string query, CancellationToken cancellation)
        {
            var answer = await SendAsync(HttpMethod.Get, entitySet + query, null, cancellation);
            return answer?["value"]?.AsArray().Select(row => row!.AsObject()).ToList() ?? new List<JsonObject>();
        }

        public async Task<JsonObject?> FirstAsync(string entitySet, string filter, string select, CancellationToken cancellation) =>
            (await QueryAsync(entitySet, $"?$select={select}&$filter={Uri.EscapeDataString(filter)}&$top=1", cancellation)).FirstOrDefault();

        /// <returns>The new row's id, from the OData-EntityId header.</returns>
        public async Task<Guid> CreateAsync(string entitySet, JsonObject row, CancellationToken cancellation)
        {
            using var response = await SendRawAsync(HttpMethod.Post, entitySet, row, null, cancellation);
            var location = response.Headers.TryGetValues("OData-EntityId", out var values) ? values.First() : "";
            var open = location.LastIndexOf('(');
            return open >= 0 && Guid.TryParse(location[(open + 1)..].TrimEnd(')'), out var id)
                ? id
                : throw new DataverseError($"create of {entitySet}", (int)response.StatusCode, "", "Dataverse did not say the new row's id (OData-EntityId).");
        }

        /// <summary>Updates an existing row (If-Match: *, so a missing row is an error, never a new one).</summary>
        public async Task UpdateAsync(string entitySet, Guid id, JsonObject changes, CancellationToken cancellation)
        {
            using var _ = await SendRawAsync(HttpMethod.Patch, $"{entitySet}({id})", changes, "*", cancellation);
        }

        /// <summary>Calls an unbound action; null when it answers without a body.</summary>
        public Task<JsonObject?> ExecuteAsync(string action, JsonObject parameters, CancellationToken cancellation) =>
            SendAsync(HttpMethod.Post, action, parameters, cancellation);

        public Task<JsonObject?> ReadAsync(string entitySet, Guid id, string select, CancellationToken cancellation) =>
            SendAsync(HttpMethod.Get, $"{entitySet}({id})?$select={select}", null, cancellation);

        private async Task<JsonObject?> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellation)
        {
            using var response = await SendRawAsync(method, path, body, null, cancellation);
            var text = await response.Content.ReadAsStringAsync(cancellation);
            return text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject;
        }

        private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, JsonObject? body, string? ifMatch, CancellationToken cancellation)
        {
            for (var attempt = 0; ; attempt++)
            {
                using var request = new HttpRequestMessage(method, new Uri(_root, path));
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _token(cancellation));
                request.Headers.Add("OData-MaxVersion", "4.0");
                request.Headers.Add("OData-Version", "4.0");
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                if (ifMatch is not null)
                {
                    request.Headers.IfMatch.Add(ifMatch == "*" ? EntityTagHeaderValue.Any : new EntityTagHeaderValue(ifMatch));
                }
                if (body is not null)
                {
                    request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
                }
                var response = await _http.SendAsync(request, cancellation);
                if (response.IsSuccessStatusCode)
                {
                    return response;
                }
                using (response)
                {
                    if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt < ThrottleRetries)
                    {
                        await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(5), cancellation);
                        continue;
                    }
                    throw await ErrorOf(method, path, response, cancellation);
                }
            }
        }

        private static async Task<DataverseError> ErrorOf(HttpMethod method, string path, HttpResponseMessage response, CancellationToken cancellation)
        {
            var text = await response.Content.ReadAsStringAsync(cancellation);
            string code = "", message = text;
            try
            {
                if (JsonNode.Parse(text)?["error"] is JsonObject error)
                {
                    code = (string?)error["code"] ?? "";
                    message = (string?)error["message"] ?? text;
                }
            }
            catch (System.Text.Json.JsonException)
            {
                // Not Dataverse's JSON (a proxy's page, say): the text itself is the message.
            }
            var operation = $"{method.Method} {path.Split('?')[0]}";
            return new DataverseError(operation, (int)response.StatusCode, code, message.Length > 2000 ? message[..2000] : message);
        }
    }

    /// <summary>Dataverse refused a call: the operation, the HTTP status, Dataverse's error code (0x…) and its message.</summary>
    internal sealed class DataverseError : Exception
    {
        public DataverseError(string operation, int status, string code, string message)
            : base(message)
        {
            Operation = operation;
            Status = status;
            Code = code;
        }

        public string Operation { get; }

        public int Status { get; }

        public string Code { get; }

        /// <value>Dataverse's code for a caller without a privilege, as its message names it (prvImportSolution…).</value>
        public bool IsMissingPrivilege => Code.Equals("0x80040220", StringComparison.OrdinalIgnoreCase) || Status == 403;

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Operation}: HTTP {Status} {Code} {Message}");
    }
}
