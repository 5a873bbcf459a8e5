using System.Net;
using System.Text.RegularExpressions;
using KvmPortal.Web.Components.Account;
using KvmPortal.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KvmPortal.Web.Tests.Integration;

public sealed partial class WebHostTests(KvmPortalAppFixture app) : IClassFixture<KvmPortalAppFixture>
{
    private HttpClient NewClient() =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    [Fact]
    public async Task Migrations_are_applied_at_start()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<KvmPortalDbContext>>().CreateDbContextAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Contains("20261123005313_InitialCreate", await db.Database.GetAppliedMigrationsAsync());
        // The tables exist and can be queried.
        Assert.True(await db.Users.AnyAsync());
        await db.Hosts.CountAsync();
    }

    [Fact]
    public async Task The_administrator_is_created_with_the_configured_password()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<KvmPortalUser>>();
        var admin = await users.FindByNameAsync("admin");
        Assert.NotNull(admin);
        Assert.True(await users.CheckPasswordAsync(admin, KvmPortalAppFixture.AdminPassword));
        Assert.True(await users.IsInRoleAsync(admin, AdministratorSeeder.AdministratorRole));
    }

    [Fact]
    public async Task The_default_host_is_stored_and_attached()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<KvmPortalDbContext>>().CreateDbContextAsync();
        var localhost = await db.Hosts.SingleAsync(h => h.Uri == "qemu:///system");
        Assert.Equal("localhost", localhost.Name);
        Assert.True(app.HostManager.Attached.ContainsKey(localhost.Id));
    }

    [Fact]
    public async Task Pages_redirect_to_the_login_page_without_a_cookie()
    {
        var response = await NewClient().GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", response.Headers.Location!.AbsolutePath);
        Assert.Equal("?ReturnUrl=%2F", response.Headers.Location.Query);

        var hosts = await NewClient().GetAsync("/hosts");
        Assert.Equal(HttpStatusCode.Redirect, hosts.StatusCode);
    }

    [Fact]
    public async Task The_login_page_is_anonymous_and_carries_an_antiforgery_token()
    {
        var response = await NewClient().GetAsync("/account/login");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(AntiforgeryToken(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task A_wrong_password_is_refused_on_the_login_page()
    {
        var client = NewClient();
        var response = await LogInAsync(client, "admin", "not-the-password");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Invalid user name or password.", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(AuthCookies(response), _ => true);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_rejected()
    {
        var response = await NewClient().PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["Input.UserName"] = "admin", ["Input.Password"] = KvmPortalAppFixture.AdminPassword,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(AuthCookies(response));
    }

    [Fact]
    public async Task The_right_password_sets_the_cookie_and_opens_the_vm_list()
    {
        var host = app.Inventory.AddHost("alpha");
        app.Inventory.AddVm(host, "kvmportal-demo");
        var client = NewClient();

        var response = await LogInAsync(client, "admin", KvmPortalAppFixture.AdminPassword, returnUrl: "/vms");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/vms", response.Headers.Location!.OriginalString.Replace("http://localhost", ""));
        var cookie = Assert.Single(AuthCookies(response));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);

        var page = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("data-vm=\"kvmportal-demo\"", html);
        Assert.Contains("admin", html);
        // Prerendered buttons are disabled until the circuit connects, so an early click is not lost silently.
        var forceOff = Regex.Match(html, "<button[^>]*data-testid=\"vm-action-forceoff\"[^>]*>");
        Assert.True(forceOff.Success);
        Assert.Contains("disabled", forceOff.Value);

        // Logging out needs the antiforgery token too, then pages redirect again.
        var logout = await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryToken(html),
        }));
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task An_outside_return_url_is_not_followed()
    {
        var response = await LogInAsync(NewClient(), "admin", KvmPortalAppFixture.AdminPassword, returnUrl: "//evil.example/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString.Replace("http://localhost", ""));
    }

    internal static async Task<HttpResponseMessage> LogInAsync(HttpClient client, string userName, string password, string? returnUrl = null)
    {
        var url = returnUrl is null ? "/account/login" : $"/account/login?ReturnUrl={Uri.EscapeDataString(returnUrl)}";
        var form = await client.GetStringAsync(url);
        return await client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryToken(form),
            ["_handler"] = "login",
            ["Input.UserName"] = userName,
            ["Input.Password"] = password,
        }));
    }

    internal static string AntiforgeryToken(string html) =>
        TokenPattern().Match(html) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException("No antiforgery token in the page.");

    internal static List<string> AuthCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.Where(c => c.StartsWith("KvmPortal.Auth=", StringComparison.Ordinal) && !c.StartsWith("KvmPortal.Auth=;")).ToList()
            : [];

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
