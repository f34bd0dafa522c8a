using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace OneKosmos.Sandbox.Host.Site
{
    /// <summary>A signed-in site user: their contact, their web roles and this session's anti-forgery token.</summary>
    public sealed record SiteUser(Guid ContactId, IReadOnlySet<Guid> WebRoles, string Token);

    /// <summary>
    /// The site's sign-ins: an HttpOnly, SameSite=Lax cookie holding a random session id. Power Pages gives every signed-in
    /// user the Authenticated Users web role; the sandbox's site has only that role.
    /// </summary>
    public sealed class SiteSessions
    {
        public const string CookieName = "okos-site";

        /// <value>The sandbox site's Authenticated Users web role: the id the product's table permissions name (replace it with your site's).</value>
        public static readonly Guid AuthenticatedUsers = new("5f0b7b7e-0000-4000-8000-0000000a0001");

        private readonly ConcurrentDictionary<string, SiteUser> _sessions = new(StringComparer.Ordinal);

        public SiteUser? Of(HttpContext http) =>
            http.Request.Cookies.TryGetValue(CookieName, out var id) && id is not null && _sessions.TryGetValue(id, out var user) ? user : null;

        public void SignIn(HttpContext http, Guid contactId)
        {
            SignOut(http);
            var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
            _sessions[id] = new SiteUser(contactId, new HashSet<Guid> { AuthenticatedUsers }, Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
            http.Response.Cookies.Append(CookieName, id, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, Path = "/" });
        }

        public void SignOut(HttpContext http)
        {
            if (http.Request.Cookies.TryGetValue(CookieName, out var id) && id is not null)
            {
                _sessions.TryRemove(id, out _);
            }
            http.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/" });
        }
    }
}
