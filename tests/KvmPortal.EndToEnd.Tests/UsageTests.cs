using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KvmPortal.EndToEnd.Tests;

/// <summary>
/// The usage history end to end: the recorder samples the running demo VM every record interval (10 s), and its
/// Usage tab draws them, reading again by itself while it is open on the hour view.
/// </summary>
public sealed class UsageTests
{
    private const string DemoVm = "kvmportal-demo";
    private static readonly LocatorAssertionsToBeVisibleOptions Visible = new() { Timeout = 30_000 };

    [Fact]
    public async Task TheDemoVmsUsageTabDrawsTheRecordedCpuSamples()
    {
        if (await Virsh.RunAsync("domstate", DemoVm) != "running") await Virsh.RunAsync("start", DemoVm);
        await using var portal = await RunningPortal.StartAsync();
        await using var browser = await BrowserSession.StartAsync();
        var page = browser.Page;
        try
        {
            await DemoVmTests.LogInAsync(page, portal);
            var link = page.Locator($"[data-vm='{DemoVm}'] [data-testid=vm-name]");
            await Expect(link).ToBeVisibleAsync(Visible);
            await page.GotoAsync(portal.BaseUrl + "/" + (await link.GetAttributeAsync("href"))!.TrimStart('/'));
            await page.WaitUntilInteractiveAsync();
            await Expect(page.Locator("[data-testid=vm-delete]")).ToBeEnabledAsync(new() { Timeout = 30_000 });

            await page.Locator(".mud-tab", new() { HasText = "Usage" }).ClickAsync();
            await Expect(page.Locator("[data-testid=usage-period]")).ToBeVisibleAsync(Visible);

            // A fresh portal has recorded nothing yet; the tab reads again every interval, so the points arrive
            // without a reload. CPU % needs two samples (a delta of CPU time): a generous bound, polled.
            var cpu = page.Locator("[data-testid=usage-chart-cpu]");
            await Expect(cpu).ToHaveAttributeAsync("data-points", new Regex("^[1-9][0-9]*$"), new() { Timeout = 60_000 });
            await Expect(cpu.Locator("svg path").First).ToBeAttachedAsync();
            await Expect(page.Locator("[data-testid=usage-chart-memory]")).ToBeVisibleAsync(Visible);

            // The same samples in the report of the last 7 days, on the page and in its CSV.
            await page.GotoAsync(portal.BaseUrl + "/usage");
            await page.WaitUntilInteractiveAsync();
            await Expect(page.Locator($"[data-testid=usage-vm-name][data-vm='{DemoVm}']")).ToBeVisibleAsync(Visible);
            var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=usage-csv]").ClickAsync());
            var csv = await File.ReadAllTextAsync(await download.PathAsync());
            Assert.Contains(DemoVm, csv);
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "kvmportal-e2e-usage-failure.png") });
            Console.WriteLine(portal.Output);
            throw;
        }
    }
}
