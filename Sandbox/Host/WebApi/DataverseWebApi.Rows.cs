using System;
using System.Globalization;
using System.Linq;
using System.ServiceModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Sandbox.Dataverse.Metadata;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Host.WebApi
{
    /// <summary>
    /// The row routes a model-driven app uses: <c>GET {set}({id})</c>, <c>POST {set}</c> (create: 204 with OData-EntityId, or
    /// 201 with the row for <c>Prefer: return=representation</c>), <c>PATCH {set}({id})</c> (an upsert, an update with
    /// <c>If-Match: *</c>, a concurrent update with an ETag) and the <c>WinOpportunity</c> action. Lookups are written with
    /// <c>column@odata.bind: "/{set}({id})"</c> (<c>customerid_contact@odata.bind</c> for a customer column).
    /// </summary>
    public sealed partial class DataverseWebApi
    {
        private const string WinOpportunity = "WinOpportunity";
        private const string BindSuffix = "@odata.bind";

        private static readonly Regex RowSegment = new(@"^(?<set>[A-Za-z0-9_]+)\((?<id>[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\)$", RegexOptions.CultureInvariant);

        private TableMetadata? TableOf(string entitySet) => TableOf(_dataverse.Metadata, entitySet);

        /// <summary>The table an entity set names (emails → email); null when the metadata has none.</summary>
        internal static TableMetadata? TableOf(SolutionMetadata? metadata, string? entitySet) =>
            metadata?.Tables.Values.FirstOrDefault(candidate => EntitySetOf(candidate.LogicalName) == entitySet);

        /// <summary>The row a binding names: "/{entity set}({id})" (the leading slash optional); null when it names none the metadata knows.</summary>
        internal static EntityReference? RowOf(SolutionMetadata? metadata, string binding) =>
            RowSegment.Match(binding.TrimStart('/')) is { Success: true } match && TableOf(metadata, match.Groups["set"].Value) is { } table
                ? new EntityReference(table.LogicalName, Guid.Parse(match.Groups["id"].Value))
                : null;

        private IResult ReadRow(HttpContext http, Guid caller, string entitySet, Guid id)
        {
            if (TableOf(entitySet) is not { } table)
            {
                return UnknownSegment(entitySet);
            }
            try
            {
                var service = _dataverse.CreateOrganizationService(caller);
                var columns = string.IsNullOrEmpty(http.Request.Query["$select"])
                    ? new ColumnSet(true)
                    : ODataQuery.Translate(table, http.Request.Query["$select"], null, null, null).ColumnSet;
                var row = service.Retrieve(table.LogicalName, id, columns);
                var json = Row(table, row, WantsAnnotations(http) ? service : null);
                json["@odata.context"] = $"{http.Request.Scheme}://{http.Request.Host}{Root}/$metadata#{entitySet}/$entity";
                return Results.Json(json);
            }
            catch (FormatException exception)
            {
                return Error(StatusCodes.Status400BadRequest, "0x80060888", exception.Message);
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                return Fault(fault);
            }
        }

        private async Task<IResult> CreateAsync(HttpContext http, Guid caller, TableMetadata table)
        {
            if (await BodyAsync(http) is not { } body)
            {
                return MalformedBody();
            }
            try
            {
                var service = _dataverse.CreateOrganizationService(caller);
                var id = service.Create(EntityOf(table, body, Guid.Empty));
                Executed?.Invoke($"Create of {table.LogicalName}");
                var location = $"{http.Request.Scheme}://{http.Request.Host}{Root}/{EntitySetOf(table.LogicalName)}({id})";
                http.Response.Headers["OData-EntityId"] = location;
                if (!http.Request.Headers["Prefer"].ToString().Contains("return=representation", StringComparison.OrdinalIgnoreCase))
                {
                    return Results.NoContent();
                }
                var json = Row(table, service.Retrieve(table.LogicalName, id, new ColumnSet(true)), WantsAnnotations(http) ? service : null);
                return Results.Json(json, statusCode: StatusCodes.Status201Created);
            }
            catch (FormatException exception)
            {
                return Error(StatusCodes.Status400BadRequest, "0x80048d19", exception.Message);
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                return Fault(fault);
            }
        }

        private async Task<IResult> PatchAsync(HttpContext http, string segment)
        {
            if (Caller(http) is not { } caller)
            {
                return Unauthenticated();
            }
            if (RowSegment.Match(segment) is not { Success: true } match || TableOf(match.Groups["set"].Value) is not { } table)
            {
                return UnknownSegment(segment);
            }
            if (await BodyAsync(http) is not { } body)
            {
                return MalformedBody();
            }
            try
            {
                var row = EntityOf(table, body, Guid.Parse(match.Groups["id"].Value));
                var service = _dataverse.CreateOrganizationService(caller);
                var ifMatch = http.Request.Headers.IfMatch.ToString();
                if (ifMatch.Length == 0)
                {
                    service.Execute(new UpsertRequest { Target = row });
                }
                else if (ifMatch == "*")
                {
                    service.Update(row);
                }
                else
                {
                    row.RowVersion = ifMatch.Replace("W/", "", StringComparison.Ordinal).Trim('"');
                    service.Execute(new UpdateRequest { Target = row, ConcurrencyBehavior = ConcurrencyBehavior.IfRowVersionMatches });
                }
                Executed?.Invoke($"Update of {table.LogicalName}");
                http.Response.Headers["OData-EntityId"] = $"{http.Request.Scheme}://{http.Request.Host}{Root}/{segment}";
                return Results.NoContent();
            }
            catch (FormatException exception)
            {
                return Error(StatusCodes.Status400BadRequest, "0x80048d19", exception.Message);
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                return Fault(fault);
            }
        }

        /// <summary>WinOpportunity: <c>{"Status": 3, "OpportunityClose": {"subject": …, "opportunityid@odata.bind": "/opportunities(…)"}}</c>.</summary>
        private async Task<IResult> WinAsync(HttpContext http, Guid caller)
        {
            if (await BodyAsync(http) is not { } body)
            {
                return MalformedBody();
            }
            if (body["OpportunityClose"] is not JsonObject close || _dataverse.Metadata?.Table("opportunityclose") is not { } closeTable)
            {
                return Error(StatusCodes.Status400BadRequest, "0x80048d19", "WinOpportunity needs OpportunityClose: the opportunityclose activity with opportunityid@odata.bind.");
            }
            try
            {
                var request = new OrganizationRequest("Win")
                {
                    ["OpportunityClose"] = EntityOf(closeTable, close, Guid.Empty),
                    ["Status"] = new OptionSetValue(body["Status"] is { } status ? status.GetValue<int>() : -1),
                };
                _dataverse.CreateOrganizationService(caller).Execute(request);
                Executed?.Invoke(WinOpportunity);
                return Results.NoContent();
            }
            catch (Exception exception) when (exception is FormatException or InvalidOperationException)
            {
                return Error(StatusCodes.Status400BadRequest, "0x80048d19", exception.Message);
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                return Fault(fault);
            }
        }

        /// <summary>The row a JSON body describes, each value converted to the SDK type its column takes.</summary>
        /// <exception cref="FormatException">A property names no column, or its value is not of the column's type; the message names it.</exception>
        internal static Entity EntityOf(TableMetadata table, JsonObject body, Guid id)
        {
            var row = id == Guid.Empty ? new Entity(table.LogicalName) : new Entity(table.LogicalName, id);
            foreach (var (name, value) in body)
            {
                if (name.EndsWith(BindSuffix, StringComparison.Ordinal))
                {
                    var (column, reference) = Binding(table, name[..^BindSuffix.Length], value);
                    row[column] = reference;
                    continue;
                }
                if (name.Contains('@', StringComparison.Ordinal))
                {
                    continue;
                }
                var metadata = table.Column(name) ?? throw new FormatException($"The property '{name}' does not exist on type 'Microsoft.Dynamics.CRM.{table.LogicalName}'.");
                if (metadata.Type == ColumnType.Lookup)
                {
                    throw new FormatException($"A lookup is written with {name}{BindSuffix}: \"/<entity set>(<id>)\".");
                }
                try
                {
                    row[name] = ValueOf(metadata, value);
                }
                catch (Exception exception) when (exception is InvalidOperationException or FormatException)
                {
                    throw new FormatException($"Cannot convert the value of '{name}' to the type of the column ({metadata.Type}).");
                }
            }
            return row;
        }

        private static object? ValueOf(ColumnMetadata column, JsonNode? value) => value is null ? null : column.Type switch
        {
            ColumnType.String => value.GetValue<string>(),
            ColumnType.Integer => value.GetValue<int>(),
            ColumnType.BigInt => value.GetValue<long>(),
            ColumnType.Decimal => value.GetValue<decimal>(),
            ColumnType.Double => value.GetValue<double>(),
            ColumnType.Money => new Money(value.GetValue<decimal>()),
            ColumnType.Boolean => value.GetValue<bool>(),
            ColumnType.DateTime => DateTime.Parse(value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
            ColumnType.Choice => new OptionSetValue(value.GetValue<int>()),
            ColumnType.PrimaryKey or ColumnType.UniqueIdentifier => Guid.Parse(value.GetValue<string>()),
            _ => throw new FormatException($"The sandbox Web API does not write {column.Type} columns."),
        };

        /// <summary><c>parentcontactid@odata.bind: "/contacts(…)"</c>, or <c>customerid_contact@odata.bind</c> for a customer column.</summary>
        private static (string Column, EntityReference? Reference) Binding(TableMetadata table, string property, JsonNode? value)
        {
            // A lookup's navigation property is named as its schema name on some tables (customapi's PluginTypeId,
            // environmentvariablevalue's EnvironmentVariableDefinitionId) and in lower case on others.
            var column = (table.Column(property) ?? table.Column(property.ToLowerInvariant()))?.LogicalName
                ?? (property.LastIndexOf('_') is var split and > 0 && table.Column(property[..split]) is { } customer ? customer.LogicalName : null)
                ?? throw new FormatException($"The navigation property '{property}' does not exist on type 'Microsoft.Dynamics.CRM.{table.LogicalName}'.");
            if (value is null)
            {
                return (column, null);
            }
            var target = value.GetValue<string>().TrimStart('/');
            if (RowSegment.Match(target) is not { Success: true } match)
            {
                throw new FormatException($"{property}{BindSuffix} must name a row as \"/<entity set>(<id>)\", not '{target}'.");
            }
            var set = match.Groups["set"].Value;
            var targetTable = table.Column(column)!.Targets.FirstOrDefault(candidate => EntitySetOf(candidate) == set)
                ?? throw new FormatException($"{property} cannot point to a row of '{set}'.");
            return (column, new EntityReference(targetTable, Guid.Parse(match.Groups["id"].Value)));
        }

        /// <remarks>Read as the caller: a name the caller may not read is left out, as Dataverse leaves the annotation out.</remarks>
        private string? NameOf(IOrganizationService service, EntityReference reference)
        {
            if (_dataverse.Metadata?.Table(reference.LogicalName)?.PrimaryNameAttribute is not { } column)
            {
                return null;
            }
            try
            {
                return service.Retrieve(reference.LogicalName, reference.Id, new ColumnSet(column)).GetAttributeValue<string>(column);
            }
            catch (FaultException<OrganizationServiceFault>)
            {
                return null;
            }
        }

        private static bool WantsAnnotations(HttpContext http) =>
            http.Request.Headers["Prefer"].ToString().Contains("odata.include-annotations", StringComparison.OrdinalIgnoreCase);

        /// <returns>The body as a JSON object; null when it is not one.</returns>
        private static async Task<JsonObject?> BodyAsync(HttpContext http)
        {
            try
            {
                return http.Request.ContentLength == 0
                    ? new JsonObject()
                    : await JsonSerializer.DeserializeAsync<JsonNode>(http.Request.Body, cancellationToken: http.RequestAborted) as JsonObject;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private static IResult MalformedBody() =>
            Error(StatusCodes.Status400BadRequest, "0x80048d19", "Error identified in Payload provided by the user: the body is not a JSON object.");

        private static IResult Unauthenticated() =>
            Error(StatusCodes.Status401Unauthorized, "0x80072560", "The user is not authenticated: send a bearer token the environment issued.");

        private static IResult UnknownSegment(string segment) =>
            Error(StatusCodes.Status404NotFound, "0x80060888", $"Resource not found for the segment '{segment}'.");
    }
}
