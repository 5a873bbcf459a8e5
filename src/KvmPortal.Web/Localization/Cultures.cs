using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace KvmPortal.Web.Localization;

/// <summary>The languages the dashboard speaks, and how a browser's or user's language tag maps onto them.</summary>
public static class Cultures
{
    public const string English = "en";
    public const string ChineseSimplified = "zh-Hans";

    /// <summary>Supported culture names, default first.</summary>
    public static IReadOnlyList<string> Supported { get; } = [English, ChineseSimplified];

    /// <summary>
    /// The supported culture for a language tag, or null: "en-GB" -> en; "zh", "zh-CN", "zh-SG", "zh-Hans-CN" -> zh-Hans.
    /// Traditional Chinese (zh-TW, zh-HK, zh-MO, zh-Hant) is not Simplified Chinese and gets no match.
    /// </summary>
    public static string? Match(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag))
            return null;
        var parts = tag.Trim().Split('-', '_');
        var language = parts[0].ToLowerInvariant();
        var rest = parts.Skip(1).Select(p => p.ToLowerInvariant()).ToList();
        return language switch
        {
            "en" => English,
            "zh" when !rest.Any(p => p is "hant" or "tw" or "hk" or "mo") => ChineseSimplified,
            _ => null,
        };
    }

    /// <summary>The value of ASP.NET Core's culture cookie for a supported culture (UI and formatting alike).</summary>
    public static string CookieValue(string culture) =>
        CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture));

    /// <summary>Sets the culture cookie that <see cref="CookieRequestCultureProvider"/> reads on later requests.</summary>
    public static void SetCookie(HttpResponse response, string culture) =>
        response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName, CookieValue(culture), new CookieOptions
        {
            Expires = DateTimeOffset.UtcNow.AddYears(1),
            IsEssential = true,
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Path = "/",
        });

    /// <summary>The name of a language in that language, for the language switch.</summary>
    public static string NativeName(string culture) => CultureInfo.GetCultureInfo(culture) switch
    {
        { Name: ChineseSimplified } => "简体中文",
        var info => info.NativeName,
    };
}

/// <summary>
/// The browser's Accept-Language, in the browser's order of preference, mapped with <see cref="Cultures.Match"/>:
/// unlike the stock provider it sends plain "zh" and "zh-CN" to zh-Hans.
/// </summary>
public sealed class AcceptLanguageCultureProvider : RequestCultureProvider
{
    public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
    {
        var languages = httpContext.Request.GetTypedHeaders().AcceptLanguage;
        var match = languages
            .Where(l => l.Quality is not 0)
            .OrderByDescending(l => l.Quality ?? 1)
            .Select(l => Cultures.Match(l.Value.Value))
            .FirstOrDefault(c => c is not null);
        return Task.FromResult(match is null ? null : new ProviderCultureResult(match));
    }
}
