using System;
using System.Collections.Generic;

namespace OneKosmos.Relay.Dispatch
{
    /// <summary>
    /// Keeps the relay's calls under the service protection limits of its Dataverse application user the way Microsoft
    /// advises (learn.microsoft.com/power-apps/developer/data-platform/api-limits, "Let the server tell you how much it can
    /// handle"): calls go freely until Dataverse first answers 429; then every call waits out its Retry-After, not only the
    /// refused one; after that the calls are spread evenly at 90 % of what the window before the refusal carried, and the
    /// rate grows by 5 % for each window that passes without a refusal. So the relay hits the limit once, then stays just
    /// under it, and the Retry-After stays short.
    /// </summary>
    /// <remarks>Thread-safe: deliveries report refusals from their own continuations while the loop takes slots.</remarks>
    public sealed class ServiceProtectionPacer
    {
        /// <value>The share of the last window's requests the rate is set to after a refusal. 0.9.</value>
        public const double Margin = 0.9;

        /// <value>How much the rate grows for each window without a refusal. 5 %.</value>
        public const double Growth = 1.05;

        /// <value>The slowest pace: one call a second.</value>
        public const double SlowestPerSecond = 1;

        private readonly TimeProvider _clock;
        private readonly TimeSpan _window;
        private readonly int _burst;
        private readonly Queue<DateTimeOffset> _sent = new();
        private DateTimeOffset _pausedUntil = DateTimeOffset.MinValue;
        private double _tokens;
        private DateTimeOffset _tokensAt;
        private DateTimeOffset _growsAt;
        private readonly object _lock = new();

        /// <param name="clock">What "now" is.</param>
        /// <param name="window">The service protection window Dataverse counts in (documented: 5 minutes).</param>
        /// <param name="burst">The most calls that may start at once when paced (the dispatcher's concurrency).</param>
        public ServiceProtectionPacer(TimeProvider clock, TimeSpan window, int burst)
        {
            _clock = clock;
            _window = window;
            _burst = Math.Max(1, burst);
        }

        /// <value>Calls per second once Dataverse refused one; null while it never has.</value>
        public double? RatePerSecond { get; private set; }

        /// <summary>Takes up to <paramref name="wanted"/> calls that may start now; when fewer, <paramref name="nextIn"/> says when the next may.</summary>
        public int Take(int wanted, out TimeSpan nextIn)
        {
            lock (_lock)
            {
                var now = _clock.GetUtcNow();
                nextIn = TimeSpan.Zero;
                if (now < _pausedUntil)
                {
                    nextIn = _pausedUntil - now;
                    return 0;
                }
                if (RatePerSecond is not { } rate)
                {
                    return wanted;
                }
                if (now >= _growsAt)
                {
                    RatePerSecond = rate *= Growth;
                    _growsAt = now + _window;
                }
                _tokens = Math.Min(_burst, _tokens + ((now - _tokensAt).TotalSeconds * rate));
                _tokensAt = now;
                // Rounding: a slot due "now" must not be missed by a hair of floating point.
                var taken = Math.Min(wanted, (int)Math.Floor(_tokens + 1e-9));
                _tokens = Math.Max(0, _tokens - taken);
                if (taken < wanted)
                {
                    nextIn = TimeSpan.FromTicks((long)Math.Ceiling((1 - _tokens) / rate * TimeSpan.TicksPerSecond));
                }
                return taken;
            }
        }

        /// <summary>Gives back calls taken but not made (the queue had fewer messages).</summary>
        public void Return(int unused)
        {
            lock (_lock)
            {
                if (RatePerSecond is not null)
                {
                    _tokens = Math.Min(_burst, _tokens + unused);
                }
            }
        }

        /// <summary>A call went to Dataverse: counted for what the window carried.</summary>
        public void Sent()
        {
            lock (_lock)
            {
                var now = _clock.GetUtcNow();
                _sent.Enqueue(now);
                ForgetBefore(now - _window);
            }
        }

        /// <summary>
        /// Dataverse refused a call with 429: every call waits <paramref name="retryAfter"/>. The first refusal of a pause
        /// sets the pace from what the window carried; the others (calls already in flight) only lengthen the pause.
        /// </summary>
        /// <returns>Whether this refusal began a pause (the one worth a log line).</returns>
        public bool Refused(TimeSpan retryAfter)
        {
            lock (_lock)
            {
                var now = _clock.GetUtcNow();
                var began = now >= _pausedUntil;
                if (now + retryAfter > _pausedUntil)
                {
                    _pausedUntil = now + retryAfter;
                }
                if (began)
                {
                    ForgetBefore(now - _window);
                    var carried = _sent.Count / _window.TotalSeconds;
                    RatePerSecond = Math.Max(SlowestPerSecond, Margin * Math.Min(carried, RatePerSecond ?? double.MaxValue));
                    _growsAt = _pausedUntil + _window;
                }
                _tokens = 0;
                _tokensAt = _pausedUntil;
                return began;
            }
        }

        private void ForgetBefore(DateTimeOffset windowStart)
        {
            while (_sent.Count > 0 && _sent.Peek() <= windowStart)
            {
                _sent.Dequeue();
            }
        }
    }
}
