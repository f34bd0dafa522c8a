using System;
using Microsoft.Xrm.Sdk;

namespace OneKosmos.Sandbox.Dataverse.Tests.Pipeline.Fixtures
{
    /// <summary>Plug-ins the fixture solution registers; each does one thing a pipeline test can observe.</summary>
    internal static class Services
    {
        public static IPluginExecutionContext Context(IServiceProvider provider) =>
            (IPluginExecutionContext)provider.GetService(typeof(IPluginExecutionContext))!;

        public static IOrganizationService AsCaller(IServiceProvider provider) =>
            ((IOrganizationServiceFactory)provider.GetService(typeof(IOrganizationServiceFactory))!).CreateOrganizationService(Context(provider).UserId);
    }

    public sealed class NoteOnCreatePlugin : IPlugin
    {
        public void Execute(IServiceProvider serviceProvider)
        {
            var context = Services.Context(serviceProvider);
            Services.AsCaller(serviceProvider).Create(new Entity("annotation")
            {
                ["subject"] = "created",
                ["objectid"] = new EntityReference(context.PrimaryEntityName, context.PrimaryEntityId),
            });
        }
    }

    /// <summary>Does nothing: the test reads what it was given from the sandbox's record of plug-in runs.</summary>
    public sealed class RecordingPlugin : IPlugin
    {
        public void Execute(IServiceProvider serviceProvider)
        {
        }
    }

    public sealed class UppercaseNamePlugin : IPlugin
    {
        public void Execute(IServiceProvider serviceProvider)
        {
            var target = (Entity)Services.Context(serviceProvider).InputParameters["Target"];
            if (target.GetAttributeValue<string>("name") is { } name)
            {
                target["name"] = name.ToUpperInvariant();
            }
        }
    }

    /// <summary>Writes an audit note, then refuses accounts whose name contains the configured word.</summary>
    public sealed class RejectBlockedNamePlugin : IPlugin
    {
        private readonly string _blockedWord;

        public RejectBlockedNamePlugin(string unsecureConfiguration, string secureConfiguration)
        {
            _blockedWord = unsecureConfiguration;
        }

        public void Execute(IServiceProvider serviceProvider)
        {
            var context = Services.Context(serviceProvider);
            var target = (Entity)context.InputParameters["Target"];
            Services.AsCaller(serviceProvider).Create(new Entity("annotation") { ["subject"] = "checked " + target.GetAttributeValue<string>("name") });
            if (target.GetAttributeValue<string>("name")?.Contains(_blockedWord, StringComparison.Ordinal) == true)
            {
                throw new InvalidPluginExecutionException($"Accounts named {_blockedWord} are not allowed.");
            }
        }
    }
}
