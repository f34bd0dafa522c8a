using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using OneKosmos.Mcp;

// okos-mcp: the identity tools for Copilot Studio and other MCP clients. Settings from appsettings.json and environment
// variables (Mcp__DataverseUrl, Mcp__TenantId, Mcp__ClientId, Mcp__ClientSecret, Mcp__PublicUrl); see the README.
var builder = WebApplication.CreateBuilder(args);
var settings = builder.Configuration.GetSection("Mcp").Get<McpSettings>() ?? new McpSettings();
builder.AddIdentityTools(settings);
var app = builder.Build();
app.MapIdentityTools();
app.Run();
