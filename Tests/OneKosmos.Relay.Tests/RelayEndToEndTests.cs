using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Xrm.Sdk;
using OneKosmos.Sandbox.BlockId;
using OneKosmos.Sandbox.Host;
using OneKosmos.Sandbox.Host.Tls;
using OneKosmos.Sandbox.Host.WebApi;
using OneKosmos.Core.Callbacks;
using OneKosmos.Relay;
using OneKosmos.Relay.Dispatch;
using OneKosmos.Relay.Queue;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Core.Verification;

namespace OneKosmos.Relay.Tests
{
    /// <summary>
    /// The relay as deployed, over real HTTP on 127.0.0.1: a signed notification into the ingress, the SQLite queue, the
    /// dispatcher, the sandbox's Dataverse Web API over HTTPS, the callback custom API, the verification row.
    /// </summary>
    [TestClass]
    public sealed class RelayEndToEndTests
    {
        private const string SenderSecret = "whsec_c2VuZGVyLXNlY3JldC1mb3ItdGhlLWluZ3Jlc3MtMDE=";

        private ProductSandbox _product = null!;
        private LocalDataverse _dataverse = null!;
        private string _token = "";
        private DataverseWebApi _api = null!;
        private X509Certificate2 _certificate = null!;
        private CancellationTokenSource _stopRelay = null!;
        private Task<int>? _relay;
        private string _relayUrl = "";
        private string _queuePath = "";
        private string _webApiUrl = "";
        private readonly ConcurrentQueue<string> _logs = new();
        private readonly ConcurrentDictionary<string, long> _counters = new();
        private MeterListener _meters = null!;

        [TestInitialize]
        public async Task StartEverything()
        {
            _dataverse = await LocalDataverse.StartAsync();
            _product = _dataverse.Product;
            _api = _dataverse.Api;
            _certificate = _dataverse.Certificate;
            _token = await _dataverse.TokenAsync();

            _meters = new MeterListener { InstrumentPublished = (instrument, listener) => { if (instrument.Meter.Name == RelayMetrics.MeterName) listener.EnableMeasurementEvents(instrument); } };
            _meters.SetMeasurementEventCallback<long>((instrument, value, _, _) => _counters.AddOrUpdate(instrument.Name, value, (_, total) => total + value));
            _meters.Start();
            _webApiUrl = _dataverse.Url;
        }

        private async Task StopRelay()
        {
            if (_relay is not null)
            {
                _stopRelay.Cancel();
                await _relay;
                _relay = null;
            }
        }

        /// <summary>Starts the relay as deployed (ingress, dispatcher, and the events poller when asked), against the sandbox.</summary>
        private async Task StartRelay(bool poller = false, ITokenSource? tokens = null)
        {
            _queuePath = Path.Combine(Path.GetTempPath(), $"okos-relay-{Guid.NewGuid():N}.db");
            var port = Loopback.FreePort();
            _relayUrl = $"http://127.0.0.1:{port}";
            _stopRelay = new CancellationTokenSource();
            var simulator = _product.Simulator;
            var settings = new Dictionary<string, string?>
            {
                ["Relay:QueuePath"] = _queuePath,
                ["Relay:Ingress:Secrets:0"] = SenderSecret,
                ["Relay:Ingress:EntraApiKeys:0"] = ProductSandbox.EntraApiKey,
                ["Relay:Dispatcher:SigningSecret"] = ProductSandbox.SigningSecret,
                ["Relay:Dispatcher:IdleDelay"] = "00:00:00.050",
                ["Relay:Dispatcher:BaseDelay"] = "00:00:00.100",
                ["Relay:Dataverse:Url"] = _webApiUrl,
            };
            if (poller)
            {
                settings["Relay:BlockId:TenantDns"] = simulator.Options.TenantDns;
                settings["Relay:BlockId:Community"] = simulator.Options.Community;
                settings["Relay:BlockId:LicenseKey"] = simulator.Options.LicenseKey;
                settings["Relay:BlockId:Interval"] = "00:00:00.200";
            }
            _relay = RelayProgram.RunAsync(new[] { "--urls", _relayUrl }, relayBuilder =>
            {
                relayBuilder.Configuration.AddInMemoryCollection(settings);
                relayBuilder.Logging.ClearProviders();
                relayBuilder.Logging.AddProvider(new ListLoggerProvider(_logs));
                relayBuilder.Services.AddSingleton(tokens ?? new FixedToken(_token));
                relayBuilder.Services.AddHttpClient(nameof(ICallbackApi)).ConfigurePrimaryHttpMessageHandler(() =>
                    new HttpClientHandler { ServerCertificateCustomValidationCallback = LocalCertificate.Pin(_certificate) });
                relayBuilder.Services.AddHttpClient(EventPollerService.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new SimulatorHttpHandler(simulator));
            }, _stopRelay.Token);
            await WaitFor(async () => (await Get("/healthz")).IsSuccessStatusCode, "the relay to start");
        }

        [TestCleanup]
        public async Task StopEverything()
        {
            await StopRelay();
            await _dataverse.DisposeAsync();
            _meters.Dispose();
            SqliteRelayQueue.DeleteFiles(_queuePath);
        }

        [TestMethod]
        public async Task ASignedNotificationAtTheIngress_EndsAsAVerifiedRow()
        {
            await StartRelay();
            var (session, verification) = StartVerification();
            _product.Simulator.Complete(session, CaptureOutcome.PassWithSelfie);
            var body = $"{{\"type\":\"blockid.idv\",\"id\":\"evt-1\",\"sessionId\":\"{session}\",\"occurredAt\":\"2026-11-27T08:00:00Z\",\"data\":{{}}}}";

            var response = await Post(body, "evt-1", SenderSecret);

            Assert.AreEqual(HttpStatusCode.Accepted, response.StatusCode);
            await WaitFor(() => Task.FromResult(Status(verification) == Choices.Of(VerificationStatus.Verified).Value), "the row to be Verified");
            Assert.AreEqual("Applied", _product.Dataverse.Rows("okos_callbackreceipt").Single()["okos_outcome"]);
            await WaitFor(() => Task.FromResult(_counters.GetValueOrDefault("okos.relay.dispatched") == 1), "the dispatched counter");
            Assert.AreEqual(1, _counters.GetValueOrDefault("okos.relay.received"));
            Assert.AreEqual(1, _counters.GetValueOrDefault("okos.relay.enqueued"));
            var log = string.Join("\n", _logs);
            StringAssert.Contains(log, "Delivered evt-1 on attempt 1: Applied");
            Assert.IsFalse(log.Contains(session) || log.Contains("whsec_") || log.Contains(_token), "the log carries no body, secret or token");
        }

        [TestMethod]
        public async Task WhileDataverseThrottles_TheDispatcherWaitsAndThenDeliversEverything()
        {
            await StartRelay();
            _api.Throttle(calls: 3, retryAfter: TimeSpan.FromSeconds(1));
            var verifications = new List<Guid>();
            for (var i = 0; i < 3; i++)
            {
                var (session, verification) = StartVerification(_product.Service.Create(new Entity("contact") { ["lastname"] = $"P{i}" }));
                _product.Simulator.Complete(session, CaptureOutcome.PassWithSelfie);
                verifications.Add(verification);
                await Post($"{{\"type\":\"blockid.idv\",\"id\":\"evt-{i}\",\"sessionId\":\"{session}\"}}", $"evt-{i}", SenderSecret);
            }

            await WaitFor(() => Task.FromResult(verifications.All(id => Status(id) == Choices.Of(VerificationStatus.Verified).Value)), "every row to be Verified");

            Assert.IsTrue(_counters.GetValueOrDefault("okos.relay.retried") >= 1);
            Assert.AreEqual(0, _counters.GetValueOrDefault("okos.relay.dead_lettered"));
            StringAssert.Contains(string.Join("\n", _logs), "Dataverse throttled");
        }

        [TestMethod]
        [DataRow("no signature")]
        [DataRow("bad signature")]
        [DataRow("oversize")]
        [DataRow("wrong content type")]
        [DataRow("invalid UTF-8")]
        [DataRow("not a notification")]
        [DataRow("an Entra notification on the 1Kosmos route")]
        [DataRow("an id in Entra's namespace")]
        [DataRow("a timestamp no calendar holds")]
        public async Task BadInputAtTheIngress_IsRefusedWithAReasonAndNothingIsQueued(string fault)
        {
            await StartRelay();
            var body = "{\"type\":\"blockid.idv\",\"id\":\"evt-x\",\"sessionId\":\"s\"}";
            HttpResponseMessage response = fault switch
            {
                "no signature" => await Send(new StringContent(body, Encoding.UTF8, "application/json")),
                "bad signature" => await Post(body, "evt-x", "whsec_" + Convert.ToBase64String(new byte[32])),
                "oversize" => await Post("{\"type\":\"blockid.idv\",\"id\":\"evt-x\",\"sessionId\":\"" + new string('x', 70_000) + "\"}", "evt-x", SenderSecret),
                "wrong content type" => await Post(body, "evt-x", SenderSecret, "text/plain"),
                "invalid UTF-8" => await PostBytes(new byte[] { 0x7b, 0xff, 0xfe, 0x7d }, "evt-x"),
                // A holder of the 1Kosmos ingress secret forging a Face Check result, or taking the id Entra's callback will carry.
                "an Entra notification on the 1Kosmos route" => await Post("{\"type\":\"entra.presentation\",\"id\":\"evt-x\",\"requestId\":\"r\",\"data\":{}}", "evt-x", SenderSecret),
                "an id in Entra's namespace" => await Post(body.Replace("evt-x", "entra_0123456789abcdef0123456789abcdef", StringComparison.Ordinal), "entra_0123456789abcdef0123456789abcdef", SenderSecret),
                "a timestamp no calendar holds" => await SendWithTimestamp(body, "evt-x", "99999999999999999"),
                _ => await Post("[1,2,3]", "evt-x", SenderSecret),
            };

            Assert.AreEqual(fault switch
            {
                "no signature" or "bad signature" => HttpStatusCode.Unauthorized,
                "oversize" => HttpStatusCode.RequestEntityTooLarge,
                "wrong content type" => HttpStatusCode.UnsupportedMediaType,
                _ => HttpStatusCode.BadRequest,
            }, response.StatusCode);
            StringAssert.Contains(await response.Content.ReadAsStringAsync(), "\"error\":");
            Assert.AreEqual(0, _counters.GetValueOrDefault("okos.relay.enqueued"));
        }

        [TestMethod]
        public async Task ACaptureCompletedAt1Kosmos_ReachesTheRowThroughTheEventsFeed_WithNoCallbackAtAll()
        {
            var (session, verification) = StartVerification();
            _product.Simulator.Complete(session, CaptureOutcome.PassWithSelfie);

            await StartRelay(poller: true);

            await WaitFor(() => Task.FromResult(Status(verification) == Choices.Of(VerificationStatus.Verified).Value), "the row to be Verified");
            await WaitFor(() => Task.FromResult(_counters.GetValueOrDefault("okos.relay.dispatched") >= 2), "both events delivered");
            var outcomes = _product.Dataverse.Rows("okos_callbackreceipt").Select(row => (string)row["okos_outcome"]).ToArray();
            CollectionAssert.AreEqual(new[] { "Applied", "Applied" }, outcomes, "initialisation and validation events, each applied once");
            StringAssert.Contains(string.Join("\n", _logs), "Read 2 events from 1Kosmos, enqueued 2.");
        }

        [TestMethod]
        public async Task Ready_WhenTheQueueAndATokenAreAvailable_NotReadyWithoutAToken()
        {
            await StartRelay();
            Assert.AreEqual(HttpStatusCode.OK, (await Get("/readyz")).StatusCode);
            await StopRelay();

            await StartRelay(tokens: new NoToken());
            var response = await Get("/readyz");

            Assert.AreEqual(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            StringAssert.Contains(await response.Content.ReadAsStringAsync(), "no Dataverse token can be obtained");
        }

        [TestMethod]
        public async Task VerifiedIdThroughTheRelay_IssuesTheCredentialAndFaceCheck87IsAFreshStepUp()
        {
            await StartRelay();
            _product.ConnectEntra(callbackUrl: _relayUrl + "/callbacks/entra");
            var contact = VerifiedAtIal2();

            var issued = _product.Call("okos_IssueVerifiedIdCredential", null, ("Subject", contact));
            await _product.Entra.AcceptAsync(_product.Entra.Requests.Single().Id);

            var issuance = (Guid)issued["VerificationId"];
            await WaitFor(() => Task.FromResult(Status(issuance) == Choices.Of(VerificationStatus.Verified).Value), "the credential to show as issued");
            var stepUp = _product.Call("okos_RequestStepUp", null, ("Subject", contact), ("Reason", "Wire transfer"), ("Method", "VerifiedIdFaceCheck"));
            await _product.Entra.PresentAsync(_product.Entra.Requests.Single(request => !request.IsIssuance).Id, 87);

            var faceCheck = (Guid)stepUp["VerificationId"];
            await WaitFor(() => Task.FromResult(Status(faceCheck) == Choices.Of(VerificationStatus.Verified).Value), "the Face Check to pass");
            var row = Row(faceCheck);
            Assert.AreEqual(0.87m, row.GetAttributeValue<decimal?>("okos_matchconfidence"));
            Assert.IsNotNull(row.GetAttributeValue<DateTime?>("okos_laststepupat"));
            Assert.IsTrue((bool)_product.Call("okos_GetVerificationStatus", null, ("Subject", contact))["StepUpFresh"]);
            var log = string.Join("\n", _logs);
            Assert.IsFalse(log.Contains(ProductSandbox.EntraApiKey, StringComparison.Ordinal) || log.Contains(_product.Entra.Options.ClientSecret, StringComparison.Ordinal), "the relay logs no api-key or secret");
        }

        [TestMethod]
        public async Task VerifiedIdFaceCheckUnderTheThreshold_FailsWithTheReasonThroughTheRelay()
        {
            await StartRelay();
            _product.ConnectEntra(callbackUrl: _relayUrl + "/callbacks/entra", threshold: 80);
            var contact = VerifiedAtIal2();
            _product.Call("okos_IssueVerifiedIdCredential", null, ("Subject", contact));
            await _product.Entra.AcceptAsync(_product.Entra.Requests.Single().Id);
            await WaitFor(() => Task.FromResult(_product.Dataverse.Rows("okos_callbackreceipt").Count() == 2), "the issuance callbacks");
            var stepUp = _product.Call("okos_RequestStepUp", null, ("Subject", contact), ("Reason", "Wire transfer"), ("Method", "VerifiedIdFaceCheck"));

            await _product.Entra.PresentAsync(_product.Entra.Requests.Single(request => !request.IsIssuance).Id, 79.5);

            var faceCheck = (Guid)stepUp["VerificationId"];
            await WaitFor(() => Task.FromResult(Status(faceCheck) == Choices.Of(VerificationStatus.Failed).Value), "the Face Check to fail");
            StringAssert.StartsWith((string)Row(faceCheck)["okos_failurereason"], "claimValidationError: Match confidence score failing to meet the threshold (Face Check threshold ");
        }

        [TestMethod]
        [DataRow("wrong api-key")]
        [DataRow("no api-key")]
        [DataRow("malformed")]
        [DataRow("unknown state")]
        [DataRow("unknown status")]
        [DataRow("oversize")]
        public async Task BadEntraCallbacks_AreRefusedAndNothingIsQueued(string fault)
        {
            await StartRelay();
            var state = "okos-issuance-" + Guid.NewGuid().ToString("N");
            var body = fault switch
            {
                "malformed" => "{\"requestId\":",
                "unknown state" => "{\"requestId\":\"r1\",\"requestStatus\":\"issuance_successful\",\"state\":\"someone-elses\"}",
                "unknown status" => $"{{\"requestId\":\"r1\",\"requestStatus\":\"presentation_verified\",\"state\":\"{state}\"}}",
                "oversize" => $"{{\"requestId\":\"r1\",\"requestStatus\":\"issuance_successful\",\"state\":\"{state}\",\"pad\":\"{new string('x', 2_200_000)}\"}}",
                _ => $"{{\"requestId\":\"r1\",\"requestStatus\":\"issuance_successful\",\"state\":\"{state}\"}}",
            };
            var apiKey = fault switch
            {
                "wrong api-key" => "not-" + ProductSandbox.EntraApiKey,
                "no api-key" => null,
                _ => ProductSandbox.EntraApiKey,
            };

            var response = await PostEntra(body, apiKey);

            Assert.AreEqual(fault switch
            {
                "wrong api-key" or "no api-key" => HttpStatusCode.Unauthorized,
                "oversize" => HttpStatusCode.RequestEntityTooLarge,
                _ => HttpStatusCode.BadRequest,
            }, response.StatusCode);
            StringAssert.Contains(await response.Content.ReadAsStringAsync(), "\"error\":");
            Assert.AreEqual(0, _counters.GetValueOrDefault("okos.relay.enqueued"));
        }

        [TestMethod]
        public async Task AReplayedEntraCallback_IsTheSameMessageAndChangesNothing()
        {
            await StartRelay();
            _product.ConnectEntra(callbackUrl: _relayUrl + "/callbacks/entra");
            var contact = VerifiedAtIal2();
            var issued = _product.Call("okos_IssueVerifiedIdCredential", null, ("Subject", contact));
            await _product.Entra.AcceptAsync(_product.Entra.Requests.Single().Id);
            await WaitFor(() => Task.FromResult(Status((Guid)issued["VerificationId"]) == Choices.Of(VerificationStatus.Verified).Value), "the credential to show as issued");
            await WaitFor(() => Task.FromResult(_product.Dataverse.Rows("okos_callbackreceipt").Count() == 2), "both callbacks receipted");
            var version = Row((Guid)issued["VerificationId"]).RowVersion;

            var replay = await PostEntra(_product.EntraCallbacks.Last().Value, ProductSandbox.EntraApiKey);

            Assert.AreEqual(HttpStatusCode.Accepted, replay.StatusCode);
            Assert.AreEqual(2, _counters.GetValueOrDefault("okos.relay.enqueued"), "the same request id and status is the same message id: the queue absorbs it");
            Assert.AreEqual(2, _product.Dataverse.Rows("okos_callbackreceipt").Count());
            Assert.AreEqual(version, Row((Guid)issued["VerificationId"]).RowVersion);
        }

        private EntityReference VerifiedAtIal2()
        {
            var contact = new EntityReference("contact", _product.Service.Create(new Entity("contact") { ["firstname"] = "Ana", ["lastname"] = "Silva" }));
            var (session, _) = StartVerification(contact.Id);
            _product.Simulator.Complete(session, CaptureOutcome.PassWithSelfie);
            _product.Call("okos_ReconcileVerifications", null, ("OlderThanMinutes", 0));
            return contact;
        }

        private Entity Row(Guid verification) => _product.Dataverse.Rows("okos_verification").Single(row => row.Id == verification);

        private async Task<HttpResponseMessage> PostEntra(string body, string? apiKey)
        {
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, _relayUrl + "/callbacks/entra") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (apiKey is not null)
            {
                request.Headers.Add("api-key", apiKey);
            }
            return await http.SendAsync(request);
        }

        private sealed class NoToken : ITokenSource
        {
            public Task<string> GetTokenAsync(CancellationToken cancellation) => throw new HttpRequestException("Entra ID is unreachable.");
        }

        private (string Session, Guid Verification) StartVerification(Guid? contact = null)
        {
            var subject = new EntityReference("contact", contact ?? _product.Service.Create(new Entity("contact") { ["lastname"] = "Doe" }));
            var response = _product.Call("okos_StartVerification", null, ("Subject", subject));
            return ((string)response["SessionId"], (Guid)response["VerificationId"]);
        }

        private int Status(Guid verification) =>
            _product.Dataverse.Rows("okos_verification").Single(row => row.Id == verification).GetAttributeValue<OptionSetValue>("okos_status").Value;

        private Task<HttpResponseMessage> Post(string body, string id, string secret, string contentType = "application/json")
        {
            var content = new StringContent(body, Encoding.UTF8);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
            return Send(content, id, secret, body);
        }

        private Task<HttpResponseMessage> PostBytes(byte[] body, string id)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            return Send(content, id, SenderSecret, Encoding.Latin1.GetString(body));
        }

        private async Task<HttpResponseMessage> Send(HttpContent content, string? id = null, string? secret = null, string? signedBody = null)
        {
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, _relayUrl + "/callbacks/blockid") { Content = content };
            if (id is not null)
            {
                var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                request.Headers.Add("webhook-id", id);
                request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
                request.Headers.Add("webhook-signature", WebhookSignature.Sign(secret!, id, timestamp, signedBody!));
            }
            return await http.SendAsync(request);
        }

        private async Task<HttpResponseMessage> SendWithTimestamp(string body, string id, string timestamp)
        {
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, _relayUrl + "/callbacks/blockid") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("webhook-id", id);
            request.Headers.Add("webhook-timestamp", timestamp);
            request.Headers.Add("webhook-signature", "v1," + Convert.ToBase64String(new byte[32]));
            return await http.SendAsync(request);
        }

        private async Task<HttpResponseMessage> Get(string path)
        {
            using var http = new HttpClient();
            try
            {
                return await http.GetAsync(_relayUrl + path);
            }
            catch (HttpRequestException)
            {
                return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
            }
        }

        /// <remarks>Polls a condition, failing after 30 s: a bound on a hang, not a timing assertion.</remarks>
        private async Task WaitFor(Func<Task<bool>> condition, string what)
        {
            for (var tries = 0; tries < 600; tries++)
            {
                if (await condition())
                {
                    return;
                }
                await Task.Delay(50);
            }
            Assert.Fail($"Gave up waiting for {what}. Relay log:\n{string.Join("\n", _logs.TakeLast(20))}");
        }


        private sealed class ListLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
        {
            public ILogger CreateLogger(string categoryName) => new ListLogger(lines);

            public void Dispose()
            {
            }

            private sealed class ListLogger(ConcurrentQueue<string> lines) : ILogger
            {
                public IDisposable? BeginScope<TState>(TState state)
                    where TState : notnull => null;

                public bool IsEnabled(LogLevel logLevel) => true;

                public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                    lines.Enqueue(formatter(state, exception));
            }
        }
    }
}
