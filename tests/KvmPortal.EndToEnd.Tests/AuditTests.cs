using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KvmPortal.EndToEnd.Tests;

/// <summary>The audit page end to end: an administrator finds their own sign-in, filters by action and downloads the CSV.</summary>
public sealed class AuditTests
{
    private static readonly LocatorAssertionsToBeVisibleOptions Visible = new() { Timeout = 30_000 };

    [Fact]
    public async Task AnAdministratorSeesTheirSignInFiltersByActionAndDownloadsTheCsv()
    {
        await using var portal = await RunningPortal.StartAsync();
        await using var browser = await BrowserSession.StartAsync();
        var page = browser.Page;

        // A wrong password, a sign-in and a sign-out, then the sign-in this test works in: the log holds two actions.
        await SignInAsync(page, portal, "not-the-password");
        await Expect(page.Locator("[data-testid=login-error]")).ToBeVisibleAsync(Visible);
        await SignInAsync(page, portal, portal.AdminPassword);
        await Expect(page).Not.ToHaveURLAsync(new Regex("/account/login", RegexOptions.IgnoreCase));
        await page.Locator("[data-testid=logout]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/account/login", RegexOptions.IgnoreCase));
        await SignInAsync(page, portal, portal.AdminPassword);
        await Expect(page).Not.ToHaveURLAsync(new Regex("/account/login", RegexOptions.IgnoreCase));

        await page.WaitUntilInteractiveAsync();
        await page.Locator("[data-testid=nav-audit]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/audit$"));
        var signIns = page.Locator("td[data-audit-action='account.signin'][data-audit-actor='admin']");
        var signOuts = page.Locator("td[data-audit-action='account.signout'][data-audit-actor='admin']");
        await Expect(signIns).ToHaveCountAsync(3, new() { Timeout = 30_000 });
        await Expect(signOuts).ToHaveCountAsync(1);

        // Filter by action: the sign-out goes, the three sign-ins stay; the oldest (the wrong password) opens to its error.
        var apply = page.Locator("[data-testid=audit-filter-apply]");
        var action = page.Locator("[data-testid=audit-filter-action] input, input[data-testid=audit-filter-action]");
        await Expect(apply).ToBeEnabledAsync(new() { Timeout = 30_000 });
        await action.FillAsync("account.signin");
        await apply.ClickAsync();
        await Expect(signOuts).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        await Expect(signIns).ToHaveCountAsync(3);
        await signIns.Last.ClickAsync();
        await Expect(page.Locator("[data-testid=audit-details-error]")).ToHaveTextAsync("wrong user name or password", new() { Timeout = 30_000 });

        // An action nobody performed: nothing.
        await action.FillAsync("vm.");
        await apply.ClickAsync();
        await Expect(page.Locator("[data-testid=audit-empty]")).ToBeVisibleAsync(Visible);

        // Back to sign-outs, and export exactly those.
        await action.FillAsync("account.signout");
        await apply.ClickAsync();
        await Expect(signOuts).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=audit-export]").ClickAsync());
        var lines = (await File.ReadAllTextAsync(await download.PathAsync())).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Matches(new Regex(@"^audit-\d{8}-\d{6}\.csv$"), download.SuggestedFilename);
        Assert.StartsWith("id,time,actor,", lines[0].TrimStart('\uFEFF'));
        var row = Assert.Single(lines[1..]);
        Assert.Contains(",admin,", row);
        Assert.Contains(",account.signout,ok,", row);
        Assert.DoesNotContain(portal.AdminPassword, row);
    }

    private static async Task SignInAsync(IPage page, RunningPortal portal, string password)
    {
        if (!page.Url.Contains("/account/login", StringComparison.OrdinalIgnoreCase))
            await page.GotoAsync(portal.BaseUrl + "/account/login");
        await page.Locator("[data-testid=login-user]").FillAsync(portal.AdminUser);
        await page.Locator("[data-testid=login-password]").FillAsync(password);
        await page.Locator("[data-testid=login-submit]").ClickAsync();
    }
}
