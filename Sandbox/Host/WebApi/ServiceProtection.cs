using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;

namespace OneKosmos.Sandbox.Host.WebApi
{
    /// <summary>
    /// Dataverse's service protection limits for one web server, per user (Microsoft's "Service protection API limits",
    /// learn.microsoft.com/power-apps/developer/data-platform/api-limits): requests and combined execution time in a sliding
    /// window, and concurrent requests.
    /// </summary>
    /// <param name="Requests">Requests a user may send within <paramref name="Window"/>.</param>
    /// <param name="ExecutionTime">The combined execution time of a user's requests within <paramref name="Window"/>.</param>
    /// <param name="Window">The sliding window both are counted in.</param>
    /// <param name="ConcurrentRequests">Requests a user may have in flight at once.</param>
    public sealed record ServiceProtectionLimits(int Requests, TimeSpan ExecutionTime, TimeSpan Window, int ConcurrentRequests)
    {
        /// <value>The documented defaults per web server: 6,000 requests and 20 minutes of execution time in 5 minutes, 52 concurrent.</value>
        public static ServiceProtectionLimits Documented { get; } = new(6000, TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(5), 52);

        /// <summary>
        /// The same limits with time running <paramref name="factor"/> times faster: the window and the execution time shrink by
        /// the factor, the counts stay. A measurement then reaches the limits in a fraction of the time; the ceiling in
        /// requests per second grows by the factor, the share of it a client reaches does not.
        /// </summary>
        public ServiceProtectionLimits Faster(int factor) => this with { Window = Window / factor, ExecutionTime = ExecutionTime / factor };

        /// <value>The most requests per second a user can sustain.</value>
        public double RequestsPerSecond => Requests / Window.TotalSeconds;
    }

    /// <summary>Why a request was refused, with Dataverse's Web API error code and message and the Retry-After it sends.</summary>
    public sealed record ServiceProtectionRefusal(string Code, string Message, TimeSpan RetryAfter)
    {
        /// <value>Retry-After as the header carries it: whole seconds, rounded up.</value>
        public string RetryAfterSeconds => Math.Max(0, (int)Math.Ceiling(RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Enforces <see cref="ServiceProtectionLimits"/> as the documentation describes them: a request is counted when it
    /// arrives, its execution time when it ends; once the requests or the execution time of the preceding window reach
    /// the limit, every request of that user is refused until the Retry-After it was given has passed (time for enough of
    /// the window to slide out); a request beyond the concurrent limit is refused at once. Refused requests do not count.
    /// Each user is limited on their own.
    /// </summary>
    /// <remarks>
    /// Not modelled: Dataverse lengthens the Retry-After of a client that keeps sending demanding requests, and a real
    /// environment has several web servers, each enforcing the limits on its own (the sandbox is one, as a trial is). The
    /// documentation gives no Retry-After for the concurrent limit; the sandbox says 1 s.
    /// </remarks>
    public sealed class ServiceProtection
    {
        public const string RequestsCode = "0x80072322";
        public const string ExecutionTimeCode = "0x80072321";
        public const string ConcurrencyCode = "0x80072326";

        private static readonly TimeSpan ConcurrencyRetryAfter = TimeSpan.FromSeconds(1);

        private readonly TimeProvider _clock;
        private readonly Dictionary<Guid, UserWindow> _users = new();
        private readonly object _lock = new();
        private int _refused;

        public ServiceProtection(ServiceProtectionLimits limits, TimeProvider? clock = null)
        {
            Limits = limits;
            _clock = clock ?? TimeProvider.System;
        }

        public ServiceProtectionLimits Limits { get; }

        /// <value>How many requests were refused so far (a client that honours Retry-After sees few).</value>
        public int Refused => Volatile.Read(ref _refused);

        /// <summary>Admits a request of <paramref name="user"/> (call <see cref="Leave"/> when it ends), or says why not.</summary>
        public ServiceProtectionRefusal? Enter(Guid user)
        {
            lock (_lock)
            {
                var now = _clock.GetUtcNow();
                if (!_users.TryGetValue(user, out var window))
                {
                    _users[user] = window = new UserWindow();
                }
                window.SlideTo(now - Limits.Window);
                var refusal = window.InFlight >= Limits.ConcurrentRequests
                    ? new ServiceProtectionRefusal(ConcurrencyCode, $"Number of concurrent requests exceeded the limit of {Limits.ConcurrentRequests}.", ConcurrencyRetryAfter)
                    : window.ThrottledUntil > now
                        ? window.Refusal! with { RetryAfter = window.ThrottledUntil - now }
                        : Exceeded(window, now);
                if (refusal is not null)
                {
                    _refused++;
                    return refusal;
                }
                window.Arrivals.Enqueue(now);
                window.InFlight++;
                return null;
            }
        }

        /// <summary>Ends a request <see cref="Enter"/> admitted, adding what it took to the user's execution time.</summary>
        public void Leave(Guid user, TimeSpan executionTime)
        {
            lock (_lock)
            {
                var window = _users[user];
                window.InFlight--;
                window.Completions.Enqueue((_clock.GetUtcNow(), executionTime));
                window.ExecutionTime += executionTime;
            }
        }

        /// <summary>Whether the window already holds the limit; if so the user is throttled until enough of it slides out.</summary>
        private ServiceProtectionRefusal? Exceeded(UserWindow window, DateTimeOffset now)
        {
            ServiceProtectionRefusal? refusal = null;
            DateTimeOffset until = now;
            if (window.Arrivals.Count >= Limits.Requests)
            {
                until = RequestsFreeAt(window);
                refusal = new ServiceProtectionRefusal(RequestsCode,
                    $"Number of requests exceeded the limit of {Limits.Requests} over time window of {Limits.Window.TotalSeconds:0.###} seconds.", until - now);
            }
            else if (window.ExecutionTime >= Limits.ExecutionTime)
            {
                until = ExecutionTimeFreeAt(window);
                refusal = new ServiceProtectionRefusal(ExecutionTimeCode,
                    $"Combined execution time of incoming requests exceeded limit of {Limits.ExecutionTime.TotalMilliseconds.ToString("N0", CultureInfo.InvariantCulture)} milliseconds over time window of {Limits.Window.TotalSeconds:0.###} seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.",
                    until - now);
            }
            if (refusal is not null)
            {
                window.ThrottledUntil = until;
                window.Refusal = refusal;
            }
            return refusal;
        }

        /// <summary>When the oldest requests beyond the limit have slid out of the window.</summary>
        private DateTimeOffset RequestsFreeAt(UserWindow window)
        {
            var excess = window.Arrivals.Count - Limits.Requests;
            using var arrivals = window.Arrivals.GetEnumerator();
            for (var i = 0; i <= excess; i++)
            {
                arrivals.MoveNext();
            }
            return arrivals.Current + Limits.Window;
        }

        /// <summary>When enough completed requests have slid out that the execution time is under the limit again.</summary>
        private DateTimeOffset ExecutionTimeFreeAt(UserWindow window)
        {
            var remaining = window.ExecutionTime;
            foreach (var (at, took) in window.Completions)
            {
                remaining -= took;
                if (remaining < Limits.ExecutionTime)
                {
                    return at + Limits.Window;
                }
            }
            return _clock.GetUtcNow() + Limits.Window;
        }

        private sealed class UserWindow
        {
            public Queue<DateTimeOffset> Arrivals { get; } = new();

            public Queue<(DateTimeOffset At, TimeSpan Took)> Completions { get; } = new();

            public TimeSpan ExecutionTime { get; set; }

            public int InFlight { get; set; }

            public DateTimeOffset ThrottledUntil { get; set; }

            public ServiceProtectionRefusal? Refusal { get; set; }

            public void SlideTo(DateTimeOffset windowStart)
            {
                while (Arrivals.Count > 0 && Arrivals.Peek() <= windowStart)
                {
                    Arrivals.Dequeue();
                }
                while (Completions.Count > 0 && Completions.Peek().At <= windowStart)
                {
                    ExecutionTime -= Completions.Dequeue().Took;
                }
            }
        }
    }
}
