using System;

namespace OneKosmos.Core.Verification
{
    /// <summary>The current time, injected so expiry, replay windows and request timestamps are testable without waiting.</summary>
    public interface IClock
    {
        DateTimeOffset UtcNow { get; }
    }

    /// <summary>The machine's clock.</summary>
    public sealed class SystemClock : IClock
    {
        public static readonly SystemClock Instance = new();

        private SystemClock()
        {
        }

#pragma warning disable RS0030 // The one place product code reads the system time: everything else is given this clock.
        public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;
#pragma warning restore RS0030
    }
}
