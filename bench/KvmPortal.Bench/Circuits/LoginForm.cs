using System.Net;
using System.Text.RegularExpressions;

namespace KvmPortal.Bench.Circuits;

/// <summary>Signs in through the portal's login form (antiforgery token included), as a browser does.</summary>
internal static partial class LoginForm
{
    /// <summary>The auth cookie (name=value) the login sets.</summary>
    public static async Task<string> SignInAsync(string baseUrl, string userName, string password)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(baseUrl) };
        var form = await browser.GetStringAsync("/account/login");
        var token = TokenPattern().Match(form) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException("No antiforgery token in the login page.");
        using var response = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["_handler"] = "login",
            ["Input.UserName"] = userName,
            ["Input.Password"] = password,
        }));
        var cookie = response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.FirstOrDefault(c => c.StartsWith("KvmPortal.Auth=", StringComparison.Ordinal))
            : null;
        return cookie?.Split(';')[0]
            ?? throw new InvalidOperationException($"Sign-in of {userName} failed with {(int)response.StatusCode} and set no auth cookie.");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
