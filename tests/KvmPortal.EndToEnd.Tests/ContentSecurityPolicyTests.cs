using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KvmPortal.EndToEnd.Tests;

/// <summary>The policy blocks nothing the dashboard itself needs: Blazor, MudBlazor, noVNC and its WebSocket.</summary>
public sealed class ContentSecurityPolicyTests
{
    private const string DemoVm = "kvmportal-demo";

    [Fact]
    public async Task TheViolationCollectorSeesWhatThePolicyBlocks()
    {
        await using var browser = await BrowserSession.StartAsync();
        var blocked = AccountTests.CollectPolicyViolations(browser.Page);

        await browser.Page.SetContentAsync("""
            <meta http-equiv="Content-Security-Policy" content="script-src 'none'">
            <script>document.title = 'ran';</script>
            """);

        Assert.NotEqual("ran", await browser.Page.TitleAsync());
        Assert.NotEmpty(blocked);
    }

    [Fact]
    public async Task TheMainPagesAndTheVncConsoleRunWithoutAnythingBlocked()
    {
        if (await Virsh.RunAsync("domstate", DemoVm) != "running") await Virsh.RunAsync("start", DemoVm);
        await using var portal = await RunningPortal.StartAsync();
        await using var browser = await BrowserSession.StartAsync();
        var page = browser.Page;
        var blocked = AccountTests.CollectPolicyViolations(page);
        try
        {
            await DemoVmTests.LogInAsync(page, portal);
            foreach (var path in new[] { "/hosts", "/networks", "/storage", "/vms/new", "/vms" })
            {
                await page.GotoAsync(portal.BaseUrl + path);
                await Expect(page.Locator("h1")).ToBeVisibleAsync();
            }
            await page.Locator($"[data-vm='{DemoVm}'] [data-testid=vm-console]").ClickAsync();
            await Expect(page.Locator("[data-testid=console-status]")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 30_000 });

            Assert.Empty(blocked);
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "kvmportal-e2e-csp-failure.png") });
            Console.WriteLine(portal.Output);
            throw;
        }
    }
}
