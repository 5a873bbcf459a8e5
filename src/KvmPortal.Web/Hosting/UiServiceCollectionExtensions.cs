using KvmPortal.Web.Components;
using MudBlazor.Services;

namespace KvmPortal.Web.Hosting;

public static class UiServiceCollectionExtensions
{
    /// <summary>Blazor (interactive server), MudBlazor, localization and the page services.</summary>
    public static IServiceCollection AddKvmPortalUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddKvmPortalLocalization();
        services.AddSingleton(new Vms.OsVariants.OsInfoCatalog());
        // Scoped: it runs through the current user's gated VM operations.
        services.AddScoped<Vms.Bulk.BulkVmActions>();
        services.AddScoped<Components.Shared.BrowserPreferences>();
        return services;
    }

    public static WebApplication MapKvmPortalUi(this WebApplication app)
    {
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
