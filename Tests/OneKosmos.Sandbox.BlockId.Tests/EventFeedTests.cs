using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace OneKosmos.Sandbox.BlockId.Tests
{
    /// <summary>The IDV events feed the relay polls: paging, the 90-day window, filters, credentials.</summary>
    [TestClass]
    public sealed class EventFeedTests
    {
        private const string Feed = "/reports/tenant/sim-tenant/community/sim-community/events";

        private readonly BlockIdSimulator _simulator = new();
        private readonly ServerCrypto _caller = new();

        private Dictionary<string, string> Headers(string service, string? licenseKey = null)
        {
            var key = (string)JsonNode.Parse(_simulator.Handle(new SimulatorRequest("GET", $"/{service}/publickeys", new Dictionary<string, string>(), "")).Body)!["publicKey"]!;
            return new Dictionary<string, string>
            {
                ["publickey"] = _caller.PublicKey,
                ["licensekey"] = _caller.Seal(key, licenseKey ?? _simulator.Options.LicenseKey),
                ["requestid"] = _caller.Seal(key, new JsonObject { ["ts"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["uuid"] = Guid.NewGuid().ToString(), ["appid"] = "test" }.ToJsonString()),
            };
        }

        private string NewSession()
        {
            var key = (string)JsonNode.Parse(_simulator.Handle(new SimulatorRequest("GET", "/docuverify/publickeys", new Dictionary<string, string>(), "")).Body)!["publicKey"]!;
            var body = new JsonObject { ["dvcID"] = _simulator.Options.DvcId, ["sessionRequest"] = new JsonObject { ["documentType"] = "dl_object" } };
            var answer = _simulator.Handle(new SimulatorRequest("POST", "/docuverify/document_share_session/create", Headers("docuverify"), new JsonObject { ["data"] = _caller.Seal(key, body.ToJsonString()) }.ToJsonString()));
            return (string)JsonNode.Parse(answer.Body)!["sessionId"]!;
        }

        private SimulatorResponse Page(int index, int size, DateTimeOffset from, string? eventName = null, string? licenseKey = null)
        {
            var body = new JsonObject { ["pSize"] = size, ["pIndex"] = index, ["from"] = from.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff"), ["to"] = DateTimeOffset.UtcNow.AddMinutes(1).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff") };
            if (eventName is not null)
            {
                body["query"] = new JsonObject { ["event_name"] = eventName };
            }
            return _simulator.Handle(new SimulatorRequest("POST", Feed, Headers("reports", licenseKey), body.ToJsonString()));
        }

        [TestMethod]
        public void Feed_PagesThroughTheEventsOfSessions()
        {
            var session = NewSession();
            _simulator.Complete(session, CaptureOutcome.PassWithSelfie);

            var first = JsonNode.Parse(Page(1, 1, DateTimeOffset.UtcNow.AddHours(-1)).Body)!;
            var second = JsonNode.Parse(Page(2, 1, DateTimeOffset.UtcNow.AddHours(-1)).Body)!;

            Assert.AreEqual(2, (int)first["page"]!["total"]!);
            Assert.AreEqual("E_IDV_INITIALIZATION", (string?)first["data"]![0]!["event_name"]);
            Assert.AreEqual("E_IDV_DOCUMENT_VALIDATE", (string?)second["data"]![0]!["event_name"]);
            Assert.AreEqual(session, (string?)second["data"]![0]!["sessionId"]);
        }

        [TestMethod]
        public void Feed_FiltersByEventName()
        {
            _simulator.Complete(NewSession(), CaptureOutcome.Abandon);

            var page = JsonNode.Parse(Page(1, 10, DateTimeOffset.UtcNow.AddHours(-1), "E_IDV_SESSION_ABANDONED").Body)!;

            Assert.AreEqual(1, ((JsonArray)page["data"]!).Count);
        }

        [TestMethod]
        public void Feed_FromOlderThanNinetyDays_IsRefusedNamingTheField()
        {
            var answer = Page(1, 10, DateTimeOffset.UtcNow.AddDays(-91));

            Assert.AreEqual(400, answer.Status);
            Assert.AreEqual("from", (string?)JsonNode.Parse(answer.Body)!["errors"]![0]!["param"]);
        }

        [TestMethod]
        public void Feed_WithoutTheLicense_IsUnauthorized()
        {
            Assert.AreEqual(401, Page(1, 10, DateTimeOffset.UtcNow.AddHours(-1), licenseKey: "wrong").Status);
        }
    }
}
