using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using OneKosmos.Sandbox.Dataverse;

namespace OneKosmos.Plugins.Tests.Steps
{
    /// <summary>The Entra callback api-key is made for the administrator, through the solution's own step registrations.</summary>
    [TestClass]
    public sealed class GenerateEntraCallbackApiKeyTests
    {
        private const string ApiKey = "okos_entracallbackapikey";

        private ProductSandbox _product = null!;
        private InMemoryDataverse _dataverse = null!;
        private IOrganizationService _service = null!;

        [TestInitialize]
        public void Arrange()
        {
            _product = new ProductSandbox();
            _dataverse = _product.Dataverse;
            _service = _product.Service;
        }

        private Guid Create(params (string Column, object? Value)[] columns)
        {
            var row = new Entity("okos_blockidconnection") { ["okos_name"] = "Production" };
            foreach (var (column, value) in columns)
            {
                row[column] = value;
            }
            return _service.Create(row);
        }

        private string? Key(Guid id) => _dataverse.Rows("okos_blockidconnection").Single(row => row.Id == id).GetAttributeValue<string>(ApiKey);

        [TestMethod]
        public void SettingUpVerifiedIdWithoutAKey_MakesAnUnguessableOne()
        {
            var first = Create(("okos_entratenantid", "tenant-1"));
            var second = Create(("okos_entratenantid", "tenant-1"));

            Assert.AreEqual(43, Key(first)!.Length, "32 random bytes, base64url");
            Assert.IsTrue(Key(first)!.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));
            Assert.AreNotEqual(Key(first), Key(second));
            var traces = string.Join("\n", _dataverse.PluginRuns.SelectMany(run => run.TraceLines));
            StringAssert.Contains(traces, "A new Entra callback api-key was generated");
            Assert.IsFalse(traces.Contains(Key(first)!, StringComparison.Ordinal), "the key itself is never traced");
        }

        [TestMethod]
        public void AConnectionWithoutVerifiedId_GetsNoKey_AndAKeyGivenIsKept()
        {
            Assert.IsNull(Key(Create()));
            Assert.AreEqual("chosen-by-the-administrator", Key(Create(("okos_entratenantid", "t"), (ApiKey, "chosen-by-the-administrator"))));
        }

        [TestMethod]
        public void ClearingTheKey_RotatesIt_AndOtherChangesLeaveItAlone()
        {
            var id = Create(("okos_entratenantid", "tenant-1"));
            var original = Key(id);

            _service.Update(new Entity("okos_blockidconnection", id) { ["okos_name"] = "Renamed" });
            Assert.AreEqual(original, Key(id));

            _service.Update(new Entity("okos_blockidconnection", id) { [ApiKey] = null });
            Assert.IsFalse(string.IsNullOrEmpty(Key(id)));
            Assert.AreNotEqual(original, Key(id));
        }

        [TestMethod]
        public void TurningVerifiedIdOnLater_MakesTheKeyThen()
        {
            var id = Create();

            _service.Update(new Entity("okos_blockidconnection", id) { ["okos_entratenantid"] = "tenant-1" });

            Assert.AreEqual(43, Key(id)!.Length);
        }
    }
}
