using System.Activities;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Workflow;
using OneKosmos.Core.Verification;

namespace OneKosmos.Workflow
{
    /// <summary>
    /// Classic workflow step "Check Identity Verification": whether a contact is verified, at which level, and whether
    /// their last biometric step-up is within okos_StepUpMaxAgeMinutes. A shell over <see cref="IdentityVerificationCheck"/>.
    /// </summary>
    public sealed class CheckIdentityVerification : CodeActivity
    {
        [RequiredArgument]
        [Input("Contact")]
        [ReferenceTarget("contact")]
        public InArgument<EntityReference> Contact { get; set; } = null!;

        [Output("Is Verified")]
        public OutArgument<bool> IsVerified { get; set; } = null!;

        [Output("IAL Level")]
        public OutArgument<string> IalLevel { get; set; } = null!;

        [Output("Step-up Fresh")]
        public OutArgument<bool> StepUpFresh { get; set; } = null!;

        protected override void Execute(CodeActivityContext context)
        {
            var workflow = context.GetExtension<IWorkflowContext>()
                ?? throw new InvalidPluginExecutionException("Check Identity Verification runs only inside a Dataverse classic workflow.");
            var services = context.GetExtension<IOrganizationServiceFactory>();
            var contact = Contact.Get(context)
                ?? throw new InvalidPluginExecutionException("Check Identity Verification needs a Contact: set the step's Contact input.");
            var result = IdentityVerificationCheck.Run(services.CreateOrganizationService(workflow.UserId), services.CreateOrganizationService(null), workflow.OrganizationId, contact.Id, SystemClock.Instance);
            IsVerified.Set(context, result.IsVerified);
            IalLevel.Set(context, result.IalLevel);
            StepUpFresh.Set(context, result.StepUpFresh);
        }
    }
}
