using System;
using System.Collections.Generic;
using System.Linq;
using OneKosmos.Sandbox.Host.Activity;

namespace OneKosmos.Sandbox.Host.Tests
{
    [TestClass]
    public sealed class ActivityLogTests
    {
        private static readonly Func<string, string?> NothingStarted = _ => null;

        [TestMethod]
        public void Lines_AreGroupedByCorrelation_NewestFirst_AndNamedByWhatRan()
        {
            var log = new ActivityLog();
            log.Add("a", ActivitySource.BlockId, "1Kosmos POST /docuverify/document_share_session/create → 200 in 30 ms");
            log.Add("a", ActivitySource.PlugIn, "StartVerificationOnContactCreate on Create of contact");
            log.Add("a", ActivitySource.Trace, "Started.");
            log.Add("b", ActivitySource.Gate, "Gate on Win of opportunity");

            var groups = log.Groups(NothingStarted);

            CollectionAssert.AreEqual(new[] { "b", "a" }, groups.Select(group => group.Correlation).ToArray());
            Assert.AreEqual("StartVerificationOnContactCreate on Create of contact", groups[1].Title);
            Assert.AreEqual(3, groups[1].Lines.Count);
        }

        /// <summary>Issue #22, finding 8: groups in time order, whatever shows up in them later.</summary>
        [TestMethod]
        public void Groups_AreNewestStartedFirst_ALaterLineFromElsewhereMovesNoGroup()
        {
            var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
            var log = new ActivityLog(clock);
            log.Add("first", ActivitySource.PlugIn, "StartVerificationOnContactCreate on Create of contact");
            clock.Advance(TimeSpan.FromMinutes(1));
            log.Add("second", ActivitySource.Gate, "Gate on Win of opportunity");
            clock.Advance(TimeSpan.FromMinutes(1));
            log.Add("first", ActivitySource.Trace, "A late line of the first request.");

            var groups = log.Groups(NothingStarted);

            CollectionAssert.AreEqual(new[] { "second", "first" }, groups.Select(group => group.Correlation).ToArray());
        }

        [TestMethod]
        public void ALineAboutAVerification_AlsoShowsUnderTheRequestThatStartedIt()
        {
            var log = new ActivityLog();
            log.Add("start", ActivitySource.PlugIn, "StartVerificationOnContactCreate on Create of contact");
            log.Add("1Kosmos", ActivitySource.Person, "The person finished the capture: PassWithSelfie.", sessionId: "s-1");
            log.Add("callback", ActivitySource.CustomApi, "okos_ProcessVerificationCallback: Outcome Applied", verificationId: "v-1", messageId: "m-1");
            log.Add("relay-7", ActivitySource.Relay, "Delivered m-1 on attempt 1: Applied.", messageId: "m-1");
            var started = new Dictionary<string, string> { ["s-1"] = "start", ["v-1"] = "start" };

            var groups = log.Groups(key => started.GetValueOrDefault(key)).ToDictionary(group => group.Correlation);

            var start = groups["start"].Lines;
            Assert.AreEqual("The person finished the capture: PassWithSelfie.", start[1].Entry.Text);
            Assert.IsFalse(start[1].Elsewhere, "the person's action belongs to the verification's request");
            Assert.IsTrue(start.Single(line => line.Entry.Source == ActivitySource.CustomApi).Elsewhere);
            Assert.IsTrue(groups["callback"].Lines.Single(line => line.Entry.Source == ActivitySource.Relay).Elsewhere, "the relay's delivery shows under the request it made");
            Assert.IsFalse(groups.ContainsKey("1Kosmos"));
        }

        [TestMethod]
        public void TheLog_KeepsItsNewestLinesOnly_AndForgetsARequestOnAsk()
        {
            var log = new ActivityLog();
            for (var i = 0; i < ActivityLog.Capacity + 10; i++)
            {
                log.Add(i % 2 == 0 ? "even" : "odd", ActivitySource.Trace, $"line {i}");
            }
            log.Forget("odd");

            var entries = log.Entries();
            Assert.AreEqual(ActivityLog.Capacity / 2, entries.Count);
            Assert.AreEqual("line 10", entries[0].Text);
            Assert.IsTrue(entries.All(entry => entry.Correlation == "even"));
        }

        [TestMethod]
        [DataRow("/docuverify/document_share_session/create", "/docuverify/document_share_session/create")]
        [DataRow("/sessions/session/0f8fad5b-d9cb-469f-a165-70867728950e/response", "/sessions/session/{id}/response")]
        [DataRow("/vcs/tenant/sim-tenant/community/sim-community/vc/from/document/dl_object", "/vcs/tenant/sim-tenant/community/sim-community/vc/from/document/dl_object")]
        [DataRow("/idproofing/session/a1b2c3d4e5f6a7b8c9d0", "/idproofing/session/{id}")]
        public void OneKosmosPaths_ShowNoIds(string path, string shown) =>
            Assert.AreEqual(shown, ActivityRecorder.Masked(path));
    }
}
