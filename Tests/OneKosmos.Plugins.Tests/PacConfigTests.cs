using System;
using System.IO;
using System.Text.Json;
using System.Text.RegularExpressions;
using OneKosmos.Plugins.Dataverse;

namespace OneKosmos.Plugins.Tests
{
    /// <summary>pac.config holds the solution's identity; Dataverse refuses an import whose identity breaks its rules.</summary>
    [TestClass]
    public sealed class PacConfigTests
    {
        private static JsonElement Config => JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "pac.config"))).RootElement;

        [TestMethod]
        public void Solution_HasTheAgreedUniqueNameAndAFourPartVersion()
        {
            var solution = Config.GetProperty("solution");

            Assert.AreEqual("OneKosmosIdentity", solution.GetProperty("uniqueName").GetString());
            Assert.IsFalse(string.IsNullOrWhiteSpace(solution.GetProperty("displayName").GetString()));
            Assert.IsTrue(Version.TryParse(solution.GetProperty("version").GetString(), out var version));
            Assert.AreEqual(4, solution.GetProperty("version").GetString()!.Split('.').Length, $"version {version}");
        }

        [TestMethod]
        public void Publisher_PrefixMatchesTheSchemaAndOptionValuePrefixIsInDataversesRange()
        {
            var publisher = Config.GetProperty("publisher");

            Assert.AreEqual("OneKosmos", publisher.GetProperty("uniqueName").GetString());
            Assert.AreEqual(Schema.PublisherPrefix, publisher.GetProperty("prefix").GetString());
            StringAssert.Matches(Schema.PublisherPrefix, new Regex("^[a-z][a-z0-9]{1,7}$"));
            var optionValuePrefix = publisher.GetProperty("optionValuePrefix").GetInt32();
            Assert.IsTrue(optionValuePrefix is >= 10000 and <= 99999, $"optionValuePrefix {optionValuePrefix}");
        }

        [TestMethod]
        public void Profiles_IsAnObjectOfNamedProfiles()
        {
            Assert.AreEqual(JsonValueKind.Object, Config.GetProperty("profiles").ValueKind);
        }
    }
}
