using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KvmPortal.EndToEnd.Tests;

/// <summary>
/// The Snapshots tab end to end on a shut-off kvmportal-test-* VM with a small qcow2 disk: take a snapshot from the
/// page, see it in the tree and on the host (virsh), then delete it from the page.
/// </summary>
public sealed class SnapshotTests
{
    private static readonly LocatorAssertionsToBeVisibleOptions Visible = new() { Timeout = 30_000 };

    [Fact]
    public async Task TakeAndDeleteASnapshotFromTheVmPage()
    {
        var name = "kvmportal-test-snap-" + Guid.NewGuid().ToString("N")[..8];
        var disk = $"/var/lib/libvirt/images/{name}.qcow2";
        var xml = Path.Combine(Path.GetTempPath(), name + ".xml");
        await File.WriteAllTextAsync(xml, $"""
            <domain type='qemu'><name>{name}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>
              <os><type arch='x86_64' machine='pc'>hvm</type></os>
              <devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='{disk}'/><target dev='vda' bus='virtio'/></disk></devices>
            </domain>
            """);
        await RunAsync("qemu-img", "create", "-q", "-f", "qcow2", disk, "1M");
        await Virsh.RunAsync("define", xml);
        await using var portal = await RunningPortal.StartAsync();
        await using var browser = await BrowserSession.StartAsync();
        var page = browser.Page;
        try
        {
            await DemoVmTests.LogInAsync(page, portal);
            await page.OpenVmPageAsync(portal, name);
            await page.Locator(".mud-tab", new() { HasText = "Snapshots" }).ClickAsync();
            await Expect(page.Locator("[data-testid=snapshots-empty]")).ToBeVisibleAsync(Visible);

            var take = page.Locator("[data-testid=snapshot-take]");
            await Expect(take).ToBeEnabledAsync(new() { Timeout = 30_000 });
            await take.ClickAsync();
            await page.Locator("[data-testid=snapshot-name] input, input[data-testid=snapshot-name]").FillAsync("before-upgrade");
            await page.Locator("[data-testid=snapshot-description] textarea, textarea[data-testid=snapshot-description]").FillAsync("from the browser");
            await page.Locator("[data-testid=snapshot-confirm]").ClickAsync();

            var row = page.Locator("tr[data-snapshot='before-upgrade']");
            await Expect(row).ToBeVisibleAsync(Visible);
            await Expect(row).ToContainTextAsync("from the browser");
            await Expect(row.Locator("[data-testid=snapshot-current]")).ToBeVisibleAsync(Visible);
            Assert.Contains("before-upgrade", await Virsh.RunAsync("snapshot-list", name, "--name"));

            await row.Locator("[data-testid=snapshot-delete]").ClickAsync();
            await page.Locator("[data-testid=snapshot-confirm]").ClickAsync();
            await Expect(page.Locator("[data-testid=snapshots-empty]")).ToBeVisibleAsync(Visible);
            Assert.DoesNotMatch(new Regex("before-upgrade"), await Virsh.RunAsync("snapshot-list", name, "--name"));
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "kvmportal-e2e-snapshot-failure.png") });
            Console.WriteLine(portal.Output);
            throw;
        }
        finally
        {
            try
            {
                await Virsh.RunAsync("undefine", name, "--snapshots-metadata");
            }
            catch (InvalidOperationException)
            {
            }
            File.Delete(disk);
            File.Delete(xml);
        }
    }

    internal static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo(program) { RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} failed: {error}");
    }
}
