using System;
using OneKosmos.Core.Verification;

namespace OneKosmos.Core.Tests.Verification
{
    [TestClass]
    public sealed class ExpiringCacheTests
    {
        private static readonly DateTimeOffset Start = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

        [TestMethod]
        public void GetOrRead_WithinTheLifetime_ReusesTheValue_AfterItReadsAgain()
        {
            var cache = new ExpiringCache<Guid, string>(TimeSpan.FromSeconds(60));
            var reads = 0;
            string Read() => $"value {++reads}";
            var organization = Guid.NewGuid();

            Assert.AreEqual("value 1", cache.GetOrRead(organization, Start, Read));
            Assert.AreEqual("value 1", cache.GetOrRead(organization, Start.AddSeconds(59), Read));
            Assert.AreEqual("value 2", cache.GetOrRead(organization, Start.AddSeconds(60), Read));
        }

        [TestMethod]
        public void GetOrRead_KeepsOrganizationsApart()
        {
            var cache = new ExpiringCache<Guid, string>(TimeSpan.FromSeconds(60));

            cache.GetOrRead(Guid.NewGuid(), Start, () => "first org");

            Assert.AreEqual("second org", cache.GetOrRead(Guid.NewGuid(), Start, () => "second org"));
        }
    }
}
