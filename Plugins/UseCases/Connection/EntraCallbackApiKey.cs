using System;
using System.Security.Cryptography;
using Microsoft.Xrm.Sdk;
using OneKosmos.Plugins.Dataverse;

namespace OneKosmos.Plugins.UseCases
{
    /// <summary>
    /// The Entra Callback API Key of a 1Kosmos connection: what Entra sends back on every callback and what the relay checks,
    /// so it must be unguessable; people should not have to invent one.
    /// </summary>
    public static class EntraCallbackApiKey
    {
        /// <value>32 random bytes, base64url: 43 characters.</value>
        private const int KeyBytes = 32;

        /// <summary>
        /// Puts a fresh key into <paramref name="target"/> when the saved row would set up Verified ID (a tenant id) without a
        /// key: a new set-up, or an administrator clearing it to rotate it. Returns whether it did.
        /// </summary>
        public static bool FillIfMissing(Entity target, Entity? before)
        {
            // What the row will hold once saved: the change where it sets the column, otherwise what was there.
            string? After(string column) => target.Contains(column) ? target.GetAttributeValue<string>(column) : before?.GetAttributeValue<string>(column);
            var key = Schema.BlockIdConnection.EntraCallbackApiKey;
            if (string.IsNullOrWhiteSpace(After(Schema.BlockIdConnection.EntraTenantId)) || !string.IsNullOrWhiteSpace(After(key)))
            {
                return false;
            }
            target[key] = NewKey();
            return true;
        }

        private static string NewKey()
        {
            var bytes = new byte[KeyBytes];
            using (var random = RandomNumberGenerator.Create())
            {
                random.GetBytes(bytes);
            }
            return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        }
    }
}
