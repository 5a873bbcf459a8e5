using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KvmPortal.EndToEnd.Tests;

/// <summary>
/// A live migration from the VM page to the second libvirt host on this machine (deploy/lib/second-host.sh): a running
/// kvmportal-test-* VM booting the demo kernel moves, and the page follows it to its new host.
/// </summary>
public sealed class MigrationTests
{
    private static readonly LocatorAssertionsToBeVisibleOptions Visible = new() { Timeout = 30_000 };

    private static string SecondHostUri => Environment.GetEnvironmentVariable("KVMPORTAL_SECOND_HOST_URI") is { Length: > 0 } uri
        ? uri
        : "qemu+tcp://10.251.0.2/system";

    [Fact]
    public async Task MigrateARunningVmLiveFromItsPage()
    {
        var kernel = Environment.GetEnvironmentVariable("KVMPORTAL_DEMO_KERNEL");
        var initrd = Environment.GetEnvironmentVariable("KVMPORTAL_DEMO_INITRD");
        Assert.False(string.IsNullOrEmpty(kernel) || string.IsNullOrEmpty(initrd), "KVMPORTAL_DEMO_KERNEL/INITRD are not set: run deploy/test.sh.");
        await Virsh.RunOnAsync(SecondHostUri, "version"); // fails loudly when the second host is not up (deploy/lib/second-host.sh start)
        var name = "kvmportal-test-mig-" + Guid.NewGuid().ToString("N")[..8];
        var xml = Path.Combine(Path.GetTempPath(), name + ".xml");
        await File.WriteAllTextAsync(xml, $"""
            <domain type='qemu'><name>{name}</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>
              <os><type arch='x86_64' machine='pc'>hvm</type><kernel>{kernel}</kernel><initrd>{initrd}</initrd><cmdline>console=ttyS0 quiet</cmdline></os>
              <devices><serial type='pty'/><graphics type='vnc' autoport='yes' listen='127.0.0.1'/></devices>
            </domain>
            """);
        await Virsh.RunAsync("define", xml);
        await Virsh.RunAsync("start", name);
        await using var portal = await RunningPortal.StartAsync(SecondHostUri);
        await using var browser = await BrowserSession.StartAsync();
        var page = browser.Page;
        try
        {
            await DemoVmTests.LogInAsync(page, portal);
            var link = page.Locator($"[data-vm='{name}'] [data-testid=vm-name]");
            await Expect(link).ToBeVisibleAsync(Visible);
            await page.GotoAsync(portal.BaseUrl + "/" + (await link.GetAttributeAsync("href"))!.TrimStart('/'));
            await page.WaitUntilInteractiveAsync();
            var migrate = page.Locator("[data-testid=vm-migrate]");
            await Expect(migrate).ToBeEnabledAsync(new() { Timeout = 30_000 });
            // The second host must be online before the dialog lists it as a target.
            var header = page.Locator($"[data-vm='{name}']");
            await Expect(header.Locator("[data-testid=vm-state]")).ToHaveAttributeAsync("data-state", "running", new() { Timeout = 30_000 });
            await WaitForHostOnlineAsync(page, portal, migrate);

            await page.Locator("[data-testid=migrate-confirm]").ClickAsync();

            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/vms/[0-9a-f-]+/[0-9a-f-]+$"), new() { Timeout = 60_000 });
            await Expect(header).ToContainTextAsync("on 10.251.0.2", new() { Timeout = 60_000 });
            await Expect(header.Locator("[data-testid=vm-state]")).ToHaveAttributeAsync("data-state", "running", new() { Timeout = 30_000 });
            Assert.Equal("running", await Virsh.RunOnAsync(SecondHostUri, "domstate", name));
            await Assert.ThrowsAsync<InvalidOperationException>(() => Virsh.RunAsync("domstate", name));
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "kvmportal-e2e-migration-failure.png") });
            Console.WriteLine(portal.Output);
            throw;
        }
        finally
        {
            foreach (var uri in new[] { "qemu:///system", SecondHostUri })
            {
                await TryVirshOnAsync(uri, "destroy", name);
                await TryVirshOnAsync(uri, "undefine", name);
            }
            File.Delete(xml);
        }
    }

    /// <summary>Opens the dialog until it offers the second host (the dashboard may still be connecting to it).</summary>
    private static async Task WaitForHostOnlineAsync(IPage page, RunningPortal portal, ILocator migrate)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await migrate.ClickAsync();
            var confirm = page.Locator("[data-testid=migrate-confirm]");
            await Expect(confirm).ToBeVisibleAsync(Visible);
            if (await page.Locator("[data-testid=migrate-target]").CountAsync() > 0) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The second host never came online in the dashboard:\n" + portal.Output);
            await page.Locator("[data-testid=cancel]").ClickAsync();
            await Expect(confirm).ToBeHiddenAsync(new() { Timeout = 10_000 });
            await Task.Delay(500);
        }
    }

    private static async Task TryVirshOnAsync(string uri, params string[] args)
    {
        try
        {
            await Virsh.RunOnAsync(uri, args);
        }
        catch (InvalidOperationException)
        {
        }
    }
}
