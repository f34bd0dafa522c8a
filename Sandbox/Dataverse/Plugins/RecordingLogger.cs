using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading.Tasks;
using Microsoft.Xrm.Sdk.PluginTelemetry;

namespace OneKosmos.Sandbox.Dataverse.Plugins
{
    /// <summary>One entry a plug-in wrote to its <see cref="ILogger"/>.</summary>
    public sealed class LogEntry
    {
        internal LogEntry(LogLevel level, string message, Exception? exception)
        {
            Level = level;
            Message = message;
            Exception = exception;
        }

        public LogLevel Level { get; }

        public string Message { get; }

        public Exception? Exception { get; }
    }

    /// <summary>The plug-in telemetry logger, keeping what was logged instead of sending it to Application Insights.</summary>
    public sealed class RecordingLogger : ILogger
    {
        private readonly List<LogEntry> _entries = new();
        private readonly List<(string Name, long Value)> _metrics = new();

        public IReadOnlyList<LogEntry> Entries => _entries;

        public IReadOnlyList<(string Name, long Value)> Metrics => _metrics;

        public IDisposable BeginScope<TState>(TState state) => NoScope.Instance;

        public IDisposable BeginScope(string messageFormat, params object[] args) => NoScope.Instance;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception exception, Func<TState, Exception, string> formatter) =>
            _entries.Add(new LogEntry(logLevel, formatter(state, exception), exception));

        public void Log(LogLevel logLevel, EventId eventId, Exception exception, string message, params object[] args) => Add(logLevel, exception, message, args);

        public void Log(LogLevel logLevel, EventId eventId, string message, params object[] args) => Add(logLevel, null, message, args);

        public void Log(LogLevel logLevel, Exception exception, string message, params object[] args) => Add(logLevel, exception, message, args);

        public void Log(LogLevel logLevel, string message, params object[] args) => Add(logLevel, null, message, args);

        public void LogCritical(EventId eventId, Exception exception, string message, params object[] args) => Add(LogLevel.Critical, exception, message, args);

        public void LogCritical(EventId eventId, string message, params object[] args) => Add(LogLevel.Critical, null, message, args);

        public void LogCritical(Exception exception, string message, params object[] args) => Add(LogLevel.Critical, exception, message, args);

        public void LogCritical(string message, params object[] args) => Add(LogLevel.Critical, null, message, args);

        public void LogDebug(EventId eventId, Exception exception, string message, params object[] args) => Add(LogLevel.Debug, exception, message, args);

        public void LogDebug(EventId eventId, string message, params object[] args) => Add(LogLevel.Debug, null, message, args);

        public void LogDebug(Exception exception, string message, params object[] args) => Add(LogLevel.Debug, exception, message, args);

        public void LogDebug(string message, params object[] args) => Add(LogLevel.Debug, null, message, args);

        public void LogError(EventId eventId, Exception exception, string message, params object[] args) => Add(LogLevel.Error, exception, message, args);

        public void LogError(EventId eventId, string message, params object[] args) => Add(LogLevel.Error, null, message, args);

        public void LogError(Exception exception, string message, params object[] args) => Add(LogLevel.Error, exception, message, args);

        public void LogError(string message, params object[] args) => Add(LogLevel.Error, null, message, args);

        public void LogInformation(EventId eventId, Exception exception, string message, params object[] args) => Add(LogLevel.Information, exception, message, args);

        public void LogInformation(EventId eventId, string message, params object[] args) => Add(LogLevel.Information, null, message, args);

        public void LogInformation(Exception exception, string message, params object[] args) => Add(LogLevel.Information, exception, message, args);

        public void LogInformation(string message, params object[] args) => Add(LogLevel.Information, null, message, args);

        public void LogTrace(EventId eventId, Exception exception, string message, params object[] args) => Add(LogLevel.Trace, exception, message, args);

        public void LogTrace(EventId eventId, string message, params object[] args) => Add(LogLevel.Trace, null, message, args);

        public void LogTrace(Exception exception, string message, params object[] args) => Add(LogLevel.Trace, exception, message, args);

        public void LogTrace(string message, params object[] args) => Add(LogLevel.Trace, null, message, args);

        public void LogWarning(EventId eventId, Exception exception, string message, params object[] args) => Add(LogLevel.Warning, exception, message, args);

        public void LogWarning(EventId eventId, string message, params object[] args) => Add(LogLevel.Warning, null, message, args);

        public void LogWarning(Exception exception, string message, params object[] args) => Add(LogLevel.Warning, exception, message, args);

        public void LogWarning(string message, params object[] args) => Add(LogLevel.Warning, null, message, args);

        public void LogMetric(string metricName, long value) => _metrics.Add((metricName, value));

        public void LogMetric(string metricName, IDictionary<string, string> metricDimensions, long value) => _metrics.Add((metricName, value));

        public void AddCustomProperty(string propertyName, string propertyValue)
        {
        }

        public void Execute(string activityName, Action action, IEnumerable<KeyValuePair<string, string>> additionalCustomProperties) => action();

        public Task ExecuteAsync(string activityName, Func<Task> action, IEnumerable<KeyValuePair<string, string>> additionalCustomProperties) => action();

        private void Add(LogLevel level, Exception? exception, string message, object[] args) =>
            _entries.Add(new LogEntry(level, args is null || args.Length == 0 ? message : string.Format(CultureInfo.InvariantCulture, message, args), exception));

        private sealed class NoScope : IDisposable
        {
            public static readonly NoScope Instance = new();

            public void Dispose()
            {
            }
        }
    }
}
