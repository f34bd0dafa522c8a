using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;
using OneKosmos.Core.BlockId;
using OneKosmos.Relay.Queue;

namespace OneKosmos.Relay.Polling
{
    /// <summary>Where the poller reads; bound from <c>Relay:BlockId</c>. The license key and DVC id come from the environment.</summary>
    public sealed class PollerOptions
    {
        public string TenantDns { get; set; } = "";

        public string Community { get; set; } = "";

        public string LicenseKey { get; set; } = "";

        public string DvcId { get; set; } = "";

        /// <value>Time between polls. Default 30 s.</value>
        public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

        /// <value>How far back the first poll reads. Default 1 day.</value>
        public TimeSpan FirstLookback { get; set; } = TimeSpan.FromDays(1);

        /// <value>Each poll re-reads this much before the last event seen, for events recorded late. Default 5 minutes; the queue and the API absorb the repeats.</value>
        public TimeSpan Overlap { get; set; } = TimeSpan.FromMinutes(5);

        /// <value>Items per page. Default 100 (the feed's largest).</value>
        public int PageSize { get; set; } = 100;

        public bool IsConfigured => TenantDns.Length > 0 && Community.Length > 0 && LicenseKey.Length > 0;
    }

    /// <summary>What one poll did.</summary>
    /// <remarks><c>RetryAfter</c>: 1Kosmos throttled the feed and asked for this long before the next read.</remarks>
    public sealed record PollReport(int Read, int Enqueued, bool Completed, DateTimeOffset From, DateTimeOffset To, TimeSpan? RetryAfter = null);

    /// <summary>
    /// Turns 1Kosmos' pull-only IDV events feed (blockid-protocol.md C.4) into notifications (docs/design.md §1b). It pages through the window
    /// since its cursor (less an overlap for events recorded late), enqueues one <c>blockid.idv</c> notification per event that names a session (a <c>reconcile</c> one for
    /// an event that names none, rather than dropping it), and moves the cursor only after a whole window was read: a
    /// failure or a restart re-reads, and the queue and the callback API absorb the repeats.
    /// </summary>
    /// <remarks>
    /// 1Kosmos publishes neither the shape of an item nor an event id. The names read here (<c>eventId</c>, <c>event_name</c>,
    /// <c>sessionId</c>, <c>ts</c> and their variants) are guesses shared with the simulator, which invents the same shape: a real
    /// tenant may differ, and then the poller still enqueues reconcile notifications, so nothing is lost.
    /// </remarks>
    public sealed class EventPoller
    {
        public const string CursorName = "blockid-events";

        /// <value>The feed serves at most 90 days back; the poller stays a minute inside.</value>
        public static readonly TimeSpan FeedWindow = TimeSpan.FromDays(90) - TimeSpan.FromMinutes(1);

        private readonly Func<BlockIdClient> _client;
        private readonly IRelayQueue _queue;
        private readonly ICursorStore _cursors;
        private readonly PollerOptions _options;
        private readonly TimeProvider _clock;
        private readonly RelayMetrics _metrics;
        private readonly ILogger _logger;

        public EventPoller(Func<BlockIdClient> client, IRelayQueue queue, ICursorStore cursors, PollerOptions options, TimeProvider clock, RelayMetrics metrics, ILogger<EventPoller> logger)
        {
            _client = client;
            _queue = queue;
            _cursors = cursors;
            _options = options;
            _clock = clock;
            _metrics = metrics;
            _logger = logger;
        }

        public async Task<PollReport> PollOnceAsync(CancellationToken cancellation)
        {
            var now = _clock.GetUtcNow();
            var cursor = await _cursors.ReadCursorAsync(CursorName, cancellation);
            var from = cursor is null ? now - _options.FirstLookback : DateTimeOffset.Parse(cursor, CultureInfo.InvariantCulture);
            if (from < now - FeedWindow)
            {
                _logger.LogWarning("The events cursor is older than the feed's 90 days; reading from {From:u} and asking for a reconcile to cover the gap.", now - FeedWindow);
                from = now - FeedWindow;
                await EnqueueAsync(Reconcile($"gap:{from.ToUnixTimeSeconds()}", now), cancellation);
            }
            var read = 0;
            var enqueued = 0;
            var client = _client();
            try
            {
                for (var page = 1; ; page++)
                {
                    var items = await Task.Run(() => client.FetchEvents(from, now, page, _options.PageSize), cancellation);
                    foreach (var item in items.Items)
                    {
                        read++;
                        if (Notification(item, now) is { } message && await EnqueueAsync(message, cancellation))
                        {
                            enqueued++;
                        }
                    }
                    foreach (var item in items.Unreadable)
                    {
                        read++;
                        _logger.LogWarning("The 1Kosmos events feed sent an item that is not an event object; it goes to the dead letters and the poll goes on.");
                        await EnqueueAsync(Unreadable(item, "the events feed sent an item that is not a JSON object", now), cancellation);
                    }
                    // Pages by what the feed returns: without a usable total, a full page means there may be more.
                    var count = items.Items.Count + items.Unreadable.Count;
                    var lastPage = items.Total is { } total ? page * _options.PageSize >= total : count < _options.PageSize;
                    if (count == 0 || lastPage)
                    {
                        break;
                    }
                }
            }
            catch (BlockIdException exception)
            {
                _logger.LogWarning("Reading the 1Kosmos events feed failed ({Failure}{Wait}); the window from {From:u} is read again next poll.", exception.Failure,
                    exception.RetryAfter is { } asked ? $", asked to wait {asked.TotalSeconds:0} s" : "", from);
                return new PollReport(read, enqueued, false, from, now, exception.Failure == BlockIdFailure.Throttled ? exception.RetryAfter : null);
            }
            var next = now - _options.Overlap;
            await _cursors.WriteCursorAsync(CursorName, (next > from ? next : from).ToString("O", CultureInfo.InvariantCulture), cancellation);
            _logger.LogInformation("Read {Read} events from 1Kosmos, enqueued {Enqueued}.", read, enqueued);
            return new PollReport(read, enqueued, true, from, now);
        }

        /// <summary>The notification for one feed item; null for an event that is not about identity verification.</summary>
        internal static RelayMessage? Notification(JObject item, DateTimeOffset now)
        {
            var name = Text(item, "event_name", "eventName", "name", "event") ?? "";
            if (!name.StartsWith("E_IDV_", StringComparison.Ordinal))
            {
                return null;
            }
            var occurredAt = Time(item) ?? now;
            var session = Text(item, "sessionId", "session_id", "sessionID") ?? Text(item["data"] as JObject, "sessionId", "session_id", "sessionID");
            var eventId = Text(item, "eventId", "event_id", "id", "_id");
            if (!IsPlausibleId(session) || !IsPlausibleId(eventId))
            {
                return Unreadable(item.ToString(Newtonsoft.Json.Formatting.None), $"the event's session id or event id is not an id (over {MaxIdLength} characters, or control characters)", now);
            }
            var id = "blockid-" + (eventId ?? Derived(item));
            if (session is null)
            {
                return Reconcile(id, occurredAt);
            }
            var body = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["type"] = "blockid.idv",
                ["id"] = id,
                ["sessionId"] = session,
                ["occurredAt"] = occurredAt.ToString("O", CultureInfo.InvariantCulture),
                ["data"] = new Dictionary<string, string> { ["event"] = name },
            });
            return new RelayMessage(id, MessageKind.Callback, session, body, now, Guid.NewGuid().ToString("N"));
        }

        /// <value>The longest id a feed item may carry; 1Kosmos' ids are GUIDs or 24-character object ids.</value>
        public const int MaxIdLength = 128;

        /// <value>How much of an unreadable item its dead letter keeps.</value>
        public const int KeptOfUnreadable = 2_000;

        private static bool IsPlausibleId(string? id) => id is null || (id.Length <= MaxIdLength && !id.Any(char.IsControl));

        /// <summary>
        /// A feed item the poller cannot turn into a notification, kept (cut to <see cref="KeptOfUnreadable"/> characters) for the
        /// dead letters with why: its id comes from its content, so the same item read again is the same dead letter.
        /// </summary>
        private static RelayMessage Unreadable(string item, string reason, DateTimeOffset now)
        {
            var body = JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["type"] = "unreadable",
                ["reason"] = reason,
                ["item"] = item.Length > KeptOfUnreadable ? item[..KeptOfUnreadable] : item,
            });
            var id = "blockid-unreadable-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(item)))[..32].ToLowerInvariant();
            return new RelayMessage(id, MessageKind.Unreadable, null, body, now, Guid.NewGuid().ToString("N"));
        }

        private static RelayMessage Reconcile(string id, DateTimeOffset at)
        {
            var body = JsonSerializer.Serialize(new Dictionary<string, object> { ["type"] = "reconcile", ["id"] = id, ["occurredAt"] = at.ToString("O", CultureInfo.InvariantCulture) });
            return new RelayMessage(id, MessageKind.Reconcile, null, body, at, Guid.NewGuid().ToString("N"));
        }

        private async Task<bool> EnqueueAsync(RelayMessage message, CancellationToken cancellation)
        {
            _metrics.Received.Add(1, new KeyValuePair<string, object?>("source", "poller"));
            if (!await _queue.EnqueueAsync(message, cancellation))
            {
                return false;
            }
            _metrics.Enqueued.Add(1);
            return true;
        }

        /// <remarks>An item without an id gets one from its own content: the same event read twice gets the same id.</remarks>
        private static string Derived(JObject item) =>
            Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(item.ToString(Newtonsoft.Json.Formatting.None))))[..32].ToLowerInvariant();

        /// <value>DateTimeOffset.MaxValue in Unix milliseconds: the last instant a time can name.</value>
        private const long MaxUnixMilliseconds = 253_402_300_799_999;

        private static DateTimeOffset? Time(JObject item)
        {
            foreach (var name in new[] { "ts", "timestamp", "createdTS", "eventTS", "created_at", "createdAt" })
            {
                switch (item[name])
                {
                    case JValue { Type: JTokenType.Integer, Value: long value }:
                        // Seconds or milliseconds; a value no calendar holds reads as no time at all.
                        var milliseconds = value < 0 ? -1 : value > 100_000_000_000 ? value : value * 1000;
                        if (milliseconds is >= 0 and <= MaxUnixMilliseconds)
                        {
                            return DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
                        }
                        break;
                    case JValue { Type: JTokenType.String } text when DateTimeOffset.TryParse((string?)text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed):
                        return parsed;
                }
            }
            return null;
        }

        private static string? Text(JObject? item, params string[] names) =>
            item is null ? null : names.Select(name => item[name]).OfType<JValue>().Where(value => value.Type == JTokenType.String && !string.IsNullOrWhiteSpace((string?)value)).Select(value => (string?)value).FirstOrDefault();
    }
}
