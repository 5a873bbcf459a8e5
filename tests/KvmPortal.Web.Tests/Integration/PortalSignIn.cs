using System.Net;
using System.Text.RegularExpressions;
using KvmPortal.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace KvmPortal.Web.Tests.Integration;

/// <summary>Signs in through the real login form (antiforgery token included) and creates plain users for refusal tests.</summary>
internal static partial class PortalSignIn
{
    public static HttpClient NewBrowser(KvmPortalAppFixture app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string userName, string password)
    {
        var form = await client.GetStringAsync("/account/login");
        return await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryToken(form),
            ["_handler"] = "login",
            ["Input.UserName"] = userName,
            ["Input.Password"] = password,
        }));
    }

    /// <summary>A cookie-carrying client signed in as <paramref name="userName"/>; throws when the sign-in is refused.</summary>
    public static async Task<HttpClient> SignedInAsync(KvmPortalAppFixture app, string userName, string password)
    {
        var client = NewBrowser(app);
        var response = await PostLoginAsync(client, userName, password);
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Sign-in of {userName} failed with {(int)response.StatusCode}.");
        return client;
    }

    /// <summary>Signs in and returns the auth cookie as a Cookie header value, for clients that do not share a cookie jar.</summary>
    public static async Task<string> AuthCookieAsync(KvmPortalAppFixture app, string userName, string password)
    {
        var response = await PostLoginAsync(NewBrowser(app), userName, password);
        var setCookie = response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.FirstOrDefault(c => c.StartsWith("KvmPortal.Auth=", StringComparison.Ordinal))
            : null;
        return setCookie?.Split(';')[0] ?? throw new InvalidOperationException($"Sign-in of {userName} set no auth cookie.");
    }

    /// <summary>Creates a user with no role (idempotent) and returns its id.</summary>
    public static async Task<string> EnsurePlainUserAsync(KvmPortalAppFixture app, string userName, string password)
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<KvmPortalUser>>();
        if (await users.FindByNameAsync(userName) is { } existing)
            return existing.Id;
        var user = new KvmPortalUser { UserName = userName };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        return user.Id;
    }

    public static string AntiforgeryToken(string html) =>
        TokenPattern().Match(html) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException("No antiforgery token in the page.");

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
