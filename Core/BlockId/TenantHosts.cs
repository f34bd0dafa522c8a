using System;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;

namespace OneKosmos.Core.BlockId
{
    /// <summary>
    /// Where the 1Kosmos client may send a license key: the connection's tenant host over HTTPS, and service addresses the
    /// tenant's directory gives on that host or on 1Kosmos' own domains. Anything else (an IP literal, plain HTTP, another
    /// domain) is refused before a request is made, so a connection or a directory pointed elsewhere receives no secret.
    /// </summary>
    public static class TenantHosts
    {
        /// <value>The domains 1Kosmos serves its tenants from (blockid-protocol.md A: tenants are {name}.1kosmos.net).</value>
        public static readonly string[] OneKosmosDomains = { "1kosmos.net", "1kosmos.com" };

        private static readonly Regex HostName = new(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>Whether <paramref name="tenantDns"/> is a plain host name: no scheme, port, path or IP address.</summary>
        public static bool IsTenantHost(string? tenantDns) =>
            tenantDns is { Length: > 0 } && HostName.IsMatch(tenantDns) && !IPAddress.TryParse(tenantDns, out _);

        /// <summary>Whether <paramref name="url"/>, from the tenant's service directory, may receive our requests.</summary>
        public static bool IsServiceUrl(string? url, string tenantDns)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || uri.UserInfo.Length > 0
                || uri.HostNameType != UriHostNameType.Dns || !IsTenantHost(uri.Host))
            {
                return false;
            }
            var host = uri.Host.ToLowerInvariant();
            return host == tenantDns.ToLowerInvariant() || OneKosmosDomains.Any(domain => host.EndsWith("." + domain, StringComparison.Ordinal));
        }
    }
}
