using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OneKosmos.Deploy
{
    /// <summary>
    /// What okos-deploy sets in an environment (deploy.json): environment variable values and the 1Kosmos connection, whose
    /// secrets are named by the environment variable that holds them, never written in the file.
    /// </summary>
    /// <example>
    /// <code>
    /// {
    ///   "managed": true,
    ///   "signIn": { "tenantId": "contoso.onmicrosoft.com", "clientId": "…" },
    ///   "environmentVariables": { "okos_VerifyOnContactCreate": "yes" },
    ///   "connection": {
    ///     "columns": { "okos_name": "Production", "okos_tenantdns": "acme.1kosmos.net", "okos_community": "default" },
    ///     "secrets": { "okos_licensekey": "OKOS_BLOCKID_LICENSE_KEY", "okos_dvcid": "OKOS_BLOCKID_DVC_ID" }
    ///   }
    /// }
    /// </code>
    /// </example>
    public sealed class DeploySettings
    {
        private static readonly JsonSerializerOptions Json = new()
        {
            PropertyNameCaseInsensitive = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        };

        /// <value>Import the managed solution (the default, for test and production) or the unmanaged one (a development environment).</value>
        public bool Managed { get; set; } = true;

        public SignInSettings SignIn { get; set; } = new();

        /// <value>Environment variable values by schema name (okos_VerifyOnContactCreate…).</value>
        public Dictionary<string, string> EnvironmentVariables { get; set; } = new(StringComparer.Ordinal);

        /// <value>The 1Kosmos connection (okos_blockidconnection) to create or update; null leaves it alone.</value>
        public ConnectionSettings? Connection { get; set; }

        /// <value>The cloud flows' connections and which flows to turn on.</value>
        public FlowSettings Flows { get; set; } = new();

        /// <exception cref="DeployFailure">The file cannot be read or is not valid settings; the message says where.</exception>
        public static DeploySettings Load(string path)
        {
            try
            {
                return JsonSerializer.Deserialize<DeploySettings>(File.ReadAllText(path), Json) ?? new DeploySettings();
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or JsonException)
            {
                throw new DeployFailure("Read the settings", $"{path}: {exception.Message}", "Fix the settings file (README, Deploying to Dataverse, shows one).");
            }
        }
    }

    /// <summary>How okos-deploy signs in; secrets come from environment variables only.</summary>
    public sealed class SignInSettings
    {
        /// <value>The Entra ID tenant (id or domain); default "organizations" for a person's sign-in.</value>
        public string TenantId { get; set; } = "organizations";

        /// <value>
        /// The application (client) id. For a pipeline, your app registration, added to the environment as an application user.
        /// For a person (device code), default Microsoft's documented development client id for Dataverse.
        /// </value>
        public string? ClientId { get; set; }

        /// <value>An OpenID Connect issuer to sign in with instead of Entra ID (the local sandbox's); HTTPS only.</value>
        public Uri? Authority { get; set; }

        /// <value>The environment variable holding the client secret (default OKOS_DEPLOY_CLIENT_SECRET).</value>
        public string ClientSecretVariable { get; set; } = "OKOS_DEPLOY_CLIENT_SECRET";

        /// <value>The environment variable holding the path of a PFX certificate (default OKOS_DEPLOY_CERTIFICATE_PATH).</value>
        public string CertificatePathVariable { get; set; } = "OKOS_DEPLOY_CERTIFICATE_PATH";

        /// <value>The environment variable holding the certificate's password (default OKOS_DEPLOY_CERTIFICATE_PASSWORD).</value>
        public string CertificatePasswordVariable { get; set; } = "OKOS_DEPLOY_CERTIFICATE_PASSWORD";
    }

    /// <summary>The 1Kosmos connection row: plain columns by value, secret columns by the environment variable holding them.</summary>
    public sealed class ConnectionSettings
    {
        public Dictionary<string, JsonNode?> Columns { get; set; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Secrets { get; set; } = new(StringComparer.Ordinal);
    }

    /// <summary>
    /// The product's cloud flows: each connection reference bound to a connection an administrator made in Power Automate
    /// (its id, from the connection's page or <c>pac connection list</c>), and the flows to turn on besides those the
    /// solution ships on (Reconcile identity verifications).
    /// </summary>
    public sealed class FlowSettings
    {
        /// <value>Connection id by connection reference logical name (okos_sharedcommondataserviceforapps).</value>
        public Dictionary<string, string> ConnectionReferences { get; set; } = new(StringComparer.Ordinal);

        /// <value>Display names of flows to turn on ("Verify the customer when a lead is qualified"…).</value>
        public List<string> TurnOn { get; set; } = new();
    }
}
