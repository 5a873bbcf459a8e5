using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KvmPortal.EndToEnd.Tests;

/// <summary>
/// The walking skeleton end to end: log in, see the demo VM running on the real local host, force it off
/// in the page, start it again with virsh, and watch both changes arrive without a reload.
/// </summary>
public sealed class DemoVmTests
{
    private const string DemoVm = "kvmportal-demo";
    private static readonly LocatorAssertionsToHaveTextOptions Soon = new() { Timeout = 30_000 };
    private static readonly LocatorAssertionsToHaveAttributeOptions SoonAttribute = new() { Timeout = 30_000 };

    [Fact]
    public async Task StateChangesFromThePageAndFromVirshAppearWithoutReload()
    {
        if (await Virsh.RunAsync("domstate", DemoVm) != "running") await Virsh.RunAsync("start", DemoVm);
        await using var portal = await RunningPortal.StartAsync();
        await using var browser = await BrowserSession.StartAsync();
        var page = browser.Page;
        try
        {
            await LogInAsync(page, portal);

            var row = page.Locator($"[data-vm='{DemoVm}']");
            // data-state is the language-neutral state id; the chip's text is translated.
            var state = row.Locator("[data-testid=vm-state]");
            await Expect(state).ToHaveAttributeAsync("data-state", "running", SoonAttribute);
            await Expect(state).ToHaveTextAsync("running", Soon);
            // A reload would lose this marker: its survival proves the updates came over the live circuit.
            await page.EvaluateAsync("window.kvmportalNoReload = true");

            await row.Locator("[data-testid=vm-action-forceoff]").ClickAsync();
            await page.Locator("[data-testid=confirm]").ClickAsync();
            await Expect(state).ToHaveAttributeAsync("data-state", "shut-off", SoonAttribute);

            await Virsh.RunAsync("start", DemoVm);
            await Expect(state).ToHaveAttributeAsync("data-state", "running", SoonAttribute);
            Assert.True(await page.EvaluateAsync<bool>("window.kvmportalNoReload === true"));

            await page.GotoAsync(portal.BaseUrl + "/hosts");
            await page.WaitUntilInteractiveAsync();
            var host = page.Locator("[data-host='localhost']");
            await Expect(host.Locator("[data-testid=host-status]")).ToHaveTextAsync(new Regex("online", RegexOptions.IgnoreCase), new() { Timeout = 30_000, IgnoreCase = true });

            // The host's page: its capacity against what the VMs are given (the demo VM at least).
            await page.GotoAsync(portal.BaseUrl + "/" + (await host.Locator("[data-testid=host-link]").GetAttributeAsync("href"))!.TrimStart('/'));
            await page.WaitUntilInteractiveAsync();
            await Expect(page.Locator("[data-testid=host-cpus]")).ToHaveTextAsync(new Regex(@"^Host CPUs: [1-9]"), Soon);
            await Expect(page.Locator("[data-testid=host-vcpus-defined]")).ToHaveTextAsync(new Regex(@"^vCPUs of all VMs: [1-9]"), Soon);
            await Expect(page.Locator("[data-testid=host-overcommit-cpu]")).ToHaveTextAsync(new Regex(@"running, \d+\.\d\d all$"), Soon);
            await Expect(page.Locator("[data-testid=host-capabilities]")).ToContainTextAsync("libvirt", new() { Timeout = 30_000 });
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "kvmportal-e2e-failure.png") });
            Console.WriteLine(portal.Output);
            throw;
        }
        finally
        {
            if (await Virsh.RunAsync("domstate", DemoVm) != "running") await Virsh.RunAsync("start", DemoVm);
        }
    }

    [Fact]
    public async Task InSimplifiedChineseTheLoginAndTheVmListSpeakChinese()
    {
        await using var portal = await RunningPortal.StartAsync();
        await using var browser = await BrowserSession.StartAsync("zh-CN");
        var page = browser.Page;
        try
        {
            await page.GotoAsync(portal.BaseUrl + "/");
            await Expect(page.Locator("h1")).ToHaveTextAsync("登录", Soon);
            await FillLoginAsync(page, portal.AdminUser, portal.AdminPassword);
            await Expect(page).Not.ToHaveURLAsync(new Regex("/account/login", RegexOptions.IgnoreCase));

            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-Hans");
            await Expect(page.Locator("h1")).ToHaveTextAsync("虚拟机", Soon);
            await Expect(page.Locator("[data-testid=sort-state]")).ToHaveTextAsync("状态", Soon);
            var row = page.Locator($"[data-vm='{DemoVm}']");
            await Expect(row.Locator("[data-testid=vm-name]")).ToHaveTextAsync(DemoVm, Soon);
            // Whatever other tests did to the demo VM meanwhile, its state reads in Chinese.
            await Expect(row.Locator("[data-testid=vm-state]"))
                .ToHaveTextAsync(new Regex("运行中|关闭|正在关机|已暂停"), Soon);
            await Expect(page.Locator("[data-testid=logout]")).ToHaveTextAsync("退出登录", Soon);
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "kvmportal-e2e-zh-failure.png") });
            Console.WriteLine(portal.Output);
            throw;
        }
    }

    [Fact]
    public async Task AWrongPasswordIsRefused()
    {
        await using var portal = await RunningPortal.StartAsync();
        await using var browser = await BrowserSession.StartAsync();
        var page = browser.Page;

        await page.GotoAsync(portal.BaseUrl + "/");
        await Expect(page).ToHaveURLAsync(new Regex("/account/login", RegexOptions.IgnoreCase));
        await FillLoginAsync(page, portal.AdminUser, "not-the-password");

        await Expect(page).ToHaveURLAsync(new Regex("/account/login", RegexOptions.IgnoreCase));
        await Expect(page.Locator("[data-vm]")).ToHaveCountAsync(0);
    }

    internal static async Task LogInAsync(IPage page, RunningPortal portal)
    {
        await page.GotoAsync(portal.BaseUrl + "/");
        await Expect(page).ToHaveURLAsync(new Regex("/account/login", RegexOptions.IgnoreCase));
        await FillLoginAsync(page, portal.AdminUser, portal.AdminPassword);
        await Expect(page).Not.ToHaveURLAsync(new Regex("/account/login", RegexOptions.IgnoreCase));
        await page.WaitUntilInteractiveAsync();
    }

    internal static async Task FillLoginAsync(IPage page, string user, string password)
    {
        await page.Locator("[data-testid=login-user]").FillAsync(user);
        await page.Locator("[data-testid=login-password]").FillAsync(password);
        await page.Locator("[data-testid=login-submit]").ClickAsync();
    }
}
