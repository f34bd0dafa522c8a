using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using OneKosmos.Plugins.Dataverse;
using OneKosmos.Plugins.Entra;
using OneKosmos.Plugins.Steps;
using OneKosmos.Plugins.UseCases;

namespace OneKosmos.CustomApis
{
    /// <summary>
    /// okos_IssueVerifiedIdCredential: offers a contact's Verified IAL2 identity as a Microsoft Entra Verified ID credential
    /// for Microsoft Authenticator, or returns the request still open (Reused). The deep link comes back only to a caller
    /// whose field security lets them read the capture link; the PIN, when the connection asks for one, only once.
    /// </summary>
    public sealed class IssueVerifiedIdCredential : CustomApi
    {
        protected override void ExecuteDataversePlugin(LocalPluginContext context)
        {
            var contact = ApiContract.Subject(context);
            var services = new ProductServices(context);
            var result = VerifiedIdException.Explained(() => services.CredentialIssuer().Issue(contact, context.ExecutionContext.CorrelationId));
            context.Trace($"Verified ID issuance for contact {contact.Id}: {result.Attempt.Outcome}, verification {result.Attempt.VerificationId}.");
            var link = context.UserService.Retrieve(Schema.Verification.EntityName, result.Attempt.VerificationId, new ColumnSet(Schema.Verification.CaptureUrl))
                .GetAttributeValue<string>(Schema.Verification.CaptureUrl);
            var outputs = context.ExecutionContext.OutputParameters;
            outputs["VerificationId"] = result.Attempt.VerificationId;
            outputs["DeepLink"] = link ?? "";
            outputs["ExpiresAt"] = result.Attempt.ExpiresAt?.UtcDateTime;
            outputs["Reused"] = result.Attempt.Outcome == StartOutcome.Reused;
            outputs["Pin"] = result.Pin ?? "";
        }
    }
}
