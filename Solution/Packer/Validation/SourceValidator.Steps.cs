using System.Collections.Generic;
using System.Linq;
using OneKosmos.Solution.Model;

namespace OneKosmos.Solution.Packer.Validation
{
    /// <summary>Steps name messages, tables, columns and plug-in types that exist.</summary>
    internal sealed partial class SourceValidator
    {
        private void CheckSteps(SolutionMetadata metadata, IReadOnlyList<StepRegistration> steps)
        {
            foreach (var step in steps)
            {
                var file = $"{SolutionStepReader.StepsFolder}/{{{step.Id}}}.xml";
                if (step.PrimaryEntity is { } table)
                {
                    var tableMetadata = metadata.Table(table);
                    if (tableMetadata is null)
                    {
                        _problems.Add(new Problem(file, "PrimaryEntity", $"step '{step}' is registered on {table}, a table neither the solution nor the sandbox's standard tables define"));
                    }
                    else
                    {
                        foreach (var column in step.FilteringAttributes.Where(column => tableMetadata.Column(column) is null))
                        {
                            _problems.Add(new Problem(file, "FilteringAttributes", $"{table} has no column {column}"));
                        }
                        foreach (var image in step.Images)
                        {
                            foreach (var column in image.Attributes.Where(column => tableMetadata.Column(column) is null))
                            {
                                _problems.Add(new Problem(file, "SdkMessageProcessingStepImage", $"image {image.EntityAlias}: {table} has no column {column}"));
                            }
                        }
                    }
                }
                if (_assemblies is not null && _assemblies.WhyNotAPlugin(step.PluginTypeName) is { } reason)
                {
                    _problems.Add(new Problem(file, "PluginTypeName", reason));
                }
            }
        }

        private static readonly string[] TablePrivileges = { "Create", "Read", "Write", "Delete", "Append", "AppendTo", "Assign", "Share" };
    }
}
