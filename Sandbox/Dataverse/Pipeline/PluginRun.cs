using System;
using System.Collections.Generic;
using OneKosmos.Sandbox.Dataverse.Plugins;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Dataverse.Pipeline
{
    /// <summary>One execution of a registered step: what ran, in which context, what it traced and how it ended.</summary>
    public sealed class PluginRun
    {
        internal PluginRun(StepRegistration step, SandboxPluginExecutionContext context, IReadOnlyList<string> traceLines, string? error)
        {
            Step = step;
            Context = context;
            TraceLines = traceLines;
            Error = error;
        }

        public StepRegistration Step { get; }

        public SandboxPluginExecutionContext Context { get; }

        public IReadOnlyList<string> TraceLines { get; }

        /// <value>Null when the step succeeded; otherwise the message the platform would record.</value>
        public string? Error { get; }

        public bool Succeeded => Error is null;
    }
}
