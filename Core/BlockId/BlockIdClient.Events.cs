using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace OneKosmos.Core.BlockId
{
    /// <summary>One page of the tenant's IDV events feed: the items as 1Kosmos sent them, and how many the window holds.</summary>
    public sealed class EventsPage
    {
        public EventsPage(int? total, IReadOnlyList<JObject> items, IReadOnlyList<string>? unreadable = null)
        {
            Total = total;
            Items = items;
            Unreadable = unreadable ?? new List<string>();
        }

        /// <value>How many events the window holds; null when the page does not say (no <c>page.total</c>, or not a whole number).</value>
        public int? Total { get; }

        public IReadOnlyList<JObject> Items { get; }

        /// <value>Items of the list that are not JSON objects, as sent: no event can be read from them.</value>
        public IReadOnlyList<string> Unreadable { get; }
    }

    /// <summary>The reports service's events feed (blockid-protocol.md C.4): the relay's poller reads it; the plug-ins never call it.</summary>
    public sealed partial class BlockIdClient
    {
        private const string FeedDateFormat = "yyyy-MM-dd HH:mm:ss.fff";

        /// <summary>Page <paramref name="pageIndex"/> (from 1) of the IDV events between <paramref name="from"/> and <paramref name="to"/>.</summary>
        /// <exception cref="BlockIdException">1Kosmos refused, failed or answered nonsense.</exception>
        public EventsPage FetchEvents(DateTimeOffset from, DateTimeOffset to, int pageIndex, int pageSize)
        {
            var reports = ServiceOf("reports", "reports and events");
            var community = Community();
            var credentials = new RequestCredentials(_keys, reports.PublicKey, _connection.LicenseKey, _clock, _random);
            var body = new
            {
                pSize = pageSize,
                pIndex = pageIndex,
                from = from.UtcDateTime.ToString(FeedDateFormat, CultureInfo.InvariantCulture),
                to = to.UtcDateTime.ToString(FeedDateFormat, CultureInfo.InvariantCulture),
            };
            var response = _http.Send(HttpMethod.Post, $"{reports.Url}/tenant/{(string?)community["tenantId"]}/community/{(string?)community["id"]}/events",
                "reading the IDV events feed", credentials.NewHeaders(), body);
            if (response["data"] is not JArray items)
            {
                throw new BlockIdException(BlockIdFailure.Malformed, "1Kosmos' events feed answered without a data list.");
            }
            var total = response["page"]?["total"] is JValue { Type: JTokenType.Integer, Value: long count } && count is >= 0 and <= int.MaxValue ? (int)count : (int?)null;
            return new EventsPage(total, items.OfType<JObject>().ToList(),
                items.Where(item => item is not JObject).Select(item => item.ToString(Formatting.None)).ToList());
        }
    }
}
