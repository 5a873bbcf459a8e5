using System.Net;
using System.Text.RegularExpressions;
using KvmPortal.Web.Data;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KvmPortal.Web.Tests.Integration;

/// <summary>The language comes from the browser until the user chooses one; the choice is stored and follows the login.</summary>
public sealed partial class LocalizationTests(KvmPortalAppFixture app) : IClassFixture<KvmPortalAppFixture>
{
    private const string CultureCookie = ".AspNetCore.Culture";

    [Theory]
    [InlineData("zh-CN,zh;q=0.9,en;q=0.8", "zh-Hans", "用户名")]
    [InlineData("zh", "zh-Hans", "用户名")]
    [InlineData("de-DE,zh-CN;q=0.5", "zh-Hans", "用户名")]
    [InlineData("en-US,en;q=0.9", "en", "User name")]
    [InlineData("fr-FR", "en", "User name")]
    public async Task The_login_page_follows_accept_language(string acceptLanguage, string lang, string userNameLabel)
    {
        using var client = NewClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/account/login");
        request.Headers.Add("Accept-Language", acceptLanguage);

        var html = await (await client.SendAsync(request)).Content.ReadAsStringAsync();

        Assert.Contains($"<html lang=\"{lang}\"", html);
        Assert.Contains(userNameLabel, html);
    }

    [Fact]
    public async Task Choosing_a_language_stores_it_for_the_user_and_the_next_login_uses_it()
    {
        using var client = NewClient("en-US");
        await LogInAsync(client);
        var token = AntiforgeryToken(await client.GetStringAsync("/hosts"));

        var response = await client.PostAsync("/account/language", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["culture"] = "zh-Hans",
            ["returnUrl"] = "/hosts",
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/hosts", response.Headers.Location?.OriginalString);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(CultureCookie + "=") && c.Contains("zh-Hans"));
        Assert.Equal("zh-Hans", await PreferredLanguageAsync("admin"));
        var hosts = await client.GetStringAsync("/hosts");
        Assert.Contains("<html lang=\"zh-Hans\"", hosts);
        Assert.Contains("添加主机", hosts);

        // A browser that says "English" and has no cookie yet still gets the stored choice once logged in.
        using var otherBrowser = NewClient("en-US");
        var login = await LogInAsync(otherBrowser);
        Assert.Contains(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith(CultureCookie + "=") && c.Contains("zh-Hans"));
        Assert.Contains("<html lang=\"zh-Hans\"", await otherBrowser.GetStringAsync("/"));
    }

    [Fact]
    public async Task The_language_endpoint_refuses_a_post_without_the_antiforgery_token()
    {
        using var client = NewClient();
        await LogInAsync(client);

        var response = await client.PostAsync("/account/language",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["culture"] = "zh-Hans", ["returnUrl"] = "/" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_language_endpoint_refuses_an_unsupported_culture()
    {
        using var client = NewClient();
        await LogInAsync(client);
        var token = AntiforgeryToken(await client.GetStringAsync("/"));

        var response = await client.PostAsync("/account/language", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["culture"] = "xx-YY",
            ["returnUrl"] = "/",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private HttpClient NewClient(string? acceptLanguage = null)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        if (acceptLanguage is not null)
            client.DefaultRequestHeaders.Add("Accept-Language", acceptLanguage);
        return client;
    }

    /// <summary>Posts the login form as a browser would; returns the response (a redirect on success).</summary>
    private static async Task<HttpResponseMessage> LogInAsync(HttpClient client)
    {
        var form = await client.GetStringAsync("/account/login");
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryToken(form),
            ["_handler"] = "login",
            ["Input.UserName"] = "admin",
            ["Input.Password"] = KvmPortalAppFixture.AdminPassword,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response;
    }

    private async Task<string?> PreferredLanguageAsync(string userName)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<KvmPortalDbContext>>().CreateDbContextAsync();
        return await db.Users.Where(u => u.UserName == userName).Select(u => u.PreferredLanguage).SingleAsync();
    }

    private static string AntiforgeryToken(string html) =>
        AntiforgeryPattern().Match(html) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException("No antiforgery token in the page:\n" + html);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryPattern();
}
