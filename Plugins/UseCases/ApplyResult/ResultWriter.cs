using System;
using Microsoft.Xrm.Sdk;
using OneKosmos.Core.Verification;
using OneKosmos.Plugins.Dataverse;

namespace OneKosmos.Plugins.UseCases
{
    /// <summary>
    /// The one writer of an authoritative result, for 1Kosmos and Microsoft Entra alike: the state machine's transition
    /// goes onto the row (<see cref="VerificationRows.SaveTransition"/>) and, when it changed anything, a note goes onto the
    /// timelines of the contact and of the record that asked for it.
    /// </summary>
    public sealed class ResultWriter
    {
        private readonly IOrganizationService _system;
        private readonly VerificationRows _rows;

        public ResultWriter(IOrganizationService systemService, VerificationRows rows)
        {
            _system = systemService;
            _rows = rows;
        }

        /// <summary>
        /// Writes <paramref name="transition"/> onto <paramref name="row"/> (read with <see cref="VerificationRows.StateColumns"/>)
        /// with <paramref name="extraColumns"/>: what the journey adds (a step-up's DID and time, an issued credential).
        /// </summary>
        public void Write(Entity row, Journey journey, Transition transition, Entity extraColumns, DateTimeOffset now)
        {
            _rows.SaveTransition(row, journey, transition, extraColumns, now);
            if (transition.Changed)
            {
                TimelineNotes.AddAboutAttempt(_system, row, ResultNotes.Subject(journey, transition.After), ResultNotes.Text(journey, transition.After));
            }
        }
    }
}
