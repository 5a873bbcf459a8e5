using Microsoft.Playwright;

namespace KvmPortal.EndToEnd.Tests;

/// <summary>Debian's Chromium driven by Playwright, with no browser download and no background network.</summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private readonly BrowserNewContextOptions _contextOptions;

    private BrowserSession(IPlaywright playwright, IBrowser browser, BrowserNewContextOptions contextOptions, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        _contextOptions = contextOptions;
        Page = page;
    }

    public IPage Page { get; }

    /// <summary>A page in a context of its own (its own cookies): another user in the same browser.</summary>
    public async Task<IPage> NewUserPageAsync() => await (await _browser.NewContextAsync(_contextOptions)).NewPageAsync();

    /// <param name="ignoreHttpsErrors">Accept a self-signed certificate (the tests' own TLS proxy).</param>
    public static async Task<BrowserSession> StartAsync(string? locale = null, bool ignoreHttpsErrors = false)
    {
        var chromium = Environment.GetEnvironmentVariable("KVMPORTAL_CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(chromium))
            throw new InvalidOperationException($"Chromium is not at {chromium}: deploy/test.sh installs Debian's chromium package.");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"],
        });
        var contextOptions = new BrowserNewContextOptions
        {
            Locale = locale ?? "en-US",
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            IgnoreHTTPSErrors = ignoreHttpsErrors,
        };
        var context = await browser.NewContextAsync(contextOptions);
        return new BrowserSession(playwright, browser, contextOptions, await context.NewPageAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}

public static class PageExtensions
{
    /// <summary>
    /// Waits until the page's circuit is up (MainLayout marks it). A click on a prerendered page before that can be
    /// lost: the address changes but the old page stays, or a tab does not switch.
    /// </summary>
    public static Task WaitUntilInteractiveAsync(this IPage page) =>
        page.Locator("[data-testid=circuit][data-interactive=true]")
            .WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });

    /// <summary>The address of the page of the VM called <paramref name="name"/>, read from the VM list the page shows.</summary>
    public static async Task<string> VmPageUrlAsync(this IPage page, RunningPortal portal, string name)
    {
        var link = page.Locator($"[data-vm='{name}'] [data-testid=vm-name]");
        await Microsoft.Playwright.Assertions.Expect(link).ToBeVisibleAsync(new() { Timeout = 30_000 });
        return portal.BaseUrl + "/" + (await link.GetAttributeAsync("href"))!.TrimStart('/');
    }

    /// <summary>Goes from the VM list to the page of the VM called <paramref name="name"/>, ready for clicks.</summary>
    public static async Task OpenVmPageAsync(this IPage page, RunningPortal portal, string name)
    {
        // Go by the link's address: clicking it can miss while other tests' VMs come and go in the list.
        await page.GotoAsync(await page.VmPageUrlAsync(portal, name));
        await page.WaitUntilInteractiveAsync();
        // The tabs switch once the circuit is live, which is when the page enables its buttons.
        await Microsoft.Playwright.Assertions.Expect(page.Locator("[data-testid=vm-delete]")).ToBeEnabledAsync(new() { Timeout = 30_000 });
    }
}

public static class MudExtensions
{
    /// <summary>Picks the item showing <paramref name="itemText"/> in the MudSelect marked <paramref name="testId"/> (MudBlazor puts the mark on its input).</summary>
    public static async Task ChooseAsync(this IPage page, string testId, string itemText)
    {
        // The mark's input may be hidden while the select shows its value; the select opens on a click anywhere in it.
        await page.Locator($".mud-select:has([data-testid={testId}])").First.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = itemText }).First.ClickAsync();
    }

    /// <summary>The input of a MudTextField or MudNumericField marked <paramref name="testId"/>.</summary>
    public static ILocator Field(this IPage page, string testId) =>
        page.Locator($"input[data-testid={testId}], [data-testid={testId}] input, textarea[data-testid={testId}], [data-testid={testId}] textarea").First;
}
