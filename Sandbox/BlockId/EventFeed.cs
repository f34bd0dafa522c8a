using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;

namespace OneKosmos.Sandbox.BlockId
{
    /// <summary>
    /// The IDV events the tenant recorded, served as the reports events feed (blockid-protocol.md C.4): paged with pIndex (from 1)
    /// and pSize, filtered by a from/to window no older than 90 days and optionally by event_name.
    /// </summary>
    /// <remarks>
    /// 1Kosmos publishes neither the shape of an item nor an id per event; the simulator's items
    /// (<c>eventId, event_name, sessionId, ts</c>) are its own invention, so a poller must read them defensively. Which
    /// key the reports service uses is not published either: the simulator serves its own at /reports/publickeys.
    /// </remarks>
    internal sealed class EventFeed
    {
        private const string DateFormat = "yyyy-MM-dd HH:mm:ss.fff";
        private static readonly TimeSpan Window = TimeSpan.FromDays(90);

        private readonly ConcurrentQueue<(JsonNode Item, DateTimeOffset At)> _events = new();
        private int _sequence;

        /// <value>Serve pages without <c>page.total</c> (1Kosmos documents the field, but a poller must not depend on it).</value>
        public bool OmitTotal { get; set; }

        /// <value>Serve <c>page.total</c> as this text instead of a number: a hostile or broken feed.</value>
        public string? TotalAsText { get; set; }

        public void Record(string eventName, string sessionId, DateTimeOffset at) =>
            _events.Enqueue((new JsonObject
            {
                ["eventId"] = $"sim-evt-{System.Threading.Interlocked.Increment(ref _sequence)}",
                ["event_name"] = eventName,
                ["sessionId"] = sessionId,
                ["ts"] = at.ToUnixTimeMilliseconds(),
            }, at));

        /// <summary>An item exactly as given (malformed or hostile ones included, not even an object), served as recorded at <paramref name="at"/>.</summary>
        public void RecordRaw(JsonNode item, DateTimeOffset at) => _events.Enqueue((item, at));

        public (int Status, JsonObject Body) Page(JsonObject? request, DateTimeOffset now)
        {
            var from = Date((string?)request?["from"]);
            var to = Date((string?)request?["to"]) ?? now;
            var errors = new JsonArray();
            if (from is null || from < now - Window)
            {
                errors.Add(new JsonObject { ["message"] = "Field should be from current time to minus 90 days", ["param"] = "from" });
            }
            if (from is not null && to < from)
            {
                errors.Add(new JsonObject { ["message"] = "Date 'to' must be after or equal to 'from'", ["param"] = "to" });
            }
            if (errors.Count > 0)
            {
                return (400, new JsonObject { ["errors"] = errors });
            }
            var size = Math.Clamp((int?)request?["pSize"] ?? 10, 1, 100);
            var index = Math.Max((int?)request?["pIndex"] ?? 1, 1);
            var name = (string?)request?["query"]?["event_name"];
            var matching = _events
                .Where(recorded => name is null || ((recorded.Item as JsonObject)?["event_name"] as JsonValue)?.ToString() == name)
                .Where(recorded => recorded.At >= from!.Value && recorded.At <= to)
                .Select(recorded => recorded.Item)
                .ToList();
            var page = new JsonArray(matching.Skip((index - 1) * size).Take(size).Select(item => (JsonNode)item.DeepClone()).ToArray());
            var pageInfo = new JsonObject { ["pSize"] = size, ["pIndex"] = index };
            if (!OmitTotal)
            {
                pageInfo["total"] = TotalAsText is { } text ? JsonValue.Create(text) : JsonValue.Create(matching.Count);
            }
            return (200, new JsonObject { ["page"] = pageInfo, ["data"] = page });
        }

        private static DateTimeOffset? Date(string? text) =>
            DateTimeOffset.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : null;
    }
}
