namespace OneKosmos.Core.Callbacks
{
    /// <summary>The permanent answers to a delivered notification (docs/design.md §1b): the relay completes the first three and dead-letters the last.</summary>
    public enum CallbackOutcome
    {
        /// <summary>Authenticated, recorded, and the authoritative result applied.</summary>
        Applied,
        /// <summary>The message id was already processed: nothing was touched.</summary>
        Duplicate,
        /// <summary>Authenticated, but about nothing this environment knows (an unknown session): nothing was touched.</summary>
        Ignored,
        /// <summary>Not authentic, stale or malformed: nothing was touched.</summary>
        Rejected,
    }
}
