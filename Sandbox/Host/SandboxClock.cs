using System;
using System.Threading;
using OneKosmos.Core.Verification;

namespace OneKosmos.Sandbox.Host
{
    /// <summary>
    /// The local sandbox's one clock, for the plug-ins, the in-memory Dataverse and the BlockID simulator: the machine's time
    /// plus however far a scenario moved it on, so "five minutes later" (a scheduled reconcile, a settings cache running
    /// out) happens without waiting, and the simulator still finds the plug-ins' signed requests on time.
    /// </summary>
    /// <remarks>The relay keeps the machine's time: move the clock on only where no callback must still be accepted.</remarks>
    public sealed class SandboxClock : TimeProvider, IClock
    {
        private long _offsetTicks;

        public DateTimeOffset UtcNow => GetUtcNow();

        public override DateTimeOffset GetUtcNow() => SystemClock.Instance.UtcNow + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

        public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
    }
}
