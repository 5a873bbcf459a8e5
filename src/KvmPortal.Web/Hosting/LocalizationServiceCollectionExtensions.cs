using System.Text.Encodings.Web;
using System.Text.Unicode;
using KvmPortal.Web.Localization;
using Microsoft.AspNetCore.Localization;
using MudBlazor;

namespace KvmPortal.Web.Hosting;

public static class LocalizationServiceCollectionExtensions
{
    /// <summary>
    /// Resx localization, MudBlazor's texts from our resources, and the request culture: the culture cookie (set at
    /// login from the user's stored choice, and by the language switch) first, then the browser's Accept-Language.
    /// </summary>
    public static IServiceCollection AddKvmPortalLocalization(this IServiceCollection services)
    {
        services.AddLocalization();
        // Pages carry Chinese text as UTF-8, not as &#x...; entities (the default encoder escapes all non-ASCII).
        services.AddWebEncoders(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddTransient<MudLocalizer, MudTextsLocalizer>();
        services.Configure<RequestLocalizationOptions>(options =>
        {
            options.SetDefaultCulture(Cultures.English)
                .AddSupportedCultures([.. Cultures.Supported])
                .AddSupportedUICultures([.. Cultures.Supported]);
            options.RequestCultureProviders =
            [
                new CookieRequestCultureProvider(),
                new AcceptLanguageCultureProvider(),
            ];
        });
        return services;
    }
}
