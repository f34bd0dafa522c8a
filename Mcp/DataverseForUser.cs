using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Identity.Client;
using ModelContextProtocol;

namespace OneKosmos.Mcp
{
    /// <summary>
    /// The product's custom APIs, called on behalf of the person whose token came with the MCP request: that token is
    /// exchanged with Entra ID for a Dataverse token (the on-behalf-of flow), so Dataverse applies the person's roles and
    /// field security, and every answer is what they themselves could see.
    /// </summary>
    public sealed class DataverseForUser
    {
        private readonly IConfidentialClientApplication _msal;
        private readonly HttpClient _http;
        private readonly Uri _dataverse;
        private readonly string[] _scopes;
        private readonly IHttpContextAccessor _request;

        public DataverseForUser(McpSettings settings, IHttpContextAccessor request)
        {
            var builder = ConfidentialClientApplicationBuilder.Create(settings.ClientId).WithClientSecret(settings.ClientSecret);
            builder = settings.OidcAuthority is { } oidc ? builder.WithOidcAuthority(oidc.ToString()) : builder.WithAuthority(AzureCloudInstance.AzurePublic, settings.TenantId);
            _http = settings.Backchannel is { } handler ? new HttpClient(handler, disposeHandler: false) : new HttpClient();
            _msal = builder.WithHttpClientFactory(new SharedHttpClient(_http)).Build();
            _dataverse = settings.DataverseUrl;
            _scopes = new[] { new Uri(settings.DataverseUrl, "/.default").ToString() };
            _request = request;
        }

        /// <summary>Runs a custom API as the person and returns its response properties.</summary>
        /// <exception cref="McpException">Dataverse refused (the message says why, in Dataverse's or the product's words) or the sign-in could not be exchanged.</exception>
        public async Task<JsonObject> ExecuteAsync(string api, JsonObject parameters, CancellationToken cancellation)
        {
            using var call = new HttpRequestMessage(HttpMethod.Post, new Uri(_dataverse, "/api/data/v9.2/" + api))
            {
                Content = new StringContent(parameters.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            call.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(cancellation));
            call.Headers.Add("OData-MaxVersion", "4.0");
            call.Headers.Add("OData-Version", "4.0");
            using var response = await _http.SendAsync(call, cancellation);
            var body = await response.Content.ReadAsStringAsync(cancellation);
            if (response.IsSuccessStatusCode)
            {
                return Parse(body) as JsonObject ?? new JsonObject();
            }
            var message = Parse(body)?["error"]?["message"]?.GetValue<string>() ?? response.ReasonPhrase ?? "no message";
            throw new McpException(response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => "Dataverse did not accept your sign-in: sign in again.",
                HttpStatusCode.Forbidden => "You may not do this in Dataverse: " + message,
                HttpStatusCode.TooManyRequests => "Dataverse is busy (service protection limits): try again in a minute.",
                _ => message,
            });
        }

        /// <summary>A reference to a row as the Web API takes it in a custom API's parameters.</summary>
        public static JsonObject Reference(string table, Guid id) => new() { ["@odata.type"] = "Microsoft.Dynamics.CRM." + table, [table + "id"] = id.ToString() };

        private async Task<string> TokenAsync(CancellationToken cancellation)
        {
            var header = _request.HttpContext?.Request.Headers.Authorization.ToString() ?? "";
            if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                throw new McpException("No sign-in came with this request: connect to the MCP server with your organization account.");
            }
            try
            {
                var result = await _msal.AcquireTokenOnBehalfOf(_scopes, new UserAssertion(header["Bearer ".Length..].Trim())).ExecuteAsync(cancellation);
                return result.AccessToken;
            }
            catch (MsalServiceException exception)
            {
                throw new McpException($"Your sign-in could not be exchanged for Dataverse access ({exception.ErrorCode}): sign in again; if it persists, an administrator grants the MCP app Dataverse's user_impersonation permission.");
            }
        }

        private static JsonNode? Parse(string body)
        {
            try
            {
                return string.IsNullOrWhiteSpace(body) ? null : JsonNode.Parse(body);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        /// <summary>MSAL's calls go through the same HTTP client (and handler) as the Dataverse calls.</summary>
        private sealed class SharedHttpClient(HttpClient http) : IMsalHttpClientFactory
        {
            public HttpClient GetHttpClient() => http;
        }
    }
}
