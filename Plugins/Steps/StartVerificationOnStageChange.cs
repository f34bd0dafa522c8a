using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Core.Verification;

namespace OneKosmos.Plugins.Steps
{
    /// <summary>
    /// Post-operation, asynchronous, on opportunity Update (step name or sales stage) and on opportunitysalesprocess
    /// Update (the business process flow's active stage): when the opportunity moves into a stage listed in
    /// okos_VerificationStages and its contact has no Verified proofing within okos_VerificationValidityDays, starts one.
    /// </summary>
    public sealed class StartVerificationOnStageChange : PluginBase
    {
        protected override void ExecuteDataversePlugin(LocalPluginContext context)
        {
            var execution = context.ExecutionContext;
            var services = new ProductServices(context);
            var settings = services.Settings();
            var stages = settings.VerificationStages;
            Guid opportunityId;
            string[] stageNames;
            Entity? subjectColumns = null;
            if (execution.PrimaryEntityName == Schema.OpportunitySalesProcess.EntityName)
            {
                var flow = execution.PostEntityImages.TryGetValue("PostImage", out var image) ? image : null;
                var stage = flow?.GetAttributeValue<EntityReference>(Schema.OpportunitySalesProcess.ActiveStageId);
                var opportunity = flow?.GetAttributeValue<EntityReference>(Schema.OpportunitySalesProcess.OpportunityId);
                if (stage is null || opportunity is null)
                {
                    context.Trace("Skipped: the process flow names no active stage or no opportunity.");
                    return;
                }
                opportunityId = opportunity.Id;
                stageNames = new[] { context.SystemService.Retrieve(Schema.ProcessStage.EntityName, stage.Id, new ColumnSet(Schema.ProcessStage.StageName)).GetAttributeValue<string>(Schema.ProcessStage.StageName) };
            }
            else
            {
                var after = execution.PostEntityImages.TryGetValue("PostImage", out var post) ? post : new Entity();
                var before = execution.PreEntityImages.TryGetValue("PreImage", out var pre) ? pre : new Entity();
                var newNames = StageRules.NamesOf(after.GetAttributeValue<string>(Schema.Opportunity.StepName), after.GetAttributeValue<OptionSetValue>(Schema.Opportunity.SalesStage)?.Value).ToArray();
                var oldNames = StageRules.NamesOf(before.GetAttributeValue<string>(Schema.Opportunity.StepName), before.GetAttributeValue<OptionSetValue>(Schema.Opportunity.SalesStage)?.Value).ToArray();
                if (StageRules.IsListed(oldNames, stages))
                {
                    context.Trace("Skipped: the opportunity was already in a listed stage.");
                    return;
                }
                opportunityId = execution.PrimaryEntityId;
                stageNames = newNames;
                // The post-image carries the columns that name the contact (the step registers them): no read needed.
                subjectColumns = post;
            }
            if (!StageRules.IsListed(stageNames, stages))
            {
                context.Trace($"Skipped: stage '{string.Join("/", stageNames)}' is not listed in okos_VerificationStages.");
                return;
            }
            var contactId = subjectColumns is not null
                ? SubjectResolver.From(context.SystemService, subjectColumns)
                : SubjectResolver.ForOpportunity(context.SystemService, opportunityId);
            if (contactId is null)
            {
                context.Trace("Skipped: the opportunity has no contact, no contact customer and no account with a primary contact.");
                return;
            }
            var contact = ContactSnapshot.Read(context.SystemService, contactId.Value);
            var outcome = services.Starter().StartProofing(contact, settings.SessionTtlMinutes, execution.CorrelationId, new EntityReference(Schema.Opportunity.EntityName, opportunityId),
                unlessVerifiedSince: services.Clock.UtcNow.AddDays(-settings.VerificationValidityDays));
            context.Trace(outcome.Outcome == StartOutcome.AlreadyVerified
                ? "Skipped: the contact already has a Verified proofing within okos_VerificationValidityDays."
                : $"Identity proofing for contact {contact.Id}, asked by opportunity {opportunityId}: {outcome}.");
        }
    }
}
