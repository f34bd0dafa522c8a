using System;
using Microsoft.Xrm.Sdk;
using OneKosmos.Core.BlockId;
using OneKosmos.Core.Verification;
using OneKosmos.Plugins.Dataverse;

namespace OneKosmos.Plugins.UseCases
{
    /// <summary>What one reconciliation run did.</summary>
    public sealed class ReconcileReport
    {
        public int Checked { get; set; }

        public int Updated { get; set; }

        public int Expired { get; set; }

        public int Errors { get; set; }

        public int ReceiptsDeleted { get; set; }

        /// <value>The run stopped taking new sessions because its time budget ran out; the rest wait for the next run.</value>
        public bool StoppedEarly { get; set; }

        /// <value>How often 1Kosmos throttled the run and it waited as asked before going on.</value>
        public int ThrottleWaits { get; set; }

        /// <value>The run stopped because 1Kosmos throttled it for longer than it waits (or did not say how long): the rest wait for the next run.</value>
        public TimeSpan? StoppedByThrottle { get; set; }

        public override string ToString() =>
            $"checked {Checked}, updated {Updated}, expired {Expired}, errors {Errors}, receipts deleted {ReceiptsDeleted}"
            + (ThrottleWaits > 0 ? $", waited {ThrottleWaits} time(s) as 1Kosmos asked" : "")
            + (StoppedByThrottle is { } wait ? $", stopped: 1Kosmos asked to wait {wait.TotalSeconds:0} s" : StoppedEarly ? ", stopped at the time budget" : "");
    }

    /// <summary>
    /// Finishes what no callback finished (docs/design.md: nothing stays Pending forever): asks 1Kosmos about pending sessions
    /// not checked lately, retries starts that failed transiently, lets sessions past their expiry expire, and deletes
    /// receipts older than the retention. Bounded by a session count and a time budget well inside the 2-minute plug-in limit.
    /// </summary>
    public sealed class VerificationReconciler
    {
        public const int DefaultOlderThanMinutes = 5;
        public const int DefaultMaxSessions = 100;
        public const int MaxSessionsCap = 500;
        private const int PageSize = 50;
        private const int ReceiptDeletesPerRun = 500;

        /// <value>After this long a run takes no new session. Default 60 s: half the platform's limit, leaving room for the one in hand.</value>
        public static readonly TimeSpan TimeBudget = TimeSpan.FromSeconds(60);

        /// <value>
        /// After this many checks in a row that 1Kosmos refused (the session purged, the tenant's keys changed), a row past
        /// its expiry ends Expired (RESULT_UNAVAILABLE). Default 10: with the back-off below, about a day of trying.
        /// </value>
        public const int MaxCheckFailures = 10;

        /// <value>The first wait before a row whose check failed is tried again; it doubles with each failure, up to <see cref="LongestBackOff"/>.</value>
        public static readonly TimeSpan FirstBackOff = TimeSpan.FromMinutes(5);

        public static readonly TimeSpan LongestBackOff = TimeSpan.FromHours(6);

        /// <value>
        /// The longest Retry-After a run waits out before going on (1Kosmos throttles starts by the second); a longer one, or
        /// none given, stops the run and leaves the rest to the next. Default 5 s.
        /// </value>
        public static readonly TimeSpan LongestThrottleWait = TimeSpan.FromSeconds(5);

        private readonly IOrganizationService _system;
        private readonly VerificationRows _rows;
        private readonly BlockIdResultApplier _results;
        private readonly VerificationStarter _starter;
        private readonly IClock _clock;
        private readonly Action<string> _trace;
        private readonly Action<TimeSpan> _wait;

        /// <remarks><c>wait</c>: how the run waits out a Retry-After (the worker thread sleeps); tests move a clock instead.</remarks>
        public VerificationReconciler(IOrganizationService systemService, BlockIdResultApplier results, VerificationStarter starter, IClock clock, Action<string> trace, Action<TimeSpan> wait)
        {
            _system = systemService;
            _rows = new VerificationRows(systemService);
            _results = results;
            _starter = starter;
            _clock = clock;
            _trace = trace;
            _wait = wait;
        }

        /// <remarks><paramref name="maxSessions"/> is capped at <see cref="MaxSessionsCap"/>; values below 1 take the defaults.</remarks>
        public ReconcileReport Run(int olderThanMinutes, int maxSessions, int sessionTtlMinutes, int receiptRetentionDays, Guid correlationId)
        {
            var started = _clock.UtcNow;
            var report = new ReconcileReport();
            var limit = maxSessions < 1 ? DefaultMaxSessions : Math.Min(maxSessions, MaxSessionsCap);
            var age = olderThanMinutes < 0 ? DefaultOlderThanMinutes : olderThanMinutes;
            foreach (var row in _rows.PendingCheckedBefore(started.AddMinutes(-age), limit, PageSize))
            {
                if (_clock.UtcNow - started >= TimeBudget)
                {
                    report.StoppedEarly = true;
                    break;
                }
                var failures = row.GetAttributeValue<int?>(Schema.Verification.CheckFailures) ?? 0;
                if (IsBackingOff(row, failures))
                {
                    continue;
                }
                report.Checked++;
                TimeSpan? throttled;
                try
                {
                    throttled = Reconcile(row, sessionTtlMinutes, correlationId, report);
                    if (failures > 0)
                    {
                        _rows.RecordCheck(row.Id, 0, _clock.UtcNow);
                    }
                }
                catch (BlockIdException exception)
                {
                    report.Errors++;
                    GaveUpOrBackedOff(row, failures, exception, report);
                    throttled = exception.Failure == BlockIdFailure.Throttled ? exception.RetryAfter ?? TimeSpan.Zero : null;
                }
                if (throttled is { } asked && !WaitedOut(asked, started, report))
                {
                    break;
                }
            }
            report.ReceiptsDeleted = new CallbackReceipts(_system).DeleteReceivedBefore(started.AddDays(-receiptRetentionDays), ReceiptDeletesPerRun);
            return report;
        }

        /// <summary>
        /// 1Kosmos throttled the run: a short Retry-After that fits the time budget is waited out and the run goes on (so a
        /// run keeps to 1Kosmos' rate instead of failing every row after the first refusal); otherwise the run stops.
        /// </summary>
        private bool WaitedOut(TimeSpan asked, DateTimeOffset started, ReconcileReport report)
        {
            if (asked <= TimeSpan.Zero || asked > LongestThrottleWait || _clock.UtcNow - started + asked >= TimeBudget)
            {
                report.StoppedByThrottle = asked;
                report.StoppedEarly = true;
                _trace($"1Kosmos is throttling reconciliation{(asked > TimeSpan.Zero ? $" for {asked.TotalSeconds:0} s" : "")}; the remaining sessions wait for the next run.");
                return false;
            }
            report.ThrottleWaits++;
            _wait(asked);
            return true;
        }

        /// <summary>A row whose last checks 1Kosmos refused waits <see cref="FirstBackOff"/>, doubled per refusal, so it never crowds out the rest.</summary>
        private bool IsBackingOff(Entity row, int failures)
        {
            if (failures == 0 || DataverseTime.Utc(row.GetAttributeValue<DateTime?>(Schema.Verification.LastCheckedAt)) is not { } lastChecked)
            {
                return false;
            }
            var wait = TimeSpan.FromTicks(Math.Min(LongestBackOff.Ticks, FirstBackOff.Ticks << Math.Min(failures - 1, 16)));
            return _clock.UtcNow < lastChecked + wait;
        }

        /// <summary>
        /// The check failed, and the row records it, which moves it behind the others. A passing fault (5xx, timeout,
        /// throttling) is simply tried again next run; 1Kosmos refusing the request counts as a failure in a row (the row then
        /// waits longer), and after <see cref="MaxCheckFailures"/> of them a row past its expiry ends Expired with the reason.
        /// </summary>
        private void GaveUpOrBackedOff(Entity row, int failuresBefore, BlockIdException exception, ReconcileReport report)
        {
            var failures = exception.IsRetryable ? failuresBefore : failuresBefore + 1;
            if (failures >= MaxCheckFailures && _results.GiveUp(row.Id, $"{failures} checks refused, the last {exception.Failure.ToString().ToLowerInvariant()}") is { Changed: true })
            {
                report.Expired++;
                report.Updated++;
                _trace($"Verification {row.Id}: 1Kosmos refused {failures} checks in a row; past its expiry, it is now Expired.");
                return;
            }
            _rows.RecordCheck(row.Id, failures, _clock.UtcNow);
            _trace($"Verification {row.Id}: 1Kosmos could not answer ({exception.Failure}{(exception.IsRetryable ? "" : $", {failures} refused in a row")}); it is tried again {(exception.IsRetryable ? "next run" : "after a longer wait")}.");
        }

        /// <returns>How long 1Kosmos asked to wait when it throttled a retried start; null otherwise.</returns>
        private TimeSpan? Reconcile(Entity row, int sessionTtlMinutes, Guid correlationId, ReconcileReport report)
        {
            var sessionId = row.GetAttributeValue<string>(Schema.Verification.SessionId);
            var expiresAt = row.GetAttributeValue<DateTime?>(Schema.Verification.ExpiresAt);
            var reservedOnly = !SessionIds.IsSession(sessionId);
            if (reservedOnly && (DataverseTime.Utc(expiresAt) is not { } expiry || expiry > _clock.UtcNow))
            {
                var contact = ContactSnapshot.Read(_system, row.GetAttributeValue<EntityReference>(Schema.Verification.ContactId).Id);
                var journey = Choices.JourneyOf(row.GetAttributeValue<OptionSetValue>(Schema.Verification.Journey));
                var result = _starter.Start(journey, new StartRequest(contact, sessionTtlMinutes, correlationId));
                _trace($"Verification {row.Id}: start retried, {result.Outcome}.");
                if (result.Outcome == StartOutcome.WillRetry)
                {
                    report.Errors++;
                }
                else
                {
                    report.Updated++;
                }
                return result.ThrottledFor;
            }
            var transition = _results.Apply(row.Id);
            _trace($"Verification {row.Id}: {transition.Reason}.");
            if (transition.Changed)
            {
                report.Updated++;
                if (transition.After.Status == VerificationStatus.Expired)
                {
                    report.Expired++;
                }
            }
            return null;
        }
    }
}
