using System;
using System.Linq;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Core.Verification;
using OneKosmos.Plugins.Dataverse;

namespace OneKosmos.Plugins.UseCases
{
    /// <summary>
    /// When an opportunity moves into a stage listed in okos_VerificationStages (its step name or sales stage, or its
    /// business process flow's active stage) and its contact has no Verified proofing within okos_VerificationValidityDays,
    /// starts one, regarding the opportunity.
    /// </summary>
    public sealed class StageChangeStarter
    {
        private readonly IOrganizationService _system;
        private readonly EnvironmentSettings _settings;
        private readonly Func<VerificationStarter> _starter;
        private readonly IClock _clock;

        public StageChangeStarter(IOrganizationService systemService, EnvironmentSettings settings, Func<VerificationStarter> starter, IClock clock)
        {
            _system = systemService;
            _settings = settings;
            _starter = starter;
            _clock = clock;
        }

        /// <summary>Starts what the stage change asks for; returns one line for the trace saying what happened or why nothing did.</summary>
        public string OnStageChange(IPluginExecutionContext execution)
        {
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
                    return "Skipped: the process flow names no active stage or no opportunity.";
                }
                opportunityId = opportunity.Id;
                stageNames = new[] { _system.Retrieve(Schema.ProcessStage.EntityName, stage.Id, new ColumnSet(Schema.ProcessStage.StageName)).GetAttributeValue<string>(Schema.ProcessStage.StageName) };
            }
            else
            {
                var after = execution.PostEntityImages.TryGetValue("PostImage", out var post) ? post : new Entity();
                var before = execution.PreEntityImages.TryGetValue("PreImage", out var pre) ? pre : new Entity();
                if (StageRules.IsListed(StageNames(before), _settings.VerificationStages))
                {
                    return "Skipped: the opportunity was already in a listed stage.";
                }
                opportunityId = execution.PrimaryEntityId;
                stageNames = StageNames(after);
                // The post-image carries the columns that name the contact (the step registers them): no read needed.
                subjectColumns = post;
            }
            if (!StageRules.IsListed(stageNames, _settings.VerificationStages))
            {
                return $"Skipped: stage '{string.Join("/", stageNames)}' is not listed in okos_VerificationStages.";
            }
            var contactId = subjectColumns is not null ? SubjectResolver.From(_system, subjectColumns) : SubjectResolver.ForOpportunity(_system, opportunityId);
            if (contactId is null)
            {
                return "Skipped: the opportunity has no contact, no contact customer and no account with a primary contact.";
            }
            var contact = ContactSnapshot.Read(_system, contactId.Value);
            var outcome = _starter().Start(Journey.IdentityProofing, new StartRequest(contact, _settings.SessionTtlMinutes, execution.CorrelationId)
            {
                Regarding = new EntityReference(Schema.Opportunity.EntityName, opportunityId),
                UnlessVerifiedSince = _clock.UtcNow.AddDays(-_settings.VerificationValidityDays),
            });
            return outcome.Outcome == StartOutcome.AlreadyVerified
                ? "Skipped: the contact already has a Verified proofing within okos_VerificationValidityDays."
                : $"Identity proofing for contact {contact.Id}, asked by opportunity {opportunityId}: {outcome}.";
        }

        private static string[] StageNames(Entity opportunity) =>
            StageRules.NamesOf(opportunity.GetAttributeValue<string>(Schema.Opportunity.StepName), opportunity.GetAttributeValue<OptionSetValue>(Schema.Opportunity.SalesStage)?.Value).ToArray();
    }
}
