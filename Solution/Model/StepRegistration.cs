using System;
using System.Collections.Generic;

namespace OneKosmos.Solution.Model
{
    /// <summary>One plug-in step registration: which plug-in runs for which message, table, stage and mode.</summary>
    public sealed class StepRegistration
    {
        public Guid Id { get; init; }

        public string Name { get; init; } = "";

        /// <value>Full name of the plug-in class (namespace and type, without the assembly).</value>
        public string PluginTypeName { get; init; } = "";

        public string MessageName { get; init; } = "";

        /// <value>The table the step is bound to; null for a step that runs for every table.</value>
        public string? PrimaryEntity { get; init; }

        public PipelineStage Stage { get; init; }

        public ExecutionMode Mode { get; init; }

        /// <value>Order within a stage: lower runs first. Default 1.</value>
        public int Rank { get; init; } = 1;

        /// <value>For Update: the step runs only when the target sets one of these columns. Empty: always.</value>
        public IReadOnlyCollection<string> FilteringAttributes { get; init; } = Array.Empty<string>();

        /// <value>The unsecure configuration, passed to a plug-in constructor taking (unsecure, secure) strings.</value>
        public string? Configuration { get; init; }

        public IReadOnlyList<ImageRegistration> Images { get; init; } = Array.Empty<ImageRegistration>();

        /// <summary>A comma-separated column list (filtering attributes, image attributes) as the platform stores it; empty text: none.</summary>
        public static IReadOnlyCollection<string> ColumnsOf(string? commaSeparated) =>
            string.IsNullOrWhiteSpace(commaSeparated)
                ? Array.Empty<string>()
                : commaSeparated!.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        public override string ToString() => string.IsNullOrEmpty(Name) ? $"{PluginTypeName}: {MessageName} of {PrimaryEntity ?? "any table"}" : Name;
    }

    /// <summary>Which snapshots of the row an image registration asks for.</summary>
    public enum ImageKind
    {
        PreImage = 0,
        PostImage = 1,
        Both = 2,
    }

    /// <summary>An entity image registered on a step: a snapshot of the row before or after the operation.</summary>
    public sealed class ImageRegistration
    {
        /// <value>The image's own id in the solution source; empty when it has none.</value>
        public Guid Id { get; init; }

        /// <value>The message property the image is taken of: Target, or Id for a Create.</value>
        public string MessagePropertyName { get; init; } = "Target";

        /// <value>The key under which the plug-in finds the image in Pre/PostEntityImages.</value>
        public string EntityAlias { get; init; } = "";

        public ImageKind Kind { get; init; }

        /// <value>The columns the image carries. Empty: every column.</value>
        public IReadOnlyCollection<string> Attributes { get; init; } = Array.Empty<string>();
    }
}
