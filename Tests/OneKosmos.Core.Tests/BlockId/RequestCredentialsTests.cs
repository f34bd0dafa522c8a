using System;
using Newtonsoft.Json.Linq;
using OneKosmos.Core.BlockId;
using OneKosmos.Core.Verification;
using Org.BouncyCastle.Security;

namespace OneKosmos.Core.Tests.BlockId
{
    [TestClass]
    public sealed class RequestCredentialsTests
    {
        private const string LicenseKey = "lk-3c2f9a7e-license";

        private sealed class FixedClock : IClock
        {
            public DateTimeOffset UtcNow { get; init; }
        }

        private static (RequestCredentials Credentials, AesGcmEnvelope Service) Arrange(DateTimeOffset now)
        {
            var client = BlockIdKeyPair.Generate(new SecureRandom());
            var service = BlockIdKeyPair.Generate(new SecureRandom());
            var credentials = new RequestCredentials(client, service.PublicKey, LicenseKey, new FixedClock { UtcNow = now }, new SecureRandom());
            return (credentials, new AesGcmEnvelope(service.SharedKeyWith(client.PublicKey), new SecureRandom()));
        }

        [TestMethod]
        public void NewHeaders_CarryOurKeyAndTheEncryptedLicenseAndRequestId()
        {
            var now = new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);
            var (credentials, service) = Arrange(now);

            var headers = credentials.NewHeaders();

            Assert.AreEqual(LicenseKey, service.Decrypt(headers["licensekey"]));
            var requestId = JObject.Parse(service.Decrypt(headers["requestid"]));
            Assert.AreEqual(now.ToUnixTimeSeconds(), requestId.Value<long>("ts"));
            Assert.AreEqual(RequestCredentials.AppId, requestId.Value<string>("appid"));
            Assert.IsTrue(Guid.TryParse(requestId.Value<string>("uuid"), out var uuid));
            Assert.AreEqual('4', uuid.ToString("D")[14]);
            Assert.IsFalse(string.Join("|", headers.Values).Contains(LicenseKey, StringComparison.Ordinal));
        }

        [TestMethod]
        public void NewHeaders_EveryCallGetsItsOwnRequestId()
        {
            var (credentials, service) = Arrange(DateTimeOffset.UnixEpoch);

            var first = JObject.Parse(service.Decrypt(credentials.NewHeaders()["requestid"]));
            var second = JObject.Parse(service.Decrypt(credentials.NewHeaders()["requestid"]));

            Assert.AreNotEqual(first.Value<string>("uuid"), second.Value<string>("uuid"));
        }
    }
}
