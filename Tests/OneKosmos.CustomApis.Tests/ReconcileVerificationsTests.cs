using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Plugins.UseCases;
using OneKosmos.Core.Verification;
using OneKosmos.Sandbox.BlockId;

namespace OneKosmos.CustomApis.Tests
{
    /// <summary>okos_ReconcileVerifications: what finishes verifications when no callback arrives.</summary>
    [TestClass]
    public sealed class ReconcileVerificationsTests : ApiTestBase
    {
        private OrganizationResponse Reconcile(int olderThanMinutes = 0, int? maxSessions = null) =>
            maxSessions is null
                ? Call("okos_ReconcileVerifications", ("OlderThanMinutes", olderThanMinutes))
                : Call("okos_ReconcileVerifications", ("OlderThanMinutes", olderThanMinutes), ("MaxSessions", maxSessions.Value));

        private Guid Start(Guid? contact = null) =>
            (Guid)Call("okos_StartVerification", ("Subject", new EntityReference("contact", contact ?? Contact)))["VerificationId"];

        private Entity Row(Guid id) => Verifications.Single(row => row.Id == id);

        private static int Counter(OrganizationResponse response, string name) => (int)response[name];

        [TestMethod]
        public void FinishedCapture_IsAppliedWithoutAnyCallback()
        {
            var id = Start();
            Simulator.Complete(Simulator.Sessions.Single().Id, CaptureOutcome.PassWithSelfie);

            var response = Reconcile();

            Assert.AreEqual(1, Counter(response, "Checked"));
            Assert.AreEqual(1, Counter(response, "Updated"));
            Assert.AreEqual(0, Counter(response, "Errors"));
            Assert.AreEqual(Verified, Row(id).GetAttributeValue<OptionSetValue>("okos_status").Value);
        }

        private Guid AnotherContact(string lastName) =>
            Service.Create(new Entity("contact") { ["lastname"] = lastName, ["emailaddress1"] = $"{lastName.ToLowerInvariant()}@example.com" });

        private string SessionOf(Guid verification) => Row(verification).GetAttributeValue<string>("okos_sessionid");

        [TestMethod]
        public void RowsWhoseResultNeverComes_DoNotStarveTheRest_TheyRecordTheFailureAndWaitLonger()
        {
            var purged = new[] { Start(AnotherContact("Gone")), Start(AnotherContact("Lost")) };
            var healthy = Start();
            foreach (var id in purged)
            {
                Simulator.Purge(SessionOf(id));
            }
            Simulator.Complete(SessionOf(healthy), CaptureOutcome.PassWithSelfie);

            var first = Reconcile(maxSessions: 2);
            var second = Reconcile(maxSessions: 2);

            Assert.AreEqual(2, Counter(first, "Errors"));
            Assert.AreEqual(Verified, Row(healthy).GetAttributeValue<OptionSetValue>("okos_status").Value, "the next run reached the healthy row");
            Assert.AreEqual(0, Counter(second, "Errors"), "the failing rows wait out their back-off");
            foreach (var id in purged)
            {
                Assert.AreEqual(1, Row(id).GetAttributeValue<int>("okos_checkfailures"));
                Assert.IsNotNull(Row(id).GetAttributeValue<DateTime?>("okos_lastcheckedat"));
                Assert.AreEqual(Pending, Row(id).GetAttributeValue<OptionSetValue>("okos_status").Value, "within its time a row is not given up");
            }
        }

        [TestMethod]
        public void ARowPastItsExpiry_WhoseResultNeverComes_EndsExpiredSayingWhy_AfterTheLimit()
        {
            var id = Start();
            Simulator.Purge(SessionOf(id));
            Dataverse.Overwrite(new Entity("okos_verification", id)
            {
                ["okos_expiresat"] = DateTime.UtcNow.AddHours(-2),
                ["okos_checkfailures"] = VerificationReconciler.MaxCheckFailures - 1,
                ["okos_lastcheckedat"] = DateTime.UtcNow.AddDays(-1),
            });

            var response = Reconcile();

            Assert.AreEqual(1, Counter(response, "Expired"));
            Assert.AreEqual(Expired, Row(id).GetAttributeValue<OptionSetValue>("okos_status").Value);
            StringAssert.StartsWith(Row(id).GetAttributeValue<string>("okos_failurereason"), "RESULT_UNAVAILABLE:");
        }

        [TestMethod]
        public void ARowThatAnswersAgain_HasItsFailuresCleared()
        {
            var id = Start();
            Dataverse.Overwrite(new Entity("okos_verification", id) { ["okos_checkfailures"] = 3, ["okos_lastcheckedat"] = DateTime.UtcNow.AddDays(-1) });

            Reconcile();

            Assert.AreEqual(0, Row(id).GetAttributeValue<int>("okos_checkfailures"));
        }

        [TestMethod]
        public void APassingFault_IsRetriedNextRun_WithoutBackOff()
        {
            var id = Start();
            Simulator.InjectFault("/v3/document_share_session/result", SimulatedFault.ServerError);

            var faulted = Reconcile();
            Simulator.Complete(SessionOf(id), CaptureOutcome.PassWithSelfie);
            Reconcile();

            Assert.AreEqual(1, Counter(faulted, "Errors"));
            Assert.AreEqual(0, Row(id).GetAttributeValue<int>("okos_checkfailures"));
            Assert.AreEqual(Verified, Row(id).GetAttributeValue<OptionSetValue>("okos_status").Value);
        }

        [TestMethod]
        public void RecentlyCheckedSessions_WaitForTheThreshold()
        {
            Start();

            Assert.AreEqual(0, Counter(Reconcile(olderThanMinutes: 5), "Checked"));
        }

        [TestMethod]
        public void PastItsExpiry_IsExpiredAndItsLinkCleared()
        {
            var id = Start();
            Dataverse.Overwrite(new Entity("okos_verification", id) { ["okos_expiresat"] = DateTime.UtcNow.AddMinutes(-1) });

            var response = Reconcile();

            Assert.AreEqual(1, Counter(response, "Expired"));
            var row = Row(id);
            Assert.AreEqual(Expired, row.GetAttributeValue<OptionSetValue>("okos_status").Value);
            Assert.IsNull(row.GetAttributeValue<string>("okos_captureurl"));
        }

        [TestMethod]
        public void AFinalAnswerAfterOurExpiry_Wins()
        {
            var id = Start();
            Dataverse.Overwrite(new Entity("okos_verification", id) { ["okos_expiresat"] = DateTime.UtcNow.AddMinutes(-1) });
            Simulator.Complete(Simulator.Sessions.Single().Id, CaptureOutcome.PassWithSelfie);

            Reconcile();

            Assert.AreEqual(Verified, Row(id).GetAttributeValue<OptionSetValue>("okos_status").Value);
        }

        [TestMethod]
        public void AStartThatFailedTransiently_IsRetried()
        {
            Simulator.InjectFault("/document_share_session/create", SimulatedFault.ServerError);
            var id = Start();
            Assert.AreEqual(0, Simulator.Sessions.Count);

            var response = Reconcile();

            Assert.AreEqual(1, Counter(response, "Updated"));
            var row = Row(id);
            Assert.AreEqual(Simulator.Sessions.Single().Id, row["okos_sessionid"]);
            Assert.IsNull(row.GetAttributeValue<string>("okos_failurereason"));
        }

        [TestMethod]
        public void AReservationPastItsExpiry_IsExpiredInsteadOfRetried()
        {
            Simulator.InjectFault("/document_share_session/create", SimulatedFault.ServerError);
            var id = Start();
            Dataverse.Overwrite(new Entity("okos_verification", id) { ["okos_expiresat"] = DateTime.UtcNow.AddMinutes(-1) });

            Assert.AreEqual(1, Counter(Reconcile(), "Expired"));
            Assert.AreEqual(0, Simulator.Sessions.Count);
        }

        [TestMethod]
        public void Unreachable1Kosmos_CountsAnErrorAndLeavesTheRowForNextTime()
        {
            var id = Start();
            Simulator.InjectFault("/v3/document_share_session/result", SimulatedFault.ServerError);

            var response = Reconcile();

            Assert.AreEqual(1, Counter(response, "Errors"));
            Assert.AreEqual(Pending, Row(id).GetAttributeValue<OptionSetValue>("okos_status").Value);
        }

        [TestMethod]
        public void MaxSessions_BoundsOneRun()
        {
            for (var i = 0; i < 4; i++)
            {
                Start(Service.Create(new Entity("contact") { ["lastname"] = $"P{i}" }));
            }

            Assert.AreEqual(3, Counter(Reconcile(maxSessions: 3), "Checked"));
        }

        [TestMethod]
        public void MoreThanOnePageOfPendingSessions_AreAllChecked()
        {
            for (var i = 0; i < 60; i++)
            {
                Start(Service.Create(new Entity("contact") { ["lastname"] = $"P{i}" }));
            }

            Assert.AreEqual(60, Counter(Reconcile(), "Checked"));
        }

        [TestMethod]
        public void OldReceipts_AreDeleted_RecentOnesKept()
        {
            var id = Start();
            Dataverse.Seed(
                new Entity("okos_callbackreceipt") { ["okos_messageid"] = "old", ["okos_receivedat"] = DateTime.UtcNow.AddDays(-40), ["okos_verificationid"] = new EntityReference("okos_verification", id) },
                new Entity("okos_callbackreceipt") { ["okos_messageid"] = "new", ["okos_receivedat"] = DateTime.UtcNow.AddDays(-1), ["okos_verificationid"] = new EntityReference("okos_verification", id) });
            Product.Set("okos_ReceiptRetentionDays", "30");

            Reconcile();

            Assert.AreEqual("new", Receipts.Single()["okos_messageid"]);
        }

        [TestMethod]
        public void AnAgent_IsRefused_TheRelayMayReconcile()
        {
            var agent = Dataverse.AddUser("Agent", new[] { "Verification Agent", "Salesperson" });
            var relay = Dataverse.AddUser("Relay", new[] { "Verification Relay" });

            StringAssert.Contains(Refused(() => CallAs(agent, "okos_ReconcileVerifications")).Detail.Message, "prvCreateokos_callbackreceipt");
            Assert.AreEqual(0, (int)CallAs(relay, "okos_ReconcileVerifications")["Errors"]);
        }

        /// <summary>Reserved rows whose start failed, in a product whose 1Kosmos takes <paramref name="startsPerSecond"/> starts a second on <paramref name="clock"/>.</summary>
        private static ProductSandbox WithReservedStarts(int rows, int? startsPerSecond, TimeProvider clock)
        {
            var product = new ProductSandbox(startsPerSecond: startsPerSecond, simulatorClock: clock);
            product.Connect();
            for (var i = 0; i < rows; i++)
            {
                product.Simulator.InjectFault("/document_share_session/create", SimulatedFault.ServerError);
                var contact = product.Service.Create(new Entity("contact") { ["lastname"] = $"Onboarded {i}" });
                product.Call("okos_StartVerification", null, ("Subject", new EntityReference("contact", contact)));
            }
            Assert.IsTrue(product.Verifications.All(IsReservedOnly));
            return product;
        }

        private static bool IsReservedOnly(Entity row) => row.GetAttributeValue<string>("okos_sessionid").StartsWith("reserved:", StringComparison.Ordinal);

        private static ReconcileReport RunReconciler(ProductSandbox product, Action<TimeSpan> wait) =>
            product.AsProduct(system => new VerificationReconciler(system, new BlockIdResultApplier(system, product.Client, SystemClock.Instance),
                new VerificationStarter(new VerificationRows(system), system, product.Client, SystemClock.Instance), SystemClock.Instance, _ => { }, wait).Run(0, 100, 60, 30, Guid.NewGuid()));

        /// <summary>Issue #21: a run keeps to 1Kosmos' rate by waiting out its short Retry-After instead of failing every start after the first refusal.</summary>
        [TestMethod]
        public void ThrottledStarts_AreWaitedOut_AndTheRunGoesOn()
        {
            var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
            var product = WithReservedStarts(5, startsPerSecond: 2, clock);
            var waits = new System.Collections.Generic.List<TimeSpan>();

            var report = RunReconciler(product, asked => { waits.Add(asked); clock.Advance(asked); });

            CollectionAssert.AreEqual(new[] { TimeSpan.FromSeconds(1) }, waits, "1Kosmos asked once, for 1 s");
            Assert.AreEqual(1, report.ThrottleWaits);
            Assert.IsNull(report.StoppedByThrottle);
            Assert.AreEqual(1, product.Verifications.Count(IsReservedOnly), "the throttled start waits for the next run, behind the others");
            Assert.AreEqual(1, product.Simulator.StartsThrottled);

            clock.Advance(TimeSpan.FromSeconds(1));
            RunReconciler(product, _ => Assert.Fail("one start fits the second"));

            Assert.AreEqual(0, product.Verifications.Count(IsReservedOnly));
        }

        [TestMethod]
        public void ALongRetryAfter_StopsTheRun_TheRestWaitForTheNext()
        {
            var product = WithReservedStarts(3, startsPerSecond: null, TimeProvider.System);
            product.Simulator.InjectFault("/document_share_session/create", SimulatedFault.Throttle);

            var report = RunReconciler(product, _ => Assert.Fail("30 s is longer than a run waits"));

            Assert.AreEqual(TimeSpan.FromSeconds(30), report.StoppedByThrottle);
            Assert.AreEqual(1, report.Checked, "no start after 1Kosmos asked for 30 s");
            StringAssert.Contains(report.ToString(), "stopped: 1Kosmos asked to wait 30 s");
            Assert.AreEqual(3, product.Verifications.Count(IsReservedOnly));
        }

        /// <summary>The budget is checked between sessions: a run that has used it takes no new one.</summary>
        [TestMethod]
        public void TimeBudget_StopsTakingNewSessions()
        {
            for (var i = 0; i < 5; i++)
            {
                Start(Service.Create(new Entity("contact") { ["lastname"] = $"P{i}" }));
            }
            var clock = new SteppingClock(DateTimeOffset.UtcNow, TimeSpan.FromSeconds(25));
            var traces = new System.Collections.Generic.List<string>();
            var report = Product.AsProduct(system =>
                new VerificationReconciler(system, new BlockIdResultApplier(system, Product.Client, clock), new VerificationStarter(new VerificationRows(system), system, Product.Client, clock), clock, traces.Add, _ => Assert.Fail("nothing throttles"))
                    .Run(0, 100, 60, 30, Guid.NewGuid()));

            Assert.IsTrue(report.StoppedEarly);
            Assert.IsTrue(report.Checked is > 0 and < 5, report.ToString());
        }

        private sealed class SteppingClock : IClock
        {
            private readonly TimeSpan _step;
            private DateTimeOffset _now;

            public SteppingClock(DateTimeOffset start, TimeSpan step)
            {
                _now = start;
                _step = step;
            }

            public DateTimeOffset UtcNow
            {
                get
                {
                    var now = _now;
                    _now += _step;
                    return now;
                }
            }
        }
    }
}
