using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KvmPortal.EndToEnd.Tests;

/// <summary>
/// A clone runs as a job: started from the VM page, followed in the job center with its bytes, still there after
/// navigating away and back, and finished with a link to the new VM. On a VM and a dir pool of its own
/// (kvmportal-test-clonejob-*), removed after.
/// </summary>
public sealed class CloneJobTests
{
    private static readonly LocatorAssertionsToBeVisibleOptions Visible = new() { Timeout = 30_000 };
    private static readonly LocatorAssertionsToHaveAttributeOptions Finished = new() { Timeout = 120_000 };

    [Fact]
    public async Task ACloneIsFollowedInTheJobCenterAcrossNavigation()
    {
        var name = "kvmportal-test-clonejob-" + Guid.NewGuid().ToString("N")[..8];
        var clone = name + "-c";
        var poolPath = $"/var/lib/libvirt/images/{name}";
        var xml = Path.Combine(Path.GetTempPath(), name + ".xml");
        await Virsh.RunAsync("pool-define-as", name, "dir", "--target", poolPath);
        await Virsh.RunAsync("pool-build", name);
        await Virsh.RunAsync("pool-start", name);
        await Virsh.RunAsync("vol-create-as", name, "disk.img", "64M", "--format", "raw");
        // Real data, so the copy has bytes to report.
        await SnapshotTests.RunAsync("dd", "if=/dev/urandom", $"of={poolPath}/disk.img", "bs=1M", "count=64", "conv=notrunc", "status=none");
        await File.WriteAllTextAsync(xml, $"""
            <domain type='qemu'><name>{name}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>
              <os><type arch='x86_64' machine='pc'>hvm</type></os>
              <devices><disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='{poolPath}/disk.img'/><target dev='vda' bus='virtio'/></disk></devices>
            </domain>
            """);
        await Virsh.RunAsync("define", xml);
        await using var portal = await RunningPortal.StartAsync();
        await using var browser = await BrowserSession.StartAsync();
        var page = browser.Page;
        try
        {
            await DemoVmTests.LogInAsync(page, portal);
            var link = page.Locator($"[data-vm='{name}'] [data-testid=vm-name]");
            await Expect(link).ToBeVisibleAsync(Visible);
            await page.GotoAsync(portal.BaseUrl + "/" + (await link.GetAttributeAsync("href"))!.TrimStart('/'));
            await page.WaitUntilInteractiveAsync();
            await Expect(page.Locator("[data-testid=vm-clone]")).ToBeEnabledAsync(new() { Timeout = 30_000 });
            await page.Locator("[data-testid=vm-clone]").ClickAsync();
            var cloneName = page.Locator("[data-testid=clone-name] input, input[data-testid=clone-name]");
            await cloneName.FillAsync(clone);
            await page.Locator("[data-testid=clone-confirm]").ClickAsync();
            await Expect(page.Locator(".mud-snackbar", new() { HasText = "started" })).ToBeVisibleAsync(Visible);

            await page.Locator("[data-testid=job-badge-link]").ClickAsync();
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/jobs$"));
            var row = page.Locator($"[data-testid=job-row][data-kind='vm.clone'][data-subject='{name} → {clone}']");
            await Expect(row).ToBeVisibleAsync(Visible);
            // Running ("vda (1/1) · ... of 64 MiB") or already done, the copy shows its bytes of the disk's 64 MiB.
            await Expect(row.Locator("[data-testid=job-bytes]")).ToContainTextAsync("of 64 MiB", new() { Timeout = 60_000 });

            await page.Locator("[data-testid=nav-storage]").ClickAsync();
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/storage$"));
            await page.Locator("[data-testid=nav-jobs]").ClickAsync();
            await Expect(row).ToHaveAttributeAsync("data-state", "Succeeded", Finished);
            await Expect(row.Locator("[data-testid=job-bytes]")).ToContainTextAsync("64 MiB of 64 MiB (100%)");
            await Expect(page.Locator("[data-testid=job-badge]")).ToHaveAttributeAsync("data-running", "0");

            await row.Locator("[data-testid=job-result]").ClickAsync();
            await Expect(page.Locator("h1", new() { HasText = clone })).ToBeVisibleAsync(Visible);
            Assert.Equal("shut off", await Virsh.RunAsync("domstate", clone));
            Assert.Contains($"{clone}-vda.img", await Virsh.RunAsync("vol-list", name));
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "kvmportal-e2e-clonejob-failure.png") });
            Console.WriteLine(portal.Output);
            throw;
        }
        finally
        {
            foreach (var domain in new[] { clone, name })
            {
                try { await Virsh.RunAsync("undefine", domain); } catch (InvalidOperationException) { }
            }
            try { await Virsh.RunAsync("pool-destroy", name); } catch (InvalidOperationException) { }
            try { await SnapshotTests.RunAsync("rm", "-rf", poolPath); } catch (InvalidOperationException) { }
            try { await Virsh.RunAsync("pool-undefine", name); } catch (InvalidOperationException) { }
            File.Delete(xml);
        }
    }
}
