using System;
using Microsoft.Xrm.Sdk;

namespace OneKosmos.Plugins.UseCases
{
    /// <summary>The action a gate is asked about: which message, on which record, with which changes, and the row before it.</summary>
    public sealed class GatedAction
    {
        private GatedAction(string message, EntityReference record, Entity? changes, Entity? preImage)
        {
            Message = message;
            Record = record;
            Changes = changes;
            PreImage = preImage;
        }

        public string Message { get; }

        /// <value>A Create: the row does not exist yet, so everything known of it is in <see cref="Changes"/>.</value>
        public bool IsCreate => Message == "Create";

        public EntityReference Record { get; }

        /// <value>The columns an Update or Create sets; null for messages without a Target row (Win, QualifyLead).</value>
        public Entity? Changes { get; }

        /// <value>The step's pre-image ("PreImage"), when registered.</value>
        public Entity? PreImage { get; }

        /// <summary>An action asked about rather than performed (okos_ExplainGate): the message on the record as it stands.</summary>
        public static GatedAction Considered(string message, EntityReference record) => new(message, record, null, null);

        /// <exception cref="InvalidPluginExecutionException">The message names no record the gate can check: the step is registered wrong.</exception>
        public static GatedAction From(IPluginExecutionContext execution) =>
            new(execution.MessageName,
                RecordOf(execution),
                execution.InputParameters.TryGetValue("Target", out var target) && target is Entity entity ? entity : null,
                execution.PreEntityImages.TryGetValue("PreImage", out var image) ? image : null);

        /// <remarks>Win carries the opportunity inside OpportunityClose, QualifyLead the lead as LeadId, other messages a Target.</remarks>
        private static EntityReference RecordOf(IPluginExecutionContext execution)
        {
            var inputs = execution.InputParameters;
            if (inputs.TryGetValue("OpportunityClose", out var close) && close is Entity closing && closing.GetAttributeValue<EntityReference>("opportunityid") is { } opportunity)
            {
                return opportunity;
            }
            if (inputs.TryGetValue("LeadId", out var lead) && lead is EntityReference qualified)
            {
                return qualified;
            }
            if (inputs.TryGetValue("Target", out var target))
            {
                switch (target)
                {
                    case Entity entity:
                        return new EntityReference(entity.LogicalName, entity.Id == Guid.Empty ? execution.PrimaryEntityId : entity.Id);
                    case EntityReference reference:
                        return reference;
                }
            }
            throw new InvalidPluginExecutionException($"The identity gate is registered on {execution.MessageName}, which names no record it can check. Register it on Win, QualifyLead, Update or another message with a Target.");
        }
    }
}
