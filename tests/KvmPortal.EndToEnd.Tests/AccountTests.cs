using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KvmPortal.EndToEnd.Tests;

/// <summary>Account self-service in the browser, under the real Content-Security-Policy.</summary>
public sealed class AccountTests
{
    private static readonly PageAssertionsToHaveURLOptions SoonUrl = new() { Timeout = 30_000 };

    [Fact]
    public async Task AFreshUserChangesThePasswordAndSignsInWithTheNewOne()
    {
        await using var portal = await RunningPortal.StartAsync();
        await using var browser = await BrowserSession.StartAsync();
        var page = browser.Page;
        var blocked = CollectPolicyViolations(page);
        var userName = "e2e-" + Guid.NewGuid().ToString("N")[..8];
        const string newPassword = "Brand-New-Passw0rd!";
        await PortalUsers.CreateAsync(portal, userName);
        try
        {
            await page.GotoAsync(portal.BaseUrl + "/");
            await DemoVmTests.FillLoginAsync(page, userName, portal.AdminPassword);
            await Expect(page.Locator("[data-testid=user-name]")).ToHaveTextAsync(userName, new() { Timeout = 30_000 });

            // From the interactive dashboard to the statically rendered account pages.
            await page.Locator("[data-testid=user-name]").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/account$"), SoonUrl);
            await Expect(page.Locator("[data-testid=account-user]")).ToHaveTextAsync(userName);
            await page.Locator("[data-testid=account-password-link]").ClickAsync();

            await page.Locator("[data-testid=password-current]").FillAsync("Not-The-Passw0rd!");
            await page.Locator("[data-testid=password-new]").FillAsync(newPassword);
            await page.Locator("[data-testid=password-confirm]").FillAsync(newPassword);
            await page.Locator("[data-testid=password-submit]").ClickAsync();
            await Expect(page.Locator("[data-testid=password-error]")).ToHaveTextAsync("The current password is not correct.");

            await page.Locator("[data-testid=password-current]").FillAsync(portal.AdminPassword);
            await page.Locator("[data-testid=password-new]").FillAsync(newPassword);
            await page.Locator("[data-testid=password-confirm]").FillAsync(newPassword);
            await page.Locator("[data-testid=password-submit]").ClickAsync();
            await Expect(page.Locator("[data-testid=password-changed]")).ToBeVisibleAsync();

            // The two-factor page's QR code is a data: image: the policy must let it load.
            await page.GotoAsync(portal.BaseUrl + "/account/two-factor");
            await Expect(page.Locator("[data-testid=two-factor-key]")).ToHaveTextAsync(new Regex("^[a-z2-7]{4}( [a-z2-7]{1,4})+$"));
            Assert.True(await page.Locator("[data-testid=two-factor-qr]").EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"));

            await page.GotoAsync(portal.BaseUrl + "/");
            await page.Locator("[data-testid=logout]").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/account/login"), SoonUrl);

            await DemoVmTests.FillLoginAsync(page, userName, portal.AdminPassword);
            await Expect(page.Locator("[data-testid=login-error]")).ToBeVisibleAsync();

            await DemoVmTests.FillLoginAsync(page, userName, newPassword);
            await Expect(page.Locator("[data-testid=user-name]")).ToHaveTextAsync(userName, new() { Timeout = 30_000 });
            Assert.Empty(blocked);
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "kvmportal-e2e-account-failure.png") });
            Console.WriteLine(portal.Output);
            throw;
        }
    }

    /// <summary>Chromium reports every resource or script the Content-Security-Policy blocks on the console.</summary>
    internal static List<string> CollectPolicyViolations(IPage page)
    {
        var blocked = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
                lock (blocked) blocked.Add(message.Text);
        };
        return blocked;
    }
}
