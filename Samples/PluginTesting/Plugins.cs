using System;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace Contoso.Membership.Plugins
{
    /// <summary>Pre-operation on Create of contoso_membership: a membership needs a member, and is named after them.</summary>
    public sealed class NameMembershipPlugin : IPlugin
    {
        public void Execute(IServiceProvider serviceProvider)
        {
            var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
            var factory = (IOrganizationServiceFactory)serviceProvider.GetService(typeof(IOrganizationServiceFactory))!;
            var membership = (Entity)context.InputParameters["Target"];
            var member = membership.GetAttributeValue<EntityReference>("contoso_contactid")
                ?? throw new InvalidPluginExecutionException("A membership needs a member: choose the contact in Contact.");
            var contact = factory.CreateOrganizationService(context.UserId).Retrieve("contact", member.Id, new ColumnSet("fullname"));
            membership["contoso_name"] = $"{contact.GetAttributeValue<string>("fullname")}: membership";
        }
    }

    /// <summary>Post-operation on Create of contoso_membership: a note on the member welcomes them, or welcomes them back.</summary>
    public sealed class WelcomeNotePlugin : IPlugin
    {
        public void Execute(IServiceProvider serviceProvider)
        {
            var context = (IPluginExecutionContext)serviceProvider.GetService(typeof(IPluginExecutionContext))!;
            var factory = (IOrganizationServiceFactory)serviceProvider.GetService(typeof(IOrganizationServiceFactory))!;
            var tracing = (ITracingService)serviceProvider.GetService(typeof(ITracingService))!;
            var service = factory.CreateOrganizationService(context.UserId);
            var member = ((Entity)context.InputParameters["Target"]).GetAttributeValue<EntityReference>("contoso_contactid");
            var memberships = service.RetrieveMultiple(new FetchExpression($"""
                <fetch>
                  <entity name="contoso_membership">
                    <attribute name="contoso_membershipid" />
                    <filter>
                      <condition attribute="contoso_contactid" operator="eq" value="{member.Id}" />
                    </filter>
                  </entity>
                </fetch>
                """)).Entities.Count;
            tracing.Trace("The member holds {0} membership(s).", memberships);
            service.Create(new Entity("annotation")
            {
                ["subject"] = memberships > 1 ? "Welcome back" : "Welcome",
                ["objectid"] = member,
                ["objecttypecode"] = "contact",
            });
        }
    }
}
