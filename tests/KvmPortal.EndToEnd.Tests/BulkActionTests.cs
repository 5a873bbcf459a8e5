using System.Xml.Linq;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KvmPortal.EndToEnd.Tests;

/// <summary>Pause and resume two real VMs at once from the VM list's bulk bar.</summary>
public sealed class BulkActionTests
{
    private const string DemoVm = "kvmportal-demo";

    [Fact]
    public async Task TwoVmsArePausedAndResumedFromTheBulkBar()
    {
        var name = "kvmportal-test-bulk-" + Guid.NewGuid().ToString("N")[..8];
        var xml = Path.Combine(Path.GetTempPath(), name + ".xml");
        new XElement("domain", new XAttribute("type", "qemu"),
            new XElement("name", name),
            new XElement("memory", new XAttribute("unit", "MiB"), 64),
            new XElement("vcpu", 1),
            new XElement("os", new XElement("type", new XAttribute("arch", "x86_64"), new XAttribute("machine", "pc"), "hvm"))).Save(xml);
        if (await Virsh.RunAsync("domstate", DemoVm) != "running") await Virsh.RunAsync("start", DemoVm);
        await using var portal = await RunningPortal.StartAsync();
        await using var browser = await BrowserSession.StartAsync();
        var page = browser.Page;
        try
        {
            await Virsh.RunAsync("create", xml);
            await DemoVmTests.LogInAsync(page, portal);
            var selectedCount = 0;
            foreach (var vm in new[] { DemoVm, name })
            {
                var checkbox = page.Locator($"[data-vm='{vm}'] td.vm-select input");
                await Expect(checkbox).ToBeEnabledAsync(new() { Timeout = 30_000 });
                await checkbox.ClickAsync(new() { Force = true });
                // The bulk bar appears above the table after the first tick: wait for it before the next click,
                // or the layout shift can move the row from under the click.
                await Expect(page.Locator("[data-testid=bulk-count]")).ToHaveTextAsync($"{++selectedCount} selected", new() { Timeout = 30_000 });
            }

            await RunAsync(page, "pause");
            Assert.Equal("paused", await Virsh.RunAsync("domstate", DemoVm));
            Assert.Equal("paused", await Virsh.RunAsync("domstate", name));

            await RunAsync(page, "resume");
            Assert.Equal("running", await Virsh.RunAsync("domstate", DemoVm));
            Assert.Equal("running", await Virsh.RunAsync("domstate", name));
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "kvmportal-e2e-bulk-failure.png") });
            Console.WriteLine(portal.Output);
            throw;
        }
        finally
        {
            try { await Virsh.RunAsync("destroy", name); } catch (InvalidOperationException) { }
            if (await Virsh.RunAsync("domstate", DemoVm) == "paused") await Virsh.RunAsync("resume", DemoVm);
            File.Delete(xml);
        }
    }

    private static async Task RunAsync(IPage page, string action)
    {
        await page.Locator($"[data-testid=bulk-vm-action-{action}]").ClickAsync();
        await Expect(page.Locator("[data-testid=bulk-summary]")).ToHaveTextAsync("2 succeeded, 0 failed.", new() { Timeout = 30_000 });
        await page.Locator("[data-testid=bulk-close]").ClickAsync();
        await Expect(page.Locator("[data-testid=bulk-summary]")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
    }
}
