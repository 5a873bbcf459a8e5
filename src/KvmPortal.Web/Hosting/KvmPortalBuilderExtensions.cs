using KvmPortal.Web.Api;
using KvmPortal.Web.Api.Tokens;
using KvmPortal.Web.Components.Account;
using KvmPortal.Web.Audit;
using KvmPortal.Web.Consoles;
using KvmPortal.Web.Oidc;
using KvmPortal.Web.Usage;

namespace KvmPortal.Web.Hosting;

/// <summary>Composition root: what Program.cs calls. Each Add* call below owns one concern.</summary>
public static class KvmPortalBuilderExtensions
{
    public const string UrlsVariable = "KVMPORTAL_URLS";
    public const string DefaultUrls = "http://127.0.0.1:5080";

    public static WebApplicationBuilder AddKvmPortal(this WebApplicationBuilder builder)
    {
        builder.WebHost.UseUrls(builder.Configuration[UrlsVariable] is { Length: > 0 } urls ? urls : DefaultUrls);
        // Outside Development the framework only serves published static assets; deploy/run.sh and the end-to-end
        // tests run the build output in Production, which then lacked blazor.web.js and MudBlazor's files.
        // A no-op for published apps (they have no static web assets manifest).
        builder.WebHost.UseStaticWebAssets();

        builder.Services.AddKvmPortalOptions();
        builder.Services.AddKvmPortalData();
        builder.Services.AddKvmPortalAudit();
        builder.Services.AddKvmPortalDataProtection();
        builder.Services.AddKvmPortalIdentity();
        builder.Services.AddKvmPortalAccountSecurity();
        builder.Services.AddKvmPortalOidc();
        builder.Services.AddKvmPortalReverseProxy();
        builder.Services.AddKvmPortalRateLimiting();
        builder.Services.AddKvmPortalHypervisor();
        builder.Services.AddKvmPortalConsoles();
        builder.Services.AddKvmPortalUsage();
        builder.Services.AddKvmPortalAccess();
        builder.Services.AddKvmPortalJobs();
        builder.Services.AddKvmPortalApi();
        builder.Services.AddKvmPortalUi();
        builder.Services.AddKvmPortalObservability();
        return builder;
    }

    public static WebApplication UseKvmPortal(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseSecurityHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
            app.UseHsts(); // sent on HTTPS requests only
        }

        app.UseRequestLocalization();
        app.UseKvmPortalApiErrors();
        app.UseWebSockets();
        app.UseAuthentication();
        app.UseApiTokenCallers();
        app.UseRateLimiter(); // after authentication (cookie and API token): the API policy counts per user
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapKvmPortalObservability();
        app.MapAccountEndpoints();
        app.MapOidcSignIn();
        app.MapConsoleProxy();
        app.MapScreenshotEndpoints();
        app.MapStorageEndpoints();
        app.MapKvmPortalApi();
        app.MapAuditExport();
        app.MapUsageExport();
        app.MapKvmPortalUi();
        return app;
    }
}
