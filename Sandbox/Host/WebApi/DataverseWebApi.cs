using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.ServiceModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Sandbox.Dataverse;
using OneKosmos.Sandbox.Dataverse.Metadata;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Host.WebApi
{
    /// <summary>
    /// The Dataverse Web API over the in-memory Dataverse, as far as the product and the sandbox's browser UI call it:
    /// <c>POST /api/data/v9.2/{custom API}</c>, <c>GET /api/data/v9.2/{entity set}</c> with <c>$select</c>, <c>$filter</c>,
    /// <c>$orderby</c> and <c>$top</c>, and the row routes (DataverseWebApi.Rows.cs),
    /// with the JSON Dataverse takes and gives (parameters by their custom API types, entity references as
    /// <c>{"@odata.type": "Microsoft.Dynamics.CRM.contact", "contactid": …}</c>, errors as <c>{"error": {"code", "message"}}</c>).
    /// Every call needs a bearer token the host knows.
    /// </summary>
    public sealed partial class DataverseWebApi
    {
        public const string Root = "/api/data/v9.2";

        private readonly InMemoryDataverse _dataverse;
        private readonly Func<string, Guid?> _callerOf;
        private int _throttled;
        private TimeSpan _retryAfter;

        /// <param name="dataverse">The environment the API serves.</param>
        /// <param name="callerOf">The user a bearer token stands for (the system user's id for an application user); null refuses the token.</param>
        public DataverseWebApi(InMemoryDataverse dataverse, Func<string, Guid?> callerOf)
        {
            _dataverse = dataverse;
            _callerOf = callerOf;
        }

        /// <summary>The next <paramref name="calls"/> calls answer 429 with Retry-After, as Dataverse's service protection does.</summary>
        public void Throttle(int calls, TimeSpan retryAfter)
        {
            _retryAfter = retryAfter;
            Interlocked.Exchange(ref _throttled, calls);
        }

        /// <value>
        /// The service protection limits the API enforces per user, as Dataverse does on every external request; null turns them
        /// off (a measurement of the sandbox's own speed). Default: the documented limits. A test may switch them at any time.
        /// </value>
        public ServiceProtection? ServiceProtection { get; set; } = new(ServiceProtectionLimits.Documented);

        /// <summary>Raised with the message name after Dataverse executed a request and before the answer is sent: where a test cuts the line.</summary>
        public event Action<string>? Executed;

        /// <remarks>
        /// Requests take turns before they reach the in-memory Dataverse (which runs one at a time anyway): waiting here is
        /// asynchronous, where waiting on its lock would block a thread each and starve the thread pool under load.
        /// </remarks>
        public void Map(IEndpointRouteBuilder routes)
        {
            var api = routes.MapGroup("");
            api.AddEndpointFilter(async (context, next) =>
            {
                var protection = ServiceProtection;
                var user = protection is null ? null : Caller(context.HttpContext);
                if (user is { } limited && protection!.Enter(limited) is { } refusal)
                {
                    return Refused(context.HttpContext, refusal);
                }
                var executing = 0L;
                try
                {
                    await _turns.WaitAsync(context.HttpContext.RequestAborted);
                    try
                    {
                        executing = Stopwatch.GetTimestamp();
                        return await next(context);
                    }
                    finally
                    {
                        _turns.Release();
                    }
                }
                finally
                {
                    if (user is { } ended)
                    {
                        // Only the time the request ran counts: waiting for its turn is the sandbox's, not the platform's.
                        protection!.Leave(ended, executing == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(executing));
                    }
                }
            });
            api.MapPost(Root + "/{message}", PostAsync);
            api.MapGet(Root + "/{entitySet}", Read);
            api.MapPatch(Root + "/{segment}", PatchAsync);
        }

        private readonly SemaphoreSlim _turns = new(1, 1);

        /// <summary>The entity set name Dataverse gives a table: its logical name in the plural (…y → …ies, else +s).</summary>
        public static string EntitySetOf(string logicalName) =>
            logicalName.EndsWith('y') ? logicalName[..^1] + "ies" : logicalName + "s";

        /// <remarks>Rows are read as the caller, so security roles and field security apply exactly as for the SDK.</remarks>
        private IResult Read(HttpContext http, string entitySet)
        {
            if (Caller(http) is not { } caller)
            {
                return Unauthenticated();
            }
            if (RowSegment.Match(entitySet) is { Success: true } row)
            {
                return ReadRow(http, caller, row.Groups["set"].Value, Guid.Parse(row.Groups["id"].Value));
            }
            var table = TableOf(entitySet);
            if (table is null)
            {
                return UnknownSegment(entitySet);
            }
            var unsupported = http.Request.Query.Keys.Where(key => key.StartsWith('$') && key is not ("$select" or "$filter" or "$orderby" or "$top")).ToList();
            if (unsupported.Count > 0)
            {
                return Error(StatusCodes.Status400BadRequest, "0x80060888", $"The sandbox Web API does not support {string.Join(", ", unsupported)}.");
            }
            QueryExpression query;
            try
            {
                query = ODataQuery.Translate(table, http.Request.Query["$select"], http.Request.Query["$filter"], http.Request.Query["$orderby"], http.Request.Query["$top"]);
            }
            catch (FormatException exception)
            {
                return Error(StatusCodes.Status400BadRequest, "0x80060888", exception.Message);
            }
            try
            {
                var service = _dataverse.CreateOrganizationService(caller);
                var rows = service.RetrieveMultiple(query).Entities;
                var names = WantsAnnotations(http) ? service : null;
                var value = new JsonArray(rows.Select(row => (JsonNode)Row(table, row, names)).ToArray());
                return Results.Json(new JsonObject
                {
                    ["@odata.context"] = $"{http.Request.Scheme}://{http.Request.Host}{Root}/$metadata#{entitySet}",
                    ["value"] = value,
                });
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                return Fault(fault);
            }
        }

        /// <remarks>
        /// With <c>names</c> (the caller asked for annotations with Prefer: odata.include-annotations), lookups carry the
        /// name of the row they point to.
        /// </remarks>
        private JsonObject Row(TableMetadata table, Entity row, IOrganizationService? names = null) =>
            RowJson(row, names is null ? null : reference => NameOf(names, reference));

        /// <summary>A row as the Web API writes it: lookups as _{column}_value with their table, choices and money as numbers.</summary>
        /// <param name="row">The row.</param>
        /// <param name="nameOf">When given, the name of the row a lookup points to (the formatted value annotation).</param>
        internal static JsonObject RowJson(Entity row, Func<EntityReference, string?>? nameOf = null)
        {
            var json = new JsonObject { ["@odata.etag"] = $"W/\"{row.RowVersion}\"" };
            foreach (var pair in row.Attributes)
            {
                if (pair.Value is EntityReference reference)
                {
                    json[$"_{pair.Key}_value"] = reference.Id.ToString();
                    json[$"_{pair.Key}_value@Microsoft.Dynamics.CRM.lookuplogicalname"] = reference.LogicalName;
                    if (nameOf?.Invoke(reference) is { } name)
                    {
                        json[$"_{pair.Key}_value@OData.Community.Display.V1.FormattedValue"] = name;
                    }
                }
                else
                {
                    json[pair.Key] = Json(pair.Value switch
                    {
                        OptionSetValue option => option.Value,
                        Money money => money.Value,
                        var other => other,
                    });
                }
            }
            return json;
        }

        private Guid? Caller(HttpContext http)
        {
            var header = http.Request.Headers.Authorization.ToString();
            return header.StartsWith("Bearer ", StringComparison.Ordinal) ? _callerOf(header["Bearer ".Length..]) : null;
        }

        private static IResult Fault(FaultException<OrganizationServiceFault> fault)
        {
            var status = fault.Detail.ErrorCode switch
            {
                DataverseErrorCodes.PrivilegeDenied or DataverseErrorCodes.AccessDenied => StatusCodes.Status403Forbidden,
                DataverseErrorCodes.ObjectDoesNotExist => StatusCodes.Status404NotFound,
                DataverseErrorCodes.ConcurrencyVersionMismatch => StatusCodes.Status412PreconditionFailed,
                _ => StatusCodes.Status400BadRequest,
            };
            return Error(status, "0x" + fault.Detail.ErrorCode.ToString("x8", CultureInfo.InvariantCulture), fault.Detail.Message);
        }

        /// <summary>A POST is a create when it names an entity set, a platform action (WinOpportunity), else a custom API.</summary>
        private async Task<IResult> PostAsync(HttpContext http, string message)
        {
            if (Caller(http) is not { } caller)
            {
                return Unauthenticated();
            }
            if (Interlocked.Decrement(ref _throttled) >= 0)
            {
                return Refused(http, new ServiceProtectionRefusal(ServiceProtection.RequestsCode,
                    "Number of requests exceeded the limit of 6000 over time window of 300 seconds.", _retryAfter));
            }
            if (TableOf(message) is { } table)
            {
                return await CreateAsync(http, caller, table);
            }
            if (message == WinOpportunity)
            {
                return await WinAsync(http, caller);
            }
            return await ExecuteAsync(http, caller, message);
        }

        private async Task<IResult> ExecuteAsync(HttpContext http, Guid caller, string message)
        {
            var api = _dataverse.Metadata?.CustomApis.FirstOrDefault(candidate => string.Equals(candidate.UniqueName, message, StringComparison.OrdinalIgnoreCase));
            if (api is null)
            {
                return PlatformActions.TryGetValue(message, out var parameters) ? await PlatformActionAsync(http, caller, message, parameters) : UnknownSegment(message);
            }
            if (await BodyAsync(http) is not { } body)
            {
                return MalformedBody();
            }
            var request = new OrganizationRequest(api.UniqueName);
            foreach (var (name, value) in body)
            {
                var parameter = api.RequestParameters.FirstOrDefault(field => field.UniqueName == name);
                if (parameter is null)
                {
                    return Error(StatusCodes.Status400BadRequest, "0x80048d19", $"The parameter '{name}' in the request payload is not a valid parameter for the operation '{api.UniqueName}'.");
                }
                try
                {
                    request[name] = ValueOf(parameter, value)!;
                }
                catch (Exception exception) when (exception is FormatException or InvalidOperationException or JsonException)
                {
                    return Error(StatusCodes.Status400BadRequest, "0x80048d19", $"Cannot convert the value of '{name}' to {parameter.TypeName}.");
                }
            }
            try
            {
                return Answer(http, api.UniqueName, _dataverse.CreateOrganizationService(caller).Execute(request));
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                return Fault(fault);
            }
        }

        /// <summary>
        /// The platform actions a deployment calls, with their parameters' types (Microsoft's Web API action reference:
        /// ImportSolutionAsync, StageAndUpgradeAsync, AddSolutionComponent, PublishAllXml). A file travels as base64.
        /// </summary>
        private static readonly Dictionary<string, Dictionary<string, Func<JsonNode, object>>> PlatformActions = new(StringComparer.Ordinal)
        {
            ["ImportSolutionAsync"] = SolutionImportParameters(),
            ["StageAndUpgradeAsync"] = SolutionImportParameters(),
            ["AddSolutionComponent"] = new(StringComparer.Ordinal)
            {
                ["ComponentId"] = value => Guid.Parse(value.GetValue<string>()),
                ["ComponentType"] = value => value.GetValue<int>(),
                ["SolutionUniqueName"] = value => value.GetValue<string>(),
                ["AddRequiredComponents"] = value => value.GetValue<bool>(),
                ["DoNotIncludeSubcomponents"] = value => value.GetValue<bool>(),
            },
            ["PublishAllXml"] = new(StringComparer.Ordinal),
        };

        private static Dictionary<string, Func<JsonNode, object>> SolutionImportParameters() => new(StringComparer.Ordinal)
        {
            ["CustomizationFile"] = value => Convert.FromBase64String(value.GetValue<string>()),
            ["OverwriteUnmanagedCustomizations"] = value => value.GetValue<bool>(),
            ["PublishWorkflows"] = value => value.GetValue<bool>(),
            ["ConvertToManaged"] = value => value.GetValue<bool>(),
            ["SkipProductUpdateDependencies"] = value => value.GetValue<bool>(),
        };

        private async Task<IResult> PlatformActionAsync(HttpContext http, Guid caller, string message, Dictionary<string, Func<JsonNode, object>> parameters)
        {
            if (await BodyAsync(http) is not { } body)
            {
                return MalformedBody();
            }
            var request = new OrganizationRequest(message);
            foreach (var (name, value) in body)
            {
                if (!parameters.TryGetValue(name, out var convert))
                {
                    return Error(StatusCodes.Status400BadRequest, "0x80048d19", $"The parameter '{name}' in the request payload is not a valid parameter for the operation '{message}'.");
                }
                try
                {
                    request[name] = value is null ? null! : convert(value);
                }
                catch (Exception exception) when (exception is FormatException or InvalidOperationException)
                {
                    return Error(StatusCodes.Status400BadRequest, "0x80048d19", $"Cannot convert the value of '{name}' for {message}.");
                }
            }
            try
            {
                var response = _dataverse.CreateOrganizationService(caller).Execute(request);
                return response.Results.Count == 0 ? AnsweredWithoutBody(message) : Answer(http, message, response);
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                return Fault(fault);
            }
        }

        /// <summary>An action's answer as the Web API gives it: its response properties, typed as JSON, under the response's context.</summary>
        private IResult Answer(HttpContext http, string message, OrganizationResponse response)
        {
            Executed?.Invoke(message);
            var result = new JsonObject { ["@odata.context"] = $"{http.Request.Scheme}://{http.Request.Host}{Root}/$metadata#Microsoft.Dynamics.CRM.{message}Response" };
            foreach (var pair in response.Results)
            {
                result[pair.Key] = Json(pair.Value);
            }
            return Results.Json(result);
        }

        private IResult AnsweredWithoutBody(string message)
        {
            Executed?.Invoke(message);
            return Results.NoContent();
        }

        /// <summary>A custom API parameter's JSON value as the SDK type its definition names (a choice by its number, money by its amount).</summary>
        internal static object? ValueOf(CustomApiField field, JsonNode? value) => value is null ? null : field.Type switch
        {
            0 => value.GetValue<bool>(),
            1 => DateTime.Parse(value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
            2 => value.GetValue<decimal>(),
            5 => Reference(value.AsObject()),
            6 => value.GetValue<double>(),
            7 => value.GetValue<int>(),
            8 => new Money(value.GetValue<decimal>()),
            9 => new OptionSetValue(value.GetValue<int>()),
            10 => value.GetValue<string>(),
            12 => Guid.Parse(value.GetValue<string>()),
            _ => throw new NotSupportedException($"The sandbox Web API does not convert {field.TypeName} parameters yet."),
        };

        /// <remarks>An entity reference travels as the row with its type annotation and primary key.</remarks>
        private static EntityReference Reference(JsonObject value)
        {
            var type = (string?)value["@odata.type"] ?? throw new FormatException("no @odata.type");
            var table = type.StartsWith("Microsoft.Dynamics.CRM.", StringComparison.Ordinal) ? type["Microsoft.Dynamics.CRM.".Length..] : type.TrimStart('#');
            return new EntityReference(table, Guid.Parse((string?)value[table + "id"] ?? throw new FormatException($"no {table}id")));
        }

        private static JsonNode? Json(object? value) => value switch
        {
            null => null,
            Guid id => JsonValue.Create(id.ToString()),
            DateTime time => JsonValue.Create(DateTime.SpecifyKind(time, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)),
            EntityReference reference => new JsonObject { ["@odata.type"] = "Microsoft.Dynamics.CRM." + reference.LogicalName, [reference.LogicalName + "id"] = reference.Id.ToString() },
            bool flag => JsonValue.Create(flag),
            int number => JsonValue.Create(number),
            decimal number => JsonValue.Create(number),
            double number => JsonValue.Create(number),
            string text => JsonValue.Create(text),
            _ => JsonValue.Create(value.ToString()),
        };

        /// <summary>A service protection refusal as the Web API sends it: 429, Retry-After in seconds, the limit's code and message.</summary>
        private static IResult Refused(HttpContext http, ServiceProtectionRefusal refusal)
        {
            http.Response.Headers.RetryAfter = refusal.RetryAfterSeconds;
            return Error(StatusCodes.Status429TooManyRequests, refusal.Code, refusal.Message);
        }

        /// <summary>An error as the Web API answers it: {"error": {"code", "message"}} with the status.</summary>
        internal static IResult Error(int status, string code, string message) =>
            Results.Json(new { error = new { code, message } }, statusCode: status);
    }
}
