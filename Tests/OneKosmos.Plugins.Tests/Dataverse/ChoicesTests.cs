using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using OneKosmos.Core.Verification;
using OneKosmos.Plugins.Dataverse;

namespace OneKosmos.Plugins.Tests.Dataverse
{
    /// <summary>
    /// The option values have one source, the solution's option set files: the C# <see cref="Choices"/> and the web
    /// resources' <c>contract.ts</c> must say the same, so a value changed in one place fails here.
    /// </summary>
    [TestClass]
    public sealed class ChoicesTests
    {
        /// <summary>label → value of one global option set in Solution/src/OptionSets.</summary>
        private static Dictionary<string, int> OptionSet(string name) =>
            XDocument.Load(Path.Combine(RepositoryPaths.SolutionSource, "OptionSets", name + ".xml")).Descendants("option")
                .ToDictionary(
                    option => option.Descendants("label").Single(label => (string?)label.Attribute("languagecode") == "1033").Attribute("description")!.Value,
                    option => int.Parse(option.Attribute("value")!.Value, System.Globalization.CultureInfo.InvariantCulture));

        /// <summary>value → name of one <c>Record&lt;number, …&gt;</c> map in WebResources/src/contract.ts.</summary>
        private static Dictionary<string, int> TypeScriptMap(string name)
        {
            var source = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "WebResources", "src", "contract.ts"));
            var map = Regex.Match(source, @"export const " + name + @"\s*:[^=]*=\s*\{(?<body>[^}]*)\}");
            Assert.IsTrue(map.Success, $"contract.ts has no map {name}");
            return Regex.Matches(map.Groups["body"].Value, @"(?<value>\d+)\s*:\s*""(?<name>\w+)""")
                .ToDictionary(entry => entry.Groups["name"].Value, entry => int.Parse(entry.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture));
        }

        [TestMethod]
        public void Statuses_AreTheSolutionsOptionValues_InCSharpAndTypeScript()
        {
            var solution = OptionSet("okos_verificationstatus");
            var stored = Enum.GetValues<VerificationStatus>().Where(status => status != VerificationStatus.NotStarted).ToArray();

            CollectionAssert.AreEquivalent(solution.Keys.ToArray(), stored.Select(status => status.ToString()).ToArray());
            foreach (var status in stored)
            {
                Assert.AreEqual(solution[status.ToString()], Choices.Of(status).Value, status.ToString());
                Assert.AreEqual(status, Choices.StatusOf(Choices.Of(status)));
            }
            CollectionAssert.AreEquivalent(solution, TypeScriptMap("statusOf"));
        }

        [TestMethod]
        public void Journeys_AreTheSolutionsOptionValues_InCSharpAndTypeScript()
        {
            var solution = OptionSet("okos_journey");

            CollectionAssert.AreEquivalent(solution.Keys.ToArray(), Enum.GetNames<Journey>());
            foreach (var journey in Enum.GetValues<Journey>())
            {
                Assert.AreEqual(solution[journey.ToString()], Choices.Of(journey).Value, journey.ToString());
                Assert.AreEqual(journey, Choices.JourneyOf(Choices.Of(journey)));
            }
            CollectionAssert.AreEquivalent(solution, TypeScriptMap("journeyOf"));
        }

        [TestMethod]
        public void AssuranceLevels_AreTheSolutionsOptionValues()
        {
            var solution = OptionSet("okos_iallevel");

            CollectionAssert.AreEquivalent(solution.Keys.ToArray(), Enum.GetNames<AssuranceLevel>());
            foreach (var level in Enum.GetValues<AssuranceLevel>())
            {
                Assert.AreEqual(solution[level.ToString()], Choices.Of(level).Value, level.ToString());
                Assert.AreEqual(level, Choices.LevelOf(Choices.Of(level)));
            }
        }

        [TestMethod]
        public void BindingEvidence_IsTheSolutionsOptionValuesInOrder()
        {
            var solution = OptionSet("okos_bindingevidence");

            CollectionAssert.AreEqual(solution.Values.OrderBy(value => value).ToArray(), Enum.GetValues<BindingEvidence>().Select(evidence => Choices.Of(evidence).Value).ToArray());
            foreach (var evidence in Enum.GetValues<BindingEvidence>())
            {
                Assert.AreEqual(evidence, Choices.EvidenceOf(Choices.Of(evidence)));
            }
        }

        [TestMethod]
        public void AssuranceLevels_InTypeScript_AreTheSolutionsOptionValues()
        {
            CollectionAssert.AreEquivalent(OptionSet("okos_iallevel"), TypeScriptMap("ialOf"));
        }

        [TestMethod]
        public void SelfServiceRequests_AreTheSolutionsOptionValues_InCSharpAndTypeScript()
        {
            var solution = OptionSet("okos_selfservicerequest").Values.OrderBy(value => value).ToArray();
            var requests = Enum.GetValues<SelfServiceRequest>();

            CollectionAssert.AreEqual(solution, requests.Select(request => Choices.Of(request).Value).ToArray());
            foreach (var request in requests)
            {
                Assert.AreEqual(request, Choices.RequestOf(Choices.Of(request)));
            }
            CollectionAssert.AreEquivalent(requests.ToDictionary(request => request.ToString(), request => Choices.Of(request).Value), TypeScriptMap("selfServiceRequestOf"));
        }
    }
}
