using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OneKosmos.Relay
{
    /// <summary>How a background loop of the relay copes with failures.</summary>
    public sealed class LoopOptions
    {
        /// <value>The first wait after a failed round; it doubles with each failure in a row, up to <see cref="LongestBackOff"/>. Default 1 s.</value>
        public TimeSpan FirstBackOff { get; set; } = TimeSpan.FromSeconds(1);

        /// <value>Default 1 min.</value>
        public TimeSpan LongestBackOff { get; set; } = TimeSpan.FromMinutes(1);

        /// <value>
        /// A loop failing every round that had work for this long (and at least <see cref="FailuresBeforeGivingUp"/> times)
        /// cannot heal by itself (a wrong or expired secret, a lost queue): the relay stops with exit code 3 and says what
        /// failed, so a supervisor's restart-on-failure and an alert fire. Default 30 min (Relay:Loops:GiveUpAfter).
        /// </value>
        public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromMinutes(30);

        /// <value>Default 3: one unlucky round after a quiet hour is not a loop that cannot heal.</value>
        public int FailuresBeforeGivingUp { get; set; } = 3;
    }

    /// <summary>Why the relay stopped itself, if it did: <see cref="RelayProgram"/> turns it into a non-zero exit code.</summary>
    public sealed class RelayHealth(IHostApplicationLifetime lifetime)
    {
        public string? FatalReason { get; private set; }

        public void Fail(string reason)
        {
            FatalReason ??= reason;
            lifetime.StopApplication();
        }
    }

    /// <summary>What one round of a loop did: whether it had work (an idle round proves nothing about health), and how long to wait.</summary>
    public readonly record struct LoopRound(bool DidWork, TimeSpan Wait);

    /// <summary>
    /// Runs one background loop of the relay so that it never dies silently: every unexpected exception is logged with its
    /// kind, the loop backs off and goes on; one that keeps failing for <see cref="LoopOptions.GiveUpAfter"/> stops the
    /// relay through <see cref="RelayHealth"/> with a message that says what to fix.
    /// </summary>
    public sealed class RelayLoop(string name, LoopOptions options, RelayHealth health, TimeProvider time, ILogger logger)
    {
        /// <remarks><paramref name="round"/> does one round and says whether it had work and how long to wait before the next.</remarks>
        public async Task RunAsync(Func<CancellationToken, Task<LoopRound>> round, CancellationToken stopping)
        {
            DateTimeOffset? failingSince = null;
            var failures = 0;
            while (!stopping.IsCancellationRequested)
            {
                TimeSpan wait;
                try
                {
                    var done = await round(stopping);
                    wait = done.Wait;
                    if (done.DidWork && failures > 0)
                    {
                        logger.LogInformation("{Loop} works again after {Failures} failed round(s).", name, failures);
                        (failingSince, failures) = (null, 0);
                    }
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception exception)
                {
                    failures++;
                    failingSince ??= time.GetUtcNow();
                    var failingFor = time.GetUtcNow() - failingSince.Value;
                    if (failingFor >= options.GiveUpAfter && failures >= options.FailuresBeforeGivingUp)
                    {
                        var reason = $"{name} has failed every round for {failingFor.TotalMinutes:0.#} min, last with {exception.GetType().Name}: {exception.Message}. Check its settings and credentials (the Dataverse client secret, the 1Kosmos license key, the queue's path or connection), then start the relay again.";
                        logger.LogCritical("{Reason}", reason);
                        health.Fail(reason);
                        return;
                    }
                    wait = TimeSpan.FromTicks(Math.Min(options.LongestBackOff.Ticks, options.FirstBackOff.Ticks << Math.Min(failures - 1, 20)));
                    logger.LogError("{Loop} failed ({Kind}: {Message}); trying again in {Wait}.", name, exception.GetType().Name, exception.Message, wait);
                }
                try
                {
                    await Task.Delay(wait, time, stopping);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }
}
