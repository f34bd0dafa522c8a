using System;

namespace OneKosmos.Deploy
{
    /// <summary>A deployment stopped: at which step, Dataverse's error code and message when it answered, and what to do.</summary>
    public sealed class DeployFailure : Exception
    {
        public DeployFailure(string step, string message, string whatToDo, string code = "", Exception? inner = null)
            : base(message, inner)
        {
            Step = step;
            WhatToDo = whatToDo;
            Code = code;
        }

        public string Step { get; }

        /// <value>Dataverse's error code (0x…); empty when the failure is not Dataverse's answer.</value>
        public string Code { get; }

        public string WhatToDo { get; }

        public override string ToString() =>
            $"okos-deploy stopped at \"{Step}\": {(Code.Length > 0 ? Code + " " : "")}{Message}{Environment.NewLine}What to do: {WhatToDo}";
    }
}
