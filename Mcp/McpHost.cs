using System;
using System.Linq;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.AspNetCore.Authentication;
using ModelContextProtocol.Authentication;

namespace OneKosmos.Mcp
{
    /// <summary>
    /// The MCP server on ASP.NET Core: Streamable HTTP at <see cref="Path"/>, stateless (each tool call runs in the HTTP
    /// request that brought the person's token), open only to bearer tokens Entra ID issued to a person for the server's own
    /// app registration (audience, and the delegated scope access_as_user); an unauthenticated client is pointed to the protected resource metadata (RFC 9728), as MCP's
    /// authorization specification asks.
    /// </summary>
    public static class McpHost
    {
        public const string Path = "/mcp";

        /// <summary>The delegated permission people consent to: a token without it (an application's own token) acts for nobody.</summary>
        public const string Scope = "access_as_user";

        /// <exception cref="InvalidOperationException">A setting is missing; the message names it.</exception>
        public static void AddIdentityTools(this WebApplicationBuilder builder, McpSettings settings)
        {
            settings.Validate();
            builder.Services.AddSingleton(settings);
            builder.Services.AddHttpContextAccessor();
            builder.Services.AddSingleton<DataverseForUser>();
            builder.Services
                .AddAuthentication(options =>
                {
                    options.DefaultAuthenticateScheme = JwtBearerDefaults.AuthenticationScheme;
                    options.DefaultChallengeScheme = McpAuthenticationDefaults.AuthenticationScheme;
                })
                .AddJwtBearer(options =>
                {
                    options.Authority = settings.Issuer.ToString();
                    options.Audience = settings.EffectiveAudience;
                    options.MapInboundClaims = false;
                    if (settings.Backchannel is { } handler)
                    {
                        options.BackchannelHttpHandler = handler;
                    }
                })
                .AddMcp(options => options.ResourceMetadata = new ProtectedResourceMetadata
                {
                    Resource = settings.PublicUrl?.ToString() ?? settings.EffectiveAudience,
                    AuthorizationServers = { settings.Issuer.ToString() },
                    ScopesSupported = { settings.EffectiveAudience + "/" + Scope },
                    ResourceName = "OneKosmos identity tools",
                });
            builder.Services.AddAuthorization(options => options.AddPolicy(Scope, policy => policy.RequireAuthenticatedUser().RequireAssertion(context =>
                context.User.FindAll("scp").SelectMany(claim => claim.Value.Split(' ')).Contains(Scope, StringComparer.Ordinal))));
            builder.Services.AddMcpServer()
                .WithHttpTransport(options => options.Stateless = true)
                .WithTools<IdentityTools>();
        }

        public static void MapIdentityTools(this WebApplication app)
        {
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapMcp(Path).RequireAuthorization(Scope);
        }
    }
}
