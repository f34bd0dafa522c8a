using System;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;

namespace OneKosmos.Sandbox.Dataverse.Messages
{
    /// <summary>
    /// Win (WinOpportunityRequest): closes the opportunity as won with the given status and records the opportunityclose
    /// activity. Plug-in steps see the message with the opportunity as primary entity.
    /// </summary>
    internal sealed class WinHandler : IMessageHandler
    {
        private const int Won = 1;
        private const int WonStatus = 3;

        public OrganizationResponse Handle(OrganizationRequest request, MessageContext context)
        {
            var close = Parameter.Required<Entity>(request, "OpportunityClose");
            var opportunity = close.GetAttributeValue<EntityReference>("opportunityid")
                ?? throw DataverseFaults.InvalidArgument("The Win request's OpportunityClose names no opportunityid.");
            var status = Parameter.Optional<OptionSetValue?>(request, "Status", null)?.Value ?? WonStatus;
            context.Rows.Insert(close, context.CallerId);
            context.Rows.Change(new Entity("opportunity", opportunity.Id)
            {
                ["statecode"] = new OptionSetValue(Won),
                ["statuscode"] = new OptionSetValue(status),
            }, context.CallerId, ConcurrencyBehavior.Default);
            return new OrganizationResponse { ResponseName = "Win" };
        }
    }

    /// <summary>
    /// QualifyLead: marks the lead qualified with the given status. Creating the account, contact or opportunity from the
    /// lead is not modelled: a request asking for it fails with <see cref="NotSupportedException"/>.
    /// </summary>
    internal sealed class QualifyLeadHandler : IMessageHandler
    {
        private const int Qualified = 1;
        private const int QualifiedStatus = 3;

        public OrganizationResponse Handle(OrganizationRequest request, MessageContext context)
        {
            var lead = Parameter.Required<EntityReference>(request, "LeadId");
            foreach (var flag in new[] { "CreateAccount", "CreateContact", "CreateOpportunity" })
            {
                if (Parameter.Optional(request, flag, false))
                {
                    throw new NotSupportedException($"The in-memory Dataverse qualifies a lead without creating records: {flag} = true is not modelled.");
                }
            }
            var status = Parameter.Optional<OptionSetValue?>(request, "Status", null)?.Value ?? QualifiedStatus;
            // The state change runs as an Update of the lead, so steps and flow triggers on Update of the lead's statecode see
            // the qualification, as SetState's state changes reach Update steps (INFERRED for QualifyLead's own change).
            context.Execute(new UpdateRequest
            {
                Target = new Entity("lead", lead.Id)
                {
                    ["statecode"] = new OptionSetValue(Qualified),
                    ["statuscode"] = new OptionSetValue(status),
                },
            });
            return new OrganizationResponse { ResponseName = "QualifyLead", ["CreatedEntities"] = new EntityCollection() };
        }
    }
}
