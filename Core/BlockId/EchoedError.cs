using System.Collections.Generic;

namespace OneKosmos.Core.BlockId
{
    /// <summary>
    /// Error text a remote service sent, made fit for an exception message: cut short, and stripped of our secrets in case
    /// a service ever echoes a header or a field back.
    /// </summary>
    public static class EchoedError
    {
        /// <value>The longest echoed text kept. Default 200 characters.</value>
        public const int MaxLength = 200;

        public static string Safe(string message, IEnumerable<string?> secrets)
        {
            foreach (var secret in secrets)
            {
                if (!string.IsNullOrEmpty(secret))
                {
                    message = message.Replace(secret, "[redacted]");
                }
            }
            return message.Length <= MaxLength ? message : message.Substring(0, MaxLength) + "…";
        }
    }
}
