using System.Diagnostics;
using Microsoft.Playwright;

namespace KvmPortal.Bench.Circuits;

/// <summary>
/// Debian's Chromium (Playwright, no browser download) opens /vms signed in, in a fresh context each time (cold
/// cache, like a first visit): time to the first VM row visible and to the circuit being interactive.
/// </summary>
internal static class FirstRenderBenchmark
{
    public static async Task<(double RowMs, double InteractiveMs)> RunAsync(string baseUrl, string cookie, int runs)
    {
        var chromium = Environment.GetEnvironmentVariable("KVMPORTAL_CHROMIUM") ?? "/usr/bin/chromium";
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var (name, value) = (cookie[..cookie.IndexOf('=')], cookie[(cookie.IndexOf('=') + 1)..]);
        var rows = new List<double>();
        var interactive = new List<double>();
        for (var run = 0; run < runs + 1; run++)
        {
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
            await context.AddCookiesAsync([new Cookie { Name = name, Value = value, Url = baseUrl }]);
            var page = await context.NewPageAsync();
            var clock = Stopwatch.StartNew();
            var firstRow = page.Locator("tr[data-vm]").First.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 60_000 })
                .ContinueWith(_ => clock.Elapsed.TotalMilliseconds, TaskScheduler.Default);
            await page.GotoAsync(baseUrl + "/vms", new() { WaitUntil = WaitUntilState.Commit });
            await page.Locator("[data-testid=circuit][data-interactive=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });
            var interactiveMs = clock.Elapsed.TotalMilliseconds;
            var rowMs = await firstRow;
            var timing = await page.EvaluateAsync<double[]>(TimingScript);
            Console.WriteLine($"  chromium run {run + 1}{(run == 0 ? " (warm-up, not counted)" : "")}: first row {rowMs:F0} ms, interactive {interactiveMs:F0} ms " +
                $"(page: first byte {timing[0]:F0} ms, last byte {timing[1]:F0} ms, {timing[2] / 1024:F0} KiB; DOMContentLoaded {timing[3]:F0} ms; scripts and styles {timing[4] / 1024:F0} KiB)");
            if (run == 0) continue;
            rows.Add(rowMs);
            interactive.Add(interactiveMs);
        }
        return (Median(rows), Median(interactive));
    }

    // Where the time goes: the prerendered page's arrival and size, the parse, and what the page loads before it can start.
    private const string TimingScript = """
        () => {
            const n = performance.getEntriesByType('navigation')[0];
            const assets = performance.getEntriesByType('resource').reduce((sum, r) => sum + r.decodedBodySize, 0);
            return [n.responseStart, n.responseEnd, n.decodedBodySize, n.domContentLoadedEventEnd, assets];
        }
        """;

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
