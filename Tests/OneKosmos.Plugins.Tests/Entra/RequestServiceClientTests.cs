using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using OneKosmos.Core.Verification;
using OneKosmos.Plugins.Entra;
using OneKosmos.Sandbox.EntraVerifiedId;

namespace OneKosmos.Plugins.Tests.Entra
{
    /// <summary>The Request Service client against the simulator, and against answers the simulator does not give (older error shapes, odd expiries, silence).</summary>
    [TestClass]
    public sealed class RequestServiceClientTests
    {
        private static readonly IReadOnlyDictionary<string, string> Claims = new Dictionary<string, string> { ["given_name"] = "Ana" };

        private EntraSimulator _entra = null!;

        [TestInitialize]
        public void Arrange() => _entra = new EntraSimulator();

        private VerifiedIdConnection Connection(string? secret = null) =>
            new(_entra.Options.TenantId, _entra.Options.ClientId, secret ?? _entra.Options.ClientSecret, _entra.Options.Authority, _entra.Options.ManifestUrl,
                _entra.Options.CredentialType, "https://relay.example.test/callbacks/entra", "api-key-value-0123456789", 70, true);

        /// <summary>Sign-in reaches the simulator; the Request Service answers <paramref name="answer"/>.</summary>
        private RequestServiceClient Client(Func<HttpRequestMessage, HttpResponseMessage>? answer = null, VerifiedIdConnection? connection = null)
        {
            HttpMessageHandler handler = new EntraSimulatorHandler(_entra, new Unreachable());
            if (answer is not null)
            {
                handler = new Answering(answer, handler);
            }
            return new RequestServiceClient(new HttpClient(handler), connection ?? Connection(), SystemClock.Instance);
        }

        private static HttpResponseMessage Json(HttpStatusCode status, string body) => new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

        [TestMethod]
        public void TwoRequests_SignInOnce()
        {
            var client = Client();

            client.CreateIssuance("okos-issuance-" + Guid.NewGuid().ToString("N"), Claims, null);
            client.CreateIssuance("okos-issuance-" + Guid.NewGuid().ToString("N"), Claims, null);

            Assert.AreEqual(1, _entra.Tokens.Count, "the token is kept until shortly before it expires");
            Assert.AreEqual(2, _entra.Requests.Count);
        }

        [TestMethod]
        public void ExpiryInSeconds_IsUsedAsTheRequestsDeadline()
        {
            var expiry = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();

            var request = Client(_ => Json(HttpStatusCode.Created, $"{{\"requestId\":\"r1\",\"url\":\"openid-vc://?request_uri=x\",\"expiry\":{expiry}}}")).CreateIssuance("s", Claims, null);

            Assert.AreEqual(expiry, request.ExpiresAt.ToUnixTimeSeconds());
        }

        [TestMethod]
        public void ExpiryInMilliseconds_IsReadAsSuch_AndAMissingOneFallsBackToFiveMinutes()
        {
            var expiry = DateTimeOffset.UtcNow.AddMinutes(4);

            var milliseconds = Client(_ => Json(HttpStatusCode.Created, $"{{\"requestId\":\"r1\",\"url\":\"u\",\"expiry\":{expiry.ToUnixTimeMilliseconds()}}}")).CreateIssuance("s", Claims, null);
            var missing = Client(_ => Json(HttpStatusCode.Created, "{\"requestId\":\"r1\",\"url\":\"u\"}")).CreateIssuance("s", Claims, null);

            Assert.AreEqual(expiry.ToUnixTimeSeconds(), milliseconds.ExpiresAt.ToUnixTimeSeconds());
            Assert.IsTrue(missing.ExpiresAt > DateTimeOffset.UtcNow.AddMinutes(4) && missing.ExpiresAt <= DateTimeOffset.UtcNow.AddMinutes(5));
        }

        [TestMethod]
        public void TheOlderErrorShape_StillNamesTheCode()
        {
            var failure = Assert.ThrowsExactly<VerifiedIdException>(() =>
                Client(_ => Json(HttpStatusCode.BadRequest, "{\"error\":{\"code\":\"client_request.invalid_include_qr_code\",\"message\":\"includeQRCode is not a boolean\"}}")).CreateIssuance("s", Claims, null));

            Assert.AreEqual(VerifiedIdFailure.Rejected, failure.Failure);
            Assert.AreEqual("client_request.invalid_include_qr_code", failure.Code);
            StringAssert.Contains(failure.Message, "includeQRCode is not a boolean");
        }

        [TestMethod]
        public void AnErrorThatEchoesASecret_IsRedactedAndCutShort()
        {
            var connection = Connection();
            var failure = Assert.ThrowsExactly<VerifiedIdException>(() =>
                Client(_ => Json(HttpStatusCode.BadRequest, $"not json: {connection.CallbackApiKey} {new string('x', 500)}"), connection).CreateIssuance("s", Claims, null));

            Assert.IsFalse(failure.Message.Contains(connection.CallbackApiKey, StringComparison.Ordinal));
            StringAssert.Contains(failure.Message, "[redacted]");
            Assert.IsTrue(failure.Message.Length < 450);
        }

        [TestMethod]
        public void ASuccessWithoutARequestId_IsMalformed()
        {
            var failure = Assert.ThrowsExactly<VerifiedIdException>(() => Client(_ => Json(HttpStatusCode.Created, "{\"url\":\"u\"}")).CreateIssuance("s", Claims, null));

            Assert.AreEqual(VerifiedIdFailure.Malformed, failure.Failure);
        }

        [TestMethod]
        public void Silence_IsATransientFailure()
        {
            var failure = Assert.ThrowsExactly<VerifiedIdException>(() => Client(_ => throw new TaskCanceledException("no answer")).CreateIssuance("s", Claims, null));

            Assert.AreEqual(VerifiedIdFailure.Transient, failure.Failure);
            Assert.IsTrue(failure.IsRetryable);
        }

        [TestMethod]
        public void A401FromTheService_ForgetsTheToken()
        {
            var calls = 0;
            var client = Client(_ => ++calls == 1
                ? Json(HttpStatusCode.Unauthorized, "{\"error\":{\"code\":\"unauthorized\",\"message\":\"m\",\"innererror\":{\"code\":\"tokenError\",\"message\":\"The token has expired.\"}}}")
                : Json(HttpStatusCode.Created, "{\"requestId\":\"r1\",\"url\":\"u\"}"));

            Assert.ThrowsExactly<VerifiedIdException>(() => client.CreateIssuance("s", Claims, null));
            client.CreateIssuance("s", Claims, null);

            Assert.AreEqual(2, _entra.Tokens.Count, "the second request signs in again");
        }

        private sealed class Unreachable : HttpMessageHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
                throw new HttpRequestException("only Microsoft's hosts are simulated here");
        }

        /// <summary>Answers Request Service calls itself; sign-in goes on to the simulator.</summary>
        private sealed class Answering(Func<HttpRequestMessage, HttpResponseMessage> answer, HttpMessageHandler signIn) : DelegatingHandler(signIn)
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
                request.RequestUri!.Host.StartsWith("login.", StringComparison.Ordinal) ? base.SendAsync(request, cancellationToken) : Task.FromResult(answer(request));
        }
    }
}
