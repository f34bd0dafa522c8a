using System;
using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Identity.Client;

namespace OneKosmos.Deploy
{
    /// <summary>
    /// Tokens for the environment through MSAL: a client secret or a certificate from the environment for a pipeline (an
    /// application user), else the device code flow for a person, who signs in on any browser.
    /// </summary>
    internal static class SignIn
    {
        /// <summary>Microsoft's documented client id for development tools that sign a person in to Dataverse.</summary>
        private const string DevelopmentClientId = "51f81489-12ee-4a9e-aaae-a2591f45987d";

        /// <remarks>
        /// <paramref name="environmentVariable"/> reads an environment variable (the process's, or a test's); <paramref name="http"/>
        /// is the client MSAL uses (null: its own); <paramref name="say"/> shows the device code's instructions.
        /// </remarks>
        public static Func<CancellationToken, Task<string>> TokenSource(Uri environment, SignInSettings settings, Func<string, string?> environmentVariable, HttpClient? http, Action<string> say)
        {
            var scopes = new[] { new Uri(environment, "/.default").ToString() };
            var secret = environmentVariable(settings.ClientSecretVariable);
            var certificatePath = environmentVariable(settings.CertificatePathVariable);
            var factory = http is null ? null : new Factory(http);
            if (!string.IsNullOrEmpty(secret) || !string.IsNullOrEmpty(certificatePath))
            {
                if (string.IsNullOrEmpty(settings.ClientId))
                {
                    throw new DeployFailure("Sign in", "A client secret or certificate is set, but the settings name no signIn.clientId.", "Put the application (client) id of your app registration in signIn.clientId.");
                }
                var builder = Authority(ConfidentialClientApplicationBuilder.Create(settings.ClientId), settings);
                builder = factory is null ? builder : builder.WithHttpClientFactory(factory);
                builder = !string.IsNullOrEmpty(secret)
                    ? builder.WithClientSecret(secret)
                    : builder.WithCertificate(X509CertificateLoader.LoadPkcs12FromFile(certificatePath!, environmentVariable(settings.CertificatePasswordVariable)));
                var application = builder.Build();
                return async cancellation => (await Guard(() => application.AcquireTokenForClient(scopes).ExecuteAsync(cancellation))).AccessToken;
            }
            var person = PublicClientApplicationBuilder.Create(settings.ClientId ?? DevelopmentClientId);
            person = settings.Authority is { } oidc ? person.WithOidcAuthority(oidc.ToString()) : person.WithAuthority(AzureCloudInstance.AzurePublic, settings.TenantId);
            person = factory is null ? person : person.WithHttpClientFactory(factory);
            var client = person.Build();
            AuthenticationResult? signedIn = null;
            return async cancellation =>
            {
                if (signedIn is not null && signedIn.ExpiresOn > DateTimeOffset.UtcNow.AddMinutes(5))
                {
                    return signedIn.AccessToken;
                }
                signedIn = signedIn is null
                    ? await Guard(() => client.AcquireTokenWithDeviceCode(scopes, code => { say(code.Message); return Task.CompletedTask; }).ExecuteAsync(cancellation))
                    : await Guard(() => client.AcquireTokenSilent(scopes, signedIn.Account).ExecuteAsync(cancellation));
                return signedIn.AccessToken;
            };
        }

        private static ConfidentialClientApplicationBuilder Authority(ConfidentialClientApplicationBuilder builder, SignInSettings settings) =>
            settings.Authority is { } oidc ? builder.WithOidcAuthority(oidc.ToString()) : builder.WithAuthority(AzureCloudInstance.AzurePublic, settings.TenantId);

        private static async Task<AuthenticationResult> Guard(Func<Task<AuthenticationResult>> acquire)
        {
            try
            {
                return await acquire();
            }
            catch (MsalException exception)
            {
                throw new DeployFailure("Sign in", $"{exception.ErrorCode}: {exception.Message}",
                    "Check signIn.tenantId and signIn.clientId, and that the secret or certificate in the environment is current; the app must be an application user of the environment.", inner: exception);
            }
        }

        private sealed class Factory(HttpClient http) : IMsalHttpClientFactory
        {
            public HttpClient GetHttpClient() => http;
        }
    }
}
