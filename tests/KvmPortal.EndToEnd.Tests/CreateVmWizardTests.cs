using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KvmPortal.EndToEnd.Tests;

/// <summary>
/// The new-VM wizard against the real qemu:///system: a direct-kernel-boot guest under emulation is created, runs,
/// shows in the list, and is deleted through the UI. virsh cleans up whatever the test leaves behind.
/// </summary>
public sealed class CreateVmWizardTests
{
    private static readonly LocatorAssertionsToHaveAttributeOptions SoonAttribute = new() { Timeout = 60_000 };
    private static readonly LocatorAssertionsToContainTextOptions SoonText = new() { Timeout = 30_000 };

    private static string DemoFile(string variable, string file) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } path ? path : Path.Combine("/var/lib/libvirt/images/kvmportal-demo", file);

    private static ILocator Field(IPage page, string testId) => page.Locator($"input[data-testid={testId}], [data-testid={testId}] input").First;

    [Fact]
    public async Task A_kernel_boot_vm_is_created_runs_and_is_deleted_through_the_ui()
    {
        var name = "kvmportal-test-" + Guid.NewGuid().ToString("N")[..8];
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

            await page.Locator("[data-testid=vm-new]").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/vms/new$"));
            // The local host is preselected once the circuit is up and the inventory has it.
            await Expect(page.Locator("[data-testid=wizard-host-resources]")).ToContainTextAsync("CPU", SoonText);

            await Field(page, "wizard-name").FillAsync(name);
            await page.Locator("[data-testid=wizard-next]").ClickAsync();

            await page.Locator("input[data-testid=wizard-install-kernel]").CheckAsync(new() { Force = true });
            await Field(page, "wizard-kernel").FillAsync(DemoFile("KVMPORTAL_DEMO_KERNEL", "vmlinux"));
            await Field(page, "wizard-initrd").FillAsync(DemoFile("KVMPORTAL_DEMO_INITRD", "initrd.img"));
            await Field(page, "wizard-kernel-args").FillAsync("console=ttyS0");
            await page.Locator("[data-testid=wizard-next]").ClickAsync();

            await page.Locator("input[data-testid=wizard-tcg]").CheckAsync(new() { Force = true });
            await Field(page, "wizard-memory").FillAsync("128");
            await Field(page, "wizard-memory").BlurAsync();
            await page.Locator("[data-testid=wizard-next]").ClickAsync();

            await Expect(page.Locator("[data-testid=wizard-no-disks]")).ToBeVisibleAsync();
            await page.Locator("[data-testid=wizard-next]").ClickAsync();

            // No NIC: the test host's default network may be inactive.
            await page.Locator("[data-testid=wizard-remove-nic]").ClickAsync();
            await page.Locator("[data-testid=wizard-next]").ClickAsync();

            await Expect(page.Locator("input[data-testid=wizard-start]")).ToBeCheckedAsync();
            await page.Locator("[data-testid=wizard-next]").ClickAsync();

            var xml = page.Locator("[data-testid=wizard-review-xml]");
            await Expect(xml).ToContainTextAsync($"<name>{name}</name>", SoonText);
            await Expect(xml).ToContainTextAsync("type=\"qemu\"", SoonText);
            await Expect(xml).ToContainTextAsync("<memory unit=\"KiB\">131072</memory>", SoonText);
            await page.Locator("[data-testid=wizard-create]").ClickAsync();

            await Expect(page).ToHaveURLAsync(new Regex(@"/vms/[0-9a-f-]{36}/[0-9a-f-]{36}$"), new() { Timeout = 60_000 });
            await Expect(page.Locator($"[data-vm='{name}'] [data-testid=vm-state]").First).ToHaveAttributeAsync("data-state", "running", SoonAttribute);
            Assert.Equal("running", await Virsh.RunAsync("domstate", name));

            await page.GotoAsync(portal.BaseUrl + "/vms");
            await page.WaitUntilInteractiveAsync();
            var row = page.Locator($"tr[data-vm='{name}']");
            await Expect(row.Locator("[data-testid=vm-state]")).ToHaveAttributeAsync("data-state", "running", SoonAttribute);

            await row.Locator("[data-testid=vm-name]").ClickAsync();
            await page.Locator("[data-testid=vm-delete]").ClickAsync();
            await Expect(page.Locator("[data-testid=delete-plan]")).ToContainTextAsync(name, SoonText);
            await page.Locator("[data-testid=delete-confirm]").ClickAsync();

            await Expect(page).ToHaveURLAsync(new Regex("/vms$"), new() { Timeout = 60_000 });
            await Expect(page.Locator($"tr[data-vm='{name}']")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
            var list = await Virsh.RunAsync("list", "--all", "--name");
            Assert.DoesNotContain(name, list.Split('\n').Select(l => l.Trim()));
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "kvmportal-e2e-wizard-failure.png") });
            Console.WriteLine(portal.Output);
            throw;
        }
        finally
        {
            var all = await Virsh.RunAsync("list", "--all", "--name");
            if (all.Split('\n').Select(l => l.Trim()).Contains(name))
            {
                try { await Virsh.RunAsync("destroy", name); } catch (InvalidOperationException) { }
                try { await Virsh.RunAsync("undefine", name, "--nvram", "--managed-save", "--snapshots-metadata"); } catch (InvalidOperationException) { }
            }
        }
    }
}
