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

        public override string ToString() =>
            $"checked {Checked}, updated {Updated}, expired {Expired}, errors {Errors}, receipts deleted {ReceiptsDeleted}{(StoppedEarly ? ", stopped at the time budget" : "")}";
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

        private readonly IOrganizationService _system;
        private readonly BlockIdResultApplier _results;
        private readonly VerificationStarter _starter;
        private readonly IClock _clock;
        private readonly Action<string> _trace;

        public VerificationReconciler(IOrganizationService systemService, BlockIdResultApplier results, VerificationStarter starter, IClock clock, Action<string> trace)
        {
            _system = systemService;
            _results = results;
            _starter = starter;
            _clock = clock;
            _trace = trace;
        }

        /// <remarks><paramref name="maxSessions"/> is capped at <see cref="MaxSessionsCap"/>; values below 1 take the defaults.</remarks>
        public ReconcileReport Run(int olderThanMinutes, int maxSessions, int sessionTtlMinutes, int receiptRetentionDays, Guid correlationId)
        {
            var started = _clock.UtcNow;
            var report = new ReconcileReport();
            var limit = maxSessions < 1 ? DefaultMaxSessions : Math.Min(maxSessions, MaxSessionsCap);
            var age = olderThanMinutes < 0 ? DefaultOlderThanMinutes : olderThanMinutes;
            foreach (var row in new VerificationRows(_system).PendingCheckedBefore(started.AddMinutes(-age), limit, PageSize))
            {
                if (_clock.UtcNow - started >= TimeBudget)
                {
                    report.StoppedEarly = true;
                    break;
                }
                report.Checked++;
                try
                {
                    Reconcile(row, sessionTtlMinutes, correlationId, report);
                }
                catch (BlockIdException exception)
                {
                    report.Errors++;
                    _trace($"Verification {row.Id}: 1Kosmos could not answer ({exception.Failure}); it is tried again next run.");
                }
            }
            report.ReceiptsDeleted = new CallbackReceipts(_system).DeleteReceivedBefore(started.AddDays(-receiptRetentionDays), ReceiptDeletesPerRun);
            return report;
        }

        private void Reconcile(Entity row, int sessionTtlMinutes, Guid correlationId, ReconcileReport report)
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
                return;
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
        }
    }
}
