using System;

namespace OneKosmos.Plugins.UseCases
{
    /// <summary>What the identity gate says of an action: whether it would refuse it, the words it would use, and whose identity it checked.</summary>
    public sealed class GateVerdict
    {
        private GateVerdict(bool wouldBlock, string explanation, Guid? contactId, string trace, string shortfall)
        {
            WouldBlock = wouldBlock;
            Shortfall = shortfall;
            Explanation = explanation;
            ContactId = contactId;
            Trace = trace;
        }

        public bool WouldBlock { get; }

        /// <value>What is missing, as a code (NoContact, NotVerified, VerificationPending, StepUpNeeded); empty when allowed.</value>
        public string Shortfall { get; }

        /// <value>For a refusal, what is missing and the next step, as the user is shown it; otherwise why the action may go ahead.</value>
        public string Explanation { get; }

        /// <value>The contact whose identity was checked; null when no rule applied or the record names none.</value>
        public Guid? ContactId { get; }

        /// <value>The line for the plug-in trace log: ids only, no names.</value>
        public string Trace { get; }

        public static GateVerdict Allowed(string why, Guid? contactId, string trace) => new(false, why, contactId, trace, "");

        public static GateVerdict Blocked(string explanation, Guid? contactId, string trace, string shortfall) => new(true, explanation, contactId, trace, shortfall);
    }
}
