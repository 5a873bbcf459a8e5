using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KvmPortal.EndToEnd.Tests;

/// <summary>
/// Issue 5 end to end: create a NAT network in the browser on the real qemu:///system, see it active in the live
/// list, delete it through the page. Uses a free 10.253.X.0/24 (other tests use 10.254.X) and cleans up with virsh.
/// </summary>
public sealed class NetworkTests
{
    private static readonly LocatorAssertionsToHaveAttributeOptions SoonAttribute = new() { Timeout = 30_000 };
    private static readonly LocatorAssertionsToHaveCountOptions SoonCount = new() { Timeout = 30_000 };

    [Fact]
    public async Task ANatNetworkIsCreatedSeenActiveAndDeletedInThePage()
    {
        var name = "kvmportal-test-" + Guid.NewGuid().ToString("N")[..8];
        var octet = await FreeThirdOctetAsync();
        await using var portal = await RunningPortal.StartAsync();
        await using var browser = await BrowserSession.StartAsync();
        var page = browser.Page;
        try
        {
            await page.GotoAsync(portal.BaseUrl + "/");
            await page.Locator("[data-testid=login-user]").FillAsync(portal.AdminUser);
            await page.Locator("[data-testid=login-password]").FillAsync(portal.AdminPassword);
            await page.Locator("[data-testid=login-submit]").ClickAsync();
            await Expect(page).Not.ToHaveURLAsync(new Regex("/account/login", RegexOptions.IgnoreCase));

            await page.GotoAsync(portal.BaseUrl + "/networks/new");
            await page.WaitUntilInteractiveAsync();
            // The only host is chosen by itself once the page is live.
            await Expect(page.Locator("[data-testid=network-review]")).ToBeEnabledAsync(new() { Timeout = 30_000 });
            await FillAsync(page, "network-name-input", name);
            await FillAsync(page, "network-ipv4-input", $"10.253.{octet}.1");
            await FillAsync(page, "network-dhcp-start", $"10.253.{octet}.10");
            await FillAsync(page, "network-dhcp-end", $"10.253.{octet}.99");
            await page.Locator("[data-testid=network-review]").ClickAsync();

            var preview = page.Locator("[data-testid=network-preview-xml]");
            await Expect(preview).ToContainTextAsync($"<name>{name}</name>", new() { Timeout = 30_000 });
            await Expect(preview).ToContainTextAsync("mode=\"nat\"");
            await page.Locator("[data-testid=network-define]").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex($"/networks/[0-9a-f-]+/{name}$"), new() { Timeout = 30_000 });

            await page.GotoAsync(portal.BaseUrl + "/networks");
            await page.WaitUntilInteractiveAsync();
            var row = page.Locator($"tr[data-network='{name}']");
            await Expect(row.Locator("[data-testid=network-state]")).ToHaveAttributeAsync("data-state", "active", SoonAttribute);
            Assert.Equal("yes", (await Virsh.RunAsync("net-info", name)).Split('\n')
                .Single(l => l.StartsWith("Active:", StringComparison.Ordinal)).Split(':')[1].Trim());

            await row.Locator("[data-testid=network-delete]").ClickAsync();
            await page.Locator("[data-testid=confirm]").ClickAsync();
            await Expect(row).ToHaveCountAsync(0, SoonCount);
            Assert.DoesNotContain(name, (await Virsh.RunAsync("net-list", "--all", "--name")).Split('\n'));
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "kvmportal-e2e-network-failure.png") });
            Console.WriteLine(portal.Output);
            throw;
        }
        finally
        {
            var networks = (await Virsh.RunAsync("net-list", "--all", "--name")).Split('\n');
            if (networks.Contains(name))
            {
                try { await Virsh.RunAsync("net-destroy", name); } catch (InvalidOperationException) { }
                try { await Virsh.RunAsync("net-undefine", name); } catch (InvalidOperationException) { }
            }
        }
    }

    private static async Task FillAsync(IPage page, string testId, string value)
    {
        var input = page.Locator($"input[data-testid={testId}], [data-testid={testId}] input").First;
        await input.FillAsync(value);
        await input.PressAsync("Tab");
    }

    /// <summary>A third octet X with 10.253.X.0/24 in no libvirt network and on no host interface.</summary>
    internal static async Task<int> FreeThirdOctetAsync()
    {
        var used = new HashSet<int>();
        var text = new List<string>();
        foreach (var network in (await Virsh.RunAsync("net-list", "--all", "--name")).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            try { text.Add(await Virsh.RunAsync("net-dumpxml", network.Trim())); }
            catch (InvalidOperationException) { } // removed meanwhile by another test
        }
        using (var ip = Process.Start(new ProcessStartInfo("ip", ["-o", "-4", "addr"]) { RedirectStandardOutput = true })!)
        {
            text.Add(await ip.StandardOutput.ReadToEndAsync());
            await ip.WaitForExitAsync();
        }
        foreach (Match match in Regex.Matches(string.Join('\n', text), @"10\.253\.(\d+)\."))
            used.Add(int.Parse(match.Groups[1].Value));
        var free = Enumerable.Range(2, 250).Where(x => !used.Contains(x)).ToList();
        return free[Random.Shared.Next(free.Count)];
    }
}
