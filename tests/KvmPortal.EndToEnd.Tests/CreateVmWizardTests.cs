using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KvmPortal.EndToEnd.Tests;

/// <summary>
/// The new-VM wizard against the real qemu:///system: direct-kernel-boot guests under emulation are created, run,
/// and are deleted through the UI. virsh cleans up whatever a test leaves behind.
/// </summary>
public sealed class CreateVmWizardTests
{
    private static readonly LocatorAssertionsToHaveAttributeOptions SoonAttribute = new() { Timeout = 60_000 };
    private static readonly LocatorAssertionsToContainTextOptions SoonText = new() { Timeout = 30_000 };

    private static string DemoFile(string variable, string file) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } path ? path : Path.Combine("/var/lib/libvirt/images/kvmportal-demo", file);

    [Fact]
    public async Task A_kernel_boot_vm_is_created_runs_and_is_deleted_through_the_ui()
    {
        var name = "kvmportal-test-" + Guid.NewGuid().ToString("N")[..8];
        await InBrowserAsync(name, "kvmportal-e2e-wizard-failure.png", async (page, portal) =>
        {
            await WalkToDisksAsync(page, name);

            await Expect(page.Locator("[data-testid=wizard-no-disks]")).ToBeVisibleAsync();
            await page.Locator("[data-testid=wizard-next]").ClickAsync();

            // No NIC: the test host's default network may be inactive.
            await page.Locator("[data-testid=wizard-remove-nic]").ClickAsync();
            await page.Locator("[data-testid=wizard-next]").ClickAsync();

            var xml = await ReviewAsync(page, name);
            await Expect(xml).ToContainTextAsync("type=\"qemu\"", SoonText);
            await CreateAsync(page, name);

            await page.GotoAsync(portal.BaseUrl + "/vms");
            await page.WaitUntilInteractiveAsync();
            var row = page.Locator($"tr[data-vm='{name}']");
            await Expect(row.Locator("[data-testid=vm-state]")).ToHaveAttributeAsync("data-state", "running", SoonAttribute);

            await row.Locator("[data-testid=vm-name]").ClickAsync();
            await page.Locator("[data-testid=vm-delete]").ClickAsync();
            await Expect(page.Locator("[data-testid=delete-plan]")).ToContainTextAsync(name, SoonText);
            await page.Locator("[data-testid=delete-confirm]").ClickAsync();

            await ExpectDeletedAsync(page, name);
        });
    }

    [Fact]
    public async Task A_vm_with_a_new_qcow2_disk_and_a_nic_boots_and_is_deleted_with_its_storage()
    {
        var name = "kvmportal-test-" + Guid.NewGuid().ToString("N")[..8];
        var volume = name + ".qcow2";
        await using var scratch = await ScratchHostResources.CreateAsync();
        await InBrowserAsync(name, "kvmportal-e2e-wizard-disk-failure.png", async (page, _) =>
        {
            await WalkToDisksAsync(page, name);

            await page.Locator("[data-testid=wizard-add-disk]").ClickAsync();
            await Expect(page.Locator("[data-testid=wizard-disk]")).ToHaveCountAsync(1);
            await page.ChooseAsync("wizard-disk-pool", scratch.PoolName);
            await page.Locator("[data-testid=wizard-next]").ClickAsync();

            await page.ChooseAsync("wizard-nic-0-network", scratch.NetworkName);
            await page.Locator("[data-testid=wizard-next]").ClickAsync();

            var xml = await ReviewAsync(page, name);
            await Expect(xml).ToContainTextAsync($"network=\"{scratch.NetworkName}\"");
            await Expect(xml.Locator(".xml-element", new() { HasText = "interface" }).First).ToBeVisibleAsync();
            var volumes = page.Locator("[data-testid=wizard-review-volumes]");
            await Expect(volumes).ToContainTextAsync(scratch.PoolName);
            await Expect(volumes).ToContainTextAsync(volume);
            await Expect(volumes).ToContainTextAsync("qcow2");
            await CreateAsync(page, name);

            // It boots: a shell answers on its serial port, through the dashboard's serial console.
            var vmPage = page.Url;
            await page.GotoAsync(vmPage + "/serial");
            await Expect(page.Locator("[data-testid=serial-status]")).ToHaveAttributeAsync("data-state", "connected", SoonAttribute);
            await ExpectShellAnswersAsync(page);

            Assert.Contains(volume, await scratch.VolumesAsync());
            var format = XElement.Parse(await Virsh.RunAsync("vol-dumpxml", "--pool", scratch.PoolName, volume)).Element("target")?.Element("format");
            Assert.Equal("qcow2", (string?)format?.Attribute("type"));
            var domain = await VirshWaits.InactiveXmlAsync(name);
            Assert.Contains(domain.Descendants("interface"), i => (string?)i.Element("source")?.Attribute("network") == scratch.NetworkName);

            await page.GotoAsync(vmPage);
            await page.WaitUntilInteractiveAsync();
            var delete = page.Locator("[data-testid=vm-delete]");
            await Expect(delete).ToBeEnabledAsync(new() { Timeout = 30_000 });
            await delete.ClickAsync();
            await page.Locator("input[data-testid=delete-storage], [data-testid=delete-storage] input").First.CheckAsync(new() { Force = true });
            await Expect(page.Locator("[data-testid=delete-plan]")).ToContainTextAsync(Path.Combine(scratch.PoolPath, volume), SoonText);
            var confirm = page.Locator("[data-testid=delete-confirm]");
            await Expect(confirm).ToBeDisabledAsync();
            await page.Field("delete-name").FillAsync(name);
            await confirm.ClickAsync();

            await ExpectDeletedAsync(page, name);
            Assert.DoesNotContain(volume, await scratch.VolumesAsync());
            Assert.False(File.Exists(Path.Combine(scratch.PoolPath, volume)));
        });
    }

    /// <summary>
    /// Runs <paramref name="test"/> logged in to a fresh dashboard; on failure keeps a screenshot and the app's log,
    /// and always removes the VM called <paramref name="name"/> if the test left it.
    /// </summary>
    private static async Task InBrowserAsync(string name, string screenshot, Func<IPage, RunningPortal, Task> test)
    {
        await using var portal = await RunningPortal.StartAsync();
        await using var browser = await BrowserSession.StartAsync();
        var page = browser.Page;
        try
        {
            await DemoVmTests.LogInAsync(page, portal);
            await test(page, portal);
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), screenshot) });
            Console.WriteLine(portal.Output);
            throw;
        }
        finally
        {
            await RemoveLeftoverAsync(name);
        }
    }

    /// <summary>Name, direct kernel boot from the demo kernel and initrd, emulation with 128 MiB: up to the Disks step.</summary>
    private static async Task WalkToDisksAsync(IPage page, string name)
    {
        await page.Locator("[data-testid=vm-new]").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/vms/new$"));
        // The local host is preselected once the circuit is up and the inventory has it.
        await Expect(page.Locator("[data-testid=wizard-host-resources]")).ToContainTextAsync("CPU", SoonText);

        await page.Field("wizard-name").FillAsync(name);
        await page.Locator("[data-testid=wizard-next]").ClickAsync();

        await page.Locator("input[data-testid=wizard-install-kernel]").CheckAsync(new() { Force = true });
        await page.Field("wizard-kernel").FillAsync(DemoFile("KVMPORTAL_DEMO_KERNEL", "vmlinux"));
        await page.Field("wizard-initrd").FillAsync(DemoFile("KVMPORTAL_DEMO_INITRD", "initrd.img"));
        await page.Field("wizard-kernel-args").FillAsync("console=tty1 console=ttyS0");
        await page.Locator("[data-testid=wizard-next]").ClickAsync();

        await page.Locator("input[data-testid=wizard-tcg]").CheckAsync(new() { Force = true });
        await page.Field("wizard-memory").FillAsync("128");
        await page.Field("wizard-memory").BlurAsync();
        await page.Locator("[data-testid=wizard-next]").ClickAsync();
    }

    /// <summary>From the Options step (starting after creation) to the Review step; returns the domain XML shown there.</summary>
    private static async Task<ILocator> ReviewAsync(IPage page, string name)
    {
        await Expect(page.Locator("input[data-testid=wizard-start]")).ToBeCheckedAsync();
        await page.Locator("[data-testid=wizard-next]").ClickAsync();

        var xml = page.Locator("[data-testid=wizard-review-xml]");
        await Expect(xml).ToContainTextAsync($"<name>{name}</name>", SoonText);
        await Expect(xml).ToContainTextAsync("<memory unit=\"KiB\">131072</memory>", SoonText);
        return xml;
    }

    /// <summary>Create on the Review step, and wait for the running VM's page.</summary>
    private static async Task CreateAsync(IPage page, string name)
    {
        await page.Locator("[data-testid=wizard-create]").ClickAsync();

        // A VM with new volumes is created by a job: the wizard shows the job list, whose finished job links to the VM.
        await Expect(page).ToHaveURLAsync(new Regex(@"(/vms/[0-9a-f-]{36}/[0-9a-f-]{36}|/jobs)$"), new() { Timeout = 60_000 });
        if (page.Url.EndsWith("/jobs", StringComparison.Ordinal))
        {
            var job = page.Locator($"[data-testid=job-row][data-kind='vm.create'][data-subject='{name}']");
            await Expect(job).ToHaveAttributeAsync("data-state", "Succeeded", new() { Timeout = 120_000 });
            await job.Locator("[data-testid=job-result]").ClickAsync();
        }
        await Expect(page).ToHaveURLAsync(new Regex(@"/vms/[0-9a-f-]{36}/[0-9a-f-]{36}$"), new() { Timeout = 60_000 });
        await Expect(page.Locator($"[data-vm='{name}'] [data-testid=vm-state]").First).ToHaveAttributeAsync("data-state", "running", SoonAttribute);
        Assert.Equal("running", await Virsh.RunAsync("domstate", name));
    }

    /// <summary>
    /// Types a command whose output exists only if a shell ran it. The guest may still be booting when the console
    /// connects, so an unanswered command is typed again (each try waits for the answer, not for a time).
    /// </summary>
    private static async Task ExpectShellAnswersAsync(IPage page)
    {
        var rows = page.Locator("[data-testid=serial-terminal] .xterm-rows");
        for (var attempt = 1; ; attempt++)
        {
            var n = Random.Shared.Next(1000, 1_000_000);
            await page.Locator("[data-testid=serial-terminal]").ClickAsync();
            await page.Keyboard.TypeAsync($"echo kvmportal-$(({n}+1))");
            await page.Keyboard.PressAsync("Enter");
            try
            {
                await Expect(rows).ToContainTextAsync($"kvmportal-{n + 1}", new() { Timeout = 15_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 6)
            {
            }
        }
    }

    private static async Task ExpectDeletedAsync(IPage page, string name)
    {
        await Expect(page).ToHaveURLAsync(new Regex("/vms$"), new() { Timeout = 60_000 });
        await Expect(page.Locator($"tr[data-vm='{name}']")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        var list = await Virsh.RunAsync("list", "--all", "--name");
        Assert.DoesNotContain(name, list.Split('\n').Select(l => l.Trim()));
    }

    private static async Task RemoveLeftoverAsync(string name)
    {
        var all = await Virsh.RunAsync("list", "--all", "--name");
        if (!all.Split('\n').Select(l => l.Trim()).Contains(name))
            return;
        try { await Virsh.RunAsync("destroy", name); } catch (InvalidOperationException) { }
        try { await Virsh.RunAsync("undefine", name, "--nvram", "--managed-save", "--snapshots-metadata"); } catch (InvalidOperationException) { }
    }
}
