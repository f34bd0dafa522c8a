using System;
using System.Collections.Generic;
using System.Linq;
using System.ServiceModel;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Sandbox.Dataverse;
using OneKosmos.Sandbox.Host.WebApi;
using static OneKosmos.Sandbox.Host.WebApi.DataverseWebApi;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Host.Site
{
    /// <summary>
    /// The Power Pages Web API (/_api) as a site serves it, on the package's own table permissions and site settings: a table
    /// the Webapi/{table}/enabled setting turns on, only the columns Webapi/{table}/fields lists, each operation only where a
    /// table permission of the signed-in user's web roles grants it in its scope, writes only with the anti-forgery token. It
    /// runs as the site's application user. Microsoft's "Portals Web API overview" (operations, settings, table permissions)
    /// is the reference; the error codes are the sandbox's own.
    /// </summary>
    internal sealed class SiteWebApi
    {
        private static readonly Regex RowSegment = new(@"^(?<set>[a-z0-9_]+)\((?<id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        private readonly InMemoryDataverse _dataverse;
        private readonly SitePackage _package;
        private readonly SiteSessions _sessions;
        private readonly Guid _applicationUser;

        public SiteWebApi(InMemoryDataverse dataverse, SitePackage package, SiteSessions sessions, Guid applicationUser)
        {
            _dataverse = dataverse;
            _package = package;
            _sessions = sessions;
            _applicationUser = applicationUser;
        }

        private enum Operation
        {
            Read,
            Create,
            Write,
            Delete,
        }

        public void Map(IEndpointRouteBuilder routes)
        {
            routes.MapGet("/_api/{segment}", (HttpContext http, string segment) => Serve(http, segment, Operation.Read));
            routes.MapPost("/_api/{segment}", (HttpContext http, string segment) => Serve(http, segment, Operation.Create));
            routes.MapPatch("/_api/{segment}", (HttpContext http, string segment) => Serve(http, segment, Operation.Write));
            routes.MapDelete("/_api/{segment}", (HttpContext http, string segment) => Serve(http, segment, Operation.Delete));
        }

        private async Task<IResult> Serve(HttpContext http, string segment, Operation operation)
        {
            var user = _sessions.Of(http);
            if (operation != Operation.Read && (user is null || http.Request.Headers["__RequestVerificationToken"].ToString() != user.Token))
            {
                return Error(StatusCodes.Status403Forbidden, "90040107", "The anti-forgery token is missing or not this session's: send __RequestVerificationToken from the page's token.");
            }
            var row = RowSegment.Match(segment);
            var set = row.Success ? row.Groups["set"].Value : segment;
            var table = DataverseWebApi.TableOf(_dataverse.Metadata, set);
            if (table is null || !_package.Enabled(table.LogicalName))
            {
                return Error(StatusCodes.Status403Forbidden, "90040100", $"The site's Web API does not serve '{set}': its Webapi/<table>/enabled site setting is not true.");
            }
            if (user is null)
            {
                return Error(StatusCodes.Status403Forbidden, "90040102", $"No table permission lets an anonymous visitor use {table.LogicalName}: sign in.");
            }
            var fields = _package.Fields(table.LogicalName);
            var access = AccessTo(table, user);
            var service = _dataverse.CreateOrganizationService(_applicationUser);
            try
            {
                return operation switch
                {
                    Operation.Read when row.Success => ReadRow(http, service, access, fields, Guid.Parse(row.Groups["id"].Value)),
                    Operation.Read => ReadRows(http, service, access, fields),
                    Operation.Create when !row.Success => await Create(http, service, access, fields),
                    Operation.Write when row.Success => await Update(http, service, access, fields, Guid.Parse(row.Groups["id"].Value)),
                    Operation.Delete when row.Success => Delete(service, access, Guid.Parse(row.Groups["id"].Value)),
                    _ => Error(StatusCodes.Status405MethodNotAllowed, "90040110", $"{http.Request.Method} is not allowed on '{segment}'."),
                };
            }
            catch (FormatException exception)
            {
                return Error(StatusCodes.Status400BadRequest, "90040111", exception.Message);
            }
            catch (FaultException<OrganizationServiceFault> fault)
            {
                return Error(StatusCodes.Status400BadRequest, "90040112", fault.Detail.Message);
            }
        }

        private IResult ReadRows(HttpContext http, IOrganizationService service, SiteAccess access, IReadOnlySet<string> fields)
        {
            var select = Select(http, access.Table, fields);
            var query = ODataQuery.Translate(access.Table, select, http.Request.Query["$filter"], http.Request.Query["$orderby"], http.Request.Query["$top"]);
            if (!access.Scope(query, permission => permission.Read))
            {
                return Denied(access.Table.LogicalName, "read");
            }
            var rows = service.RetrieveMultiple(query).Entities;
            return Results.Json(new JsonObject { ["value"] = new JsonArray(rows.Select(found => (JsonNode)DataverseWebApi.RowJson(found)).ToArray()) });
        }

        private IResult ReadRow(HttpContext http, IOrganizationService service, SiteAccess access, IReadOnlySet<string> fields, Guid id)
        {
            var selected = ODataQuery.Translate(access.Table, Select(http, access.Table, fields), null, null, null).ColumnSet.Columns;
            // One read: the columns asked and those the scope is judged on; the latter leave before the answer unless asked.
            if (Stored(service, access, id, selected) is not { } stored || !access.Covers(stored, permission => permission.Read))
            {
                return NotFound(access.Table.LogicalName);
            }
            foreach (var column in access.ScopeColumns.Where(column => !selected.Contains(column) && column != access.Table.PrimaryIdAttribute))
            {
                stored.Attributes.Remove(column);
            }
            return Results.Json(DataverseWebApi.RowJson(stored));
        }

        private async Task<IResult> Create(HttpContext http, IOrganizationService service, SiteAccess access, IReadOnlySet<string> fields)
        {
            var entity = DataverseWebApi.EntityOf(access.Table, await Body(http), Guid.Empty);
            if (Unlisted(entity, fields) is { } column)
            {
                return ColumnRefused(access.Table.LogicalName, column);
            }
            if (!access.Covers(entity, permission => permission.Create) || !Appends(entity, access))
            {
                return Denied(access.Table.LogicalName, "create");
            }
            var id = service.Create(entity);
            http.Response.Headers["entityid"] = id.ToString();
            http.Response.Headers["OData-EntityId"] = $"{http.Request.Scheme}://{http.Request.Host}/_api/{DataverseWebApi.EntitySetOf(access.Table.LogicalName)}({id})";
            return Results.NoContent();
        }

        private async Task<IResult> Update(HttpContext http, IOrganizationService service, SiteAccess access, IReadOnlySet<string> fields, Guid id)
        {
            var entity = DataverseWebApi.EntityOf(access.Table, await Body(http), id);
            if (Unlisted(entity, fields) is { } column)
            {
                return ColumnRefused(access.Table.LogicalName, column);
            }
            if (Stored(service, access, id) is not { } stored || !access.Covers(stored, permission => permission.Read))
            {
                return NotFound(access.Table.LogicalName);
            }
            // The row must be the user's both as stored and as it would be written: a write cannot move a row out of their scope.
            if (!access.Covers(stored, permission => permission.Write) || !access.Covers(Merged(stored, entity), permission => permission.Write) || !Appends(entity, access))
            {
                return Denied(access.Table.LogicalName, "change");
            }
            service.Update(entity);
            return Results.NoContent();
        }

        private IResult Delete(IOrganizationService service, SiteAccess access, Guid id)
        {
            if (Stored(service, access, id) is not { } stored || !access.Covers(stored, permission => permission.Read))
            {
                return NotFound(access.Table.LogicalName);
            }
            if (!access.Covers(stored, permission => permission.Delete))
            {
                return Denied(access.Table.LogicalName, "delete");
            }
            service.Delete(access.Table.LogicalName, id);
            return Results.NoContent();
        }

        /// <summary>What the user's web roles grant on the table: its table permissions, for their contact.</summary>
        private SiteAccess AccessTo(TableMetadata table, SiteUser user) =>
            new(_package.Permissions.Where(permission => permission.Table == table.LogicalName && permission.WebRoles.Any(user.WebRoles.Contains)).ToList(), table, user);

        /// <summary>A lookup set on a write needs Append on the table and AppendTo on the row it points to, in scope.</summary>
        private bool Appends(Entity entity, SiteAccess access)
        {
            var lookups = entity.Attributes.Values.OfType<EntityReference>().ToList();
            return lookups.Count == 0 || access.Permissions.Any(permission => permission.Append) && lookups.All(target =>
                _dataverse.Metadata!.Table(target.LogicalName) is { } table
                && AccessTo(table, access.User).Covers(new Entity(target.LogicalName, target.Id), permission => permission.AppendTo));
        }

        private static Entity? Stored(IOrganizationService service, SiteAccess access, Guid id, IEnumerable<string>? more = null)
        {
            try
            {
                return service.Retrieve(access.Table.LogicalName, id, new ColumnSet(access.ScopeColumns.Union(more ?? Array.Empty<string>()).ToArray()));
            }
            catch (FaultException<OrganizationServiceFault>)
            {
                return null;
            }
        }

        private static Entity Merged(Entity stored, Entity change)
        {
            var merged = new Entity(stored.LogicalName, stored.Id);
            foreach (var pair in stored.Attributes.Concat(change.Attributes))
            {
                merged[pair.Key] = pair.Value;
            }
            return merged;
        }

        /// <summary>The columns to read: those asked, each in Webapi/{table}/fields (the row's id always); all listed when none are asked.</summary>
        private static string Select(HttpContext http, TableMetadata table, IReadOnlySet<string> fields)
        {
            var asked = http.Request.Query["$select"].ToString();
            if (asked.Length == 0)
            {
                return string.Join(",", fields.Where(column => column != "*").Append(table.PrimaryIdAttribute));
            }
            var refused = asked.Split(',', StringSplitOptions.TrimEntries)
                .Select(column => column.StartsWith('_') && column.EndsWith("_value", StringComparison.Ordinal) ? column[1..^"_value".Length] : column)
                .Where(column => column != table.PrimaryIdAttribute && !fields.Contains("*") && !fields.Contains(column))
                .ToList();
            return refused.Count == 0 ? asked : throw new FormatException($"The site's Web API does not read {string.Join(", ", refused)}: add it to the Webapi/{table.LogicalName}/fields site setting if the site should.");
        }

        private static string? Unlisted(Entity entity, IReadOnlySet<string> fields) =>
            fields.Contains("*") ? null : entity.Attributes.Keys.FirstOrDefault(column => !fields.Contains(column));

        private static async Task<JsonObject> Body(HttpContext http)
        {
            try
            {
                return await JsonNode.ParseAsync(http.Request.Body) as JsonObject ?? throw new FormatException("The body must be a JSON object.");
            }
            catch (System.Text.Json.JsonException exception)
            {
                throw new FormatException($"The body is not JSON: {exception.Message}");
            }
        }

        private static IResult Denied(string table, string what) =>
            Error(StatusCodes.Status403Forbidden, "90040102", $"You don't have permission to {what} this {table} row: no table permission of your web roles grants it in its scope.");

        private static IResult NotFound(string table) =>
            Error(StatusCodes.Status404NotFound, "90040104", $"No {table} row with that id is yours to see.");

        private static IResult ColumnRefused(string table, string column) =>
            Error(StatusCodes.Status403Forbidden, "90040103", $"The site's Web API does not write {table}.{column}: it is not in the Webapi/{table}/fields site setting.");

    }
}
