using System.Text.RegularExpressions;
using KvmPortal.Web.Tests.Integration.Oidc;
using static Microsoft.Playwright.Assertions;

namespace KvmPortal.EndToEnd.Tests;

/// <summary>The "Sign in with ..." button in a real browser, through the test identity provider, under the real Content-Security-Policy.</summary>
public sealed class SingleSignOnTests
{
    private const string DemoVm = "kvmportal-demo";

    [Fact]
    public async Task TheProviderButtonSignsInAUserWhoseGroupMakesThemAGlobalViewer()
    {
        await using var provider = await TestOpenIdProvider.StartAsync();
        var userName = "sso-" + Guid.NewGuid().ToString("N")[..8];
        provider.User = new TestOidcUser("e2e-" + userName, userName, ["lab-viewers"]);
        await using var portal = await RunningPortal.StartAsync(new Dictionary<string, string>
        {
            ["KvmPortal__Oidc__Authority"] = provider.Issuer,
            ["KvmPortal__Oidc__ClientId"] = TestOpenIdProvider.ClientId,
            ["KvmPortal__Oidc__ClientSecret"] = TestOpenIdProvider.ClientSecret,
            ["KvmPortal__Oidc__RequireHttpsMetadata"] = "false",
            ["KvmPortal__Oidc__DisplayName"] = "Lab SSO",
            ["KvmPortal__Oidc__GroupMappings__lab-viewers__Role"] = "Viewer",
        });
        provider.RedirectUris.Add(portal.BaseUrl + "/signin-oidc");
        await using var browser = await BrowserSession.StartAsync();
        var page = browser.Page;
        var blocked = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) blocked.Add(message.Text);
        };

        await page.GotoAsync(portal.BaseUrl + "/hosts");
        await Expect(page).ToHaveURLAsync(new Regex("/account/login"));
        await page.Locator("[data-testid=login-oidc]").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/hosts$"), new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-testid=user-name]")).ToHaveTextAsync(userName, new() { Timeout = 30_000 });
        Assert.Equal(1, provider.TokensIssued);
        // A global viewer sees every VM, and none of the administration.
        await page.GotoAsync(portal.BaseUrl + "/");
        await Expect(page.Locator($"[data-vm='{DemoVm}']")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-testid=nav-users]")).ToHaveCountAsync(0);
        Assert.Empty(blocked);

        await page.Locator("[data-testid=logout]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/account/login"), new() { Timeout = 30_000 });
    }
}
