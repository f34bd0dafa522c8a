using System.Collections.Generic;
using System.Globalization;
using Microsoft.Xrm.Sdk;

namespace OneKosmos.Sandbox.Dataverse.Plugins
{
    /// <summary>A tracing service that keeps every line, for assertions and the sandbox's activity log.</summary>
    public sealed class RecordingTracingService : ITracingService
    {
        private readonly List<string> _lines = new();

        public IReadOnlyList<string> Lines => _lines;

        /// <remarks>Without arguments the format is written as it is; with them it is formatted like <see cref="string.Format(string, object[])"/>.</remarks>
        public void Trace(string format, params object[] args) =>
            _lines.Add(args is null || args.Length == 0 ? format : string.Format(CultureInfo.InvariantCulture, format, args));

        public string Text => string.Join("\n", _lines);
    }
}
