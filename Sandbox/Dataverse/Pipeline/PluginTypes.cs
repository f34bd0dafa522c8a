using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.Xrm.Sdk;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Dataverse.Pipeline
{
    /// <summary>Finds and constructs the plug-in class a step names, as the platform does: one cached instance per step.</summary>
    internal static class PluginTypes
    {
        public static IPlugin Create(StepRegistration step, IEnumerable<Assembly> assemblies)
        {
            var type = assemblies.Select(assembly => assembly.GetType(step.PluginTypeName, throwOnError: false)).FirstOrDefault(found => found is not null)
                ?? throw new InvalidOperationException($"Step '{step}' names the plug-in type {step.PluginTypeName}, which none of the given assemblies contains.");
            if (!type.IsPublic || type.IsAbstract || !typeof(IPlugin).IsAssignableFrom(type))
            {
                throw new InvalidOperationException($"Step '{step}' names {step.PluginTypeName}, which is not a public, non-abstract class implementing IPlugin.");
            }
            var withConfiguration = type.GetConstructor(new[] { typeof(string), typeof(string) });
            if (withConfiguration is not null)
            {
                return (IPlugin)withConfiguration.Invoke(new object?[] { step.Configuration, null });
            }
            var parameterless = type.GetConstructor(Type.EmptyTypes)
                ?? throw new InvalidOperationException($"{step.PluginTypeName} has neither a public parameterless constructor nor one taking (string unsecure, string secure).");
            return (IPlugin)parameterless.Invoke(null);
        }
    }
}
