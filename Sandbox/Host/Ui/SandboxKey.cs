using System;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace OneKosmos.Sandbox.Host.Ui
{
    /// <summary>
    /// The browser UI's door: /sandbox/* hands out a System Administrator token and what was emailed to contacts, so only the
    /// browser that opened the URL the sandbox printed may call it — as notebook servers do. That URL carries a random
    /// per-run key; presenting it once sets an HttpOnly, SameSite=Strict cookie. Requests must also name this loopback
    /// host (no DNS rebinding) and, when a browser sends an Origin, come from this origin.
    /// </summary>
    internal sealed class SandboxKey
    {
        public const string CookieName = "okos-sandbox";
        public const string QueryName = "key";

        private readonly string _key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public string Key => _key;

        public async Task Guard(HttpContext context, Func<Task> next, int port)
        {
            var request = context.Request;
            if (request.Host.Port != port || request.Host.Host is not ("127.0.0.1" or "localhost"))
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsync("This sandbox answers only on its own loopback address.");
                return;
            }
            if (request.Query.TryGetValue(QueryName, out var offered))
            {
                if (!Matches(offered.ToString()))
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    await context.Response.WriteAsync("That key is not this run's: open the URL okos-sandbox printed when it started.");
                    return;
                }
                context.Response.Cookies.Append(CookieName, _key, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });
                context.Response.Redirect("/");
                return;
            }
            if (request.Path.StartsWithSegments("/sandbox") && !Allowed(request))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsync("Open the URL okos-sandbox printed when it started: it carries this run's key.");
                return;
            }
            await next();
        }

        private bool Allowed(HttpRequest request)
        {
            var origin = request.Headers.Origin.ToString();
            var sameOrigin = origin.Length == 0 || origin == $"{request.Scheme}://{request.Host}";
            return sameOrigin && request.Cookies.TryGetValue(CookieName, out var cookie) && Matches(cookie);
        }

        private bool Matches(string? offered) =>
            offered is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(offered), Encoding.UTF8.GetBytes(_key));
    }
}
