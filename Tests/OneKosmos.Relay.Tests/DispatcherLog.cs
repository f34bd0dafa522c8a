using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Microsoft.Extensions.Logging;
using OneKosmos.Relay.Dispatch;

namespace OneKosmos.Relay.Tests
{
    /// <summary>The dispatcher's log lines with when each was written: for leak checks and for what a run did when.</summary>
    internal sealed class DispatcherLog : ILogger<Dispatcher>
    {
        private readonly ConcurrentQueue<(TimeSpan At, LogLevel Level, string Text)> _lines = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public IEnumerable<string> Lines => _lines.Select(line => line.Text);

        public IReadOnlyList<(TimeSpan At, LogLevel Level, string Text)> Entries => _lines.ToList();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _lines.Enqueue((_clock.Elapsed, logLevel, formatter(state, exception) + exception));
    }
}
