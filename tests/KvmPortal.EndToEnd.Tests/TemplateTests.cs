using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KvmPortal.EndToEnd.Tests;

/// <summary>
/// Templates end to end on a shut-off kvmportal-test-* VM with a small qcow2 volume in its own pool: mark it as a
/// template on its page (the mark is in its metadata on the host), then make a linked VM from it in the new-VM wizard.
/// </summary>
public sealed class TemplateTests
{
    private static readonly LocatorAssertionsToBeVisibleOptions Visible = new() { Timeout = 30_000 };

    [Fact]
    public async Task A_vm_is_marked_as_a_template_and_a_linked_vm_is_made_from_it_in_the_wizard()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var name = "kvmportal-test-tpl-" + suffix;
        var made = "kvmportal-test-fromtpl-" + suffix;
        var pool = "kvmportal-test-pool-" + suffix;
        var folder = "/var/lib/libvirt/images/kvmportal-test-" + suffix;
        var xml = Path.Combine(Path.GetTempPath(), name + ".xml");
        await Virsh.RunAsync("pool-create-as", pool, "dir", "--target", folder, "--build");
        await Virsh.RunAsync("vol-create-as", pool, "disk.qcow2", "1M", "--format", "qcow2");
        await File.WriteAllTextAsync(xml, $"""
            <domain type='qemu'><name>{name}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>
              <os><type arch='x86_64' machine='pc'>hvm</type></os>
              <devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='{folder}/disk.qcow2'/><target dev='vda' bus='virtio'/></disk></devices>
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
            var mark = page.Locator("[data-testid=vm-template-mark]");
            await Expect(mark).ToBeEnabledAsync(new() { Timeout = 30_000 });
            await mark.ClickAsync();
            await Expect(page.Locator("[data-testid=vm-template-notice]")).ToBeVisibleAsync(Visible);
            await Expect(page.Locator("[data-testid=vm-action-start]")).ToBeDisabledAsync();
            Assert.Contains("template", await Virsh.RunAsync("metadata", name, "--uri", "https://kvmportal.dev/xmlns/template/1", "--config"));

            await page.GotoAsync(portal.BaseUrl + "/vms/new");
            await page.WaitUntilInteractiveAsync();
            await page.Locator("input[data-testid=wizard-start-template]").ClickAsync();
            await page.Locator("[data-testid=wizard-template-pick]").First.ClickAsync();
            await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = name }).ClickAsync();
            await Expect(page.Locator("[data-testid=vm-disks]")).ToContainTextAsync($"{folder}/disk.qcow2", new() { Timeout = 30_000 });
            await page.Locator("[data-testid=wizard-template-create]").ClickAsync();
            var nameField = page.Locator("[data-testid=clone-name] input, input[data-testid=clone-name]").First;
            await Expect(nameField).ToHaveValueAsync(name + "-1", new() { Timeout = 30_000 });
            await nameField.FillAsync(made);
            await page.Locator(".mud-dialog .mud-radio", new() { HasText = "Linked" }).ClickAsync();
            await page.Locator("[data-testid=clone-confirm]").ClickAsync();

            // The copy runs as a job: the wizard goes to the job list, whose finished job links to the new VM.
            await Expect(page).ToHaveURLAsync(new Regex("/jobs$"), new() { Timeout = 60_000 });
            var job = page.Locator($"[data-testid=job-row][data-subject='{name} → {made}']");
            await Expect(job).ToHaveAttributeAsync("data-state", "Succeeded", new() { Timeout = 120_000 });
            await job.Locator("[data-testid=job-result]").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/vms/[0-9a-f-]+/[0-9a-f-]+$"), new() { Timeout = 60_000 });
            await Expect(page.Locator($"[data-vm='{made}']")).ToBeVisibleAsync(Visible);
            Assert.Contains($"{folder}/disk.qcow2", await Virsh.RunAsync("vol-dumpxml", "--pool", pool, $"{made}-vda.qcow2"));
            await Expect(page.Locator("[data-testid=vm-template-notice]")).ToHaveCountAsync(0);
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "kvmportal-e2e-template-failure.png") });
            Console.WriteLine(portal.Output);
            throw;
        }
        finally
        {
            foreach (var domain in new[] { made, name })
            {
                try
                {
                    await Virsh.RunAsync("undefine", domain);
                }
                catch (InvalidOperationException)
                {
                }
            }
            try
            {
                await Virsh.RunAsync("pool-destroy", pool);
            }
            catch (InvalidOperationException)
            {
            }
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            File.Delete(xml);
        }
    }
}
