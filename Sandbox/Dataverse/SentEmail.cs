using Microsoft.Xrm.Sdk;

namespace OneKosmos.Sandbox.Dataverse
{
    /// <summary>One email as it reached one recipient: who (the row and its address), the subject and the body.</summary>
    public sealed record SentEmail(EntityReference Recipient, string Address, string Subject, string Body);
}
