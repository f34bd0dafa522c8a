using System;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OneKosmos.Sandbox.Host.Tls
{
    /// <summary>
    /// A throw-away self-signed certificate for 127.0.0.1 and localhost, so the local environment speaks HTTPS like Dataverse
    /// and Entra ID do. Only a client that pins it (the tests, the local relay) trusts it; nothing is added to a trust store.
    /// </summary>
    public static class LocalCertificate
    {
        public static X509Certificate2 Create()
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=OneKosmos local sandbox", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, critical: false));
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
            // Kestrel on Linux needs the key in a form it can load, not an ephemeral handle: round-trip through PKCS#12.
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        }

        /// <summary>Accepts exactly <paramref name="certificate"/>: what a client of the local environment pins.</summary>
        public static Func<System.Net.Http.HttpRequestMessage, X509Certificate2?, X509Chain?, System.Net.Security.SslPolicyErrors, bool> Pin(X509Certificate2 certificate) =>
            (_, presented, _, _) => presented is not null && presented.Thumbprint == certificate.Thumbprint;
    }
}
