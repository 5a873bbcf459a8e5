using System.Xml.Linq;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KvmPortal.EndToEnd.Tests;

/// <summary>
/// The VM page's Settings, Devices and XML tabs on a shut-off kvmportal-test-* VM of the test's own (the demo kernel
/// and initrd, a CD-ROM drive, no disk): each change is checked on the host with virsh, and refusals change nothing.
/// </summary>
public sealed class VmEditTabsTests
{
    private static readonly LocatorAssertionsToBeVisibleOptions Visible = new() { Timeout = 30_000 };
    private static readonly LocatorAssertionsToContainTextOptions Soon = new() { Timeout = 30_000 };

    [Fact]
    public Task Settings_change_memory_vcpus_title_and_autostart_in_the_definition() => OnThrowawayVmAsync("settings", async (page, name, _) =>
    {
        await OpenTabAsync(page, "Settings");

        // Above the maximum memory (256 MiB) is refused with the reason, and the definition keeps its 128 MiB.
        await SetNumberAsync(page, "edit-memory", "512");
        await page.Locator("[data-testid=edit-memory-apply]").ClickAsync();
        await Expect(page.Locator("[data-testid=vm-edit-error]")).ToContainTextAsync("256", Soon);
        Assert.Equal("131072", (await VirshWaits.InactiveXmlAsync(name)).Element("currentMemory")?.Value);

        await SetNumberAsync(page, "edit-memory", "192");
        await page.Locator("[data-testid=edit-memory-apply]").ClickAsync();
        await VirshWaits.UntilAsync(async () => (await VirshWaits.InactiveXmlAsync(name)).Element("currentMemory")?.Value == "196608", "192 MiB current memory");
        await Expect(page.Locator("[data-testid=vm-edit-error]")).ToHaveCountAsync(0);

        await SetNumberAsync(page, "edit-vcpus", "3");
        await page.Locator("[data-testid=edit-vcpus-apply]").ClickAsync();
        await VirshWaits.UntilAsync(async () => (string?)(await VirshWaits.InactiveXmlAsync(name)).Element("vcpu")?.Attribute("current") == "3", "3 of 4 vCPUs");

        // Markup characters are stored verbatim, not as XML.
        await page.Field("edit-title").FillAsync("Edited <b>here</b> & there");
        await page.Field("edit-description").FillAsync("from the browser");
        await page.Locator("[data-testid=edit-title-save]").ClickAsync();
        await VirshWaits.UntilAsync(async () => (await VirshWaits.InactiveXmlAsync(name)).Element("title")?.Value == "Edited <b>here</b> & there", "the new title");
        Assert.Equal("from the browser", (await VirshWaits.InactiveXmlAsync(name)).Element("description")?.Value);

        var autostart = page.Locator("input[data-testid=edit-autostart], [data-testid=edit-autostart] input").First;
        await autostart.CheckAsync(new() { Force = true });
        await VirshWaits.UntilAsync(async () => await AutostartAsync(name) == "enable", "autostart on");
        await autostart.UncheckAsync(new() { Force = true });
        await VirshWaits.UntilAsync(async () => await AutostartAsync(name) == "disable", "autostart off");
    });

    [Fact]
    public Task Devices_change_cdrom_media_and_add_and_remove_a_disk_and_a_nic() => OnThrowawayVmAsync("devices", async (page, name, scratch) =>
    {
        await OpenTabAsync(page, "Devices");

        await page.ChooseAsync("edit-media-pool", scratch.PoolName);
        await page.ChooseAsync("edit-media-volume", "media.iso");
        await page.Locator("[data-testid=edit-insert-hdc]").ClickAsync();
        // The dashboard refers to pool volumes by pool and name (<source pool= volume=>), as the table shows them.
        var iso = $"{scratch.PoolName}/media.iso";
        await VirshWaits.UntilAsync(async () => DiskSource(await VirshWaits.InactiveXmlAsync(name), "hdc") == iso, "the ISO in the CD-ROM drive");
        await Expect(page.Locator("tr[data-disk=hdc]")).ToContainTextAsync(iso, Soon);
        await page.Locator("tr[data-disk=hdc] [data-testid=edit-eject]").ClickAsync();
        await VirshWaits.UntilAsync(async () => DiskSource(await VirshWaits.InactiveXmlAsync(name), "hdc") is null, "an empty CD-ROM drive");

        await page.ChooseAsync("edit-disk-pool", scratch.PoolName);
        await page.Field("edit-disk-name").FillAsync("extra.qcow2");
        await SetNumberAsync(page, "edit-disk-size", "1");
        await page.Locator("[data-testid=edit-attach-disk]").ClickAsync();
        var extra = $"{scratch.PoolName}/extra.qcow2";
        await Expect(page.Locator("tr[data-disk=vda]")).ToContainTextAsync(extra, Soon);
        Assert.Equal(extra, DiskSource(await VirshWaits.InactiveXmlAsync(name), "vda"));
        Assert.Contains("extra.qcow2", await scratch.VolumesAsync());

        await page.ChooseAsync("edit-nic-network", scratch.NetworkName);
        await page.Locator("[data-testid=edit-attach-nic]").ClickAsync();
        await VirshWaits.UntilAsync(async () => Nic(await VirshWaits.InactiveXmlAsync(name)) is not null, "a NIC on the test network");
        var mac = (string)Nic(await VirshWaits.InactiveXmlAsync(name))!.Element("mac")!.Attribute("address")!;
        await Expect(page.Locator($"tr[data-mac='{mac}']")).ToBeVisibleAsync(Visible);

        await page.Locator("tr[data-disk=vda] [data-testid=edit-remove-disk]").ClickAsync();
        await Expect(page.Locator("tr[data-disk=vda]")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        Assert.Null(DiskSource(await VirshWaits.InactiveXmlAsync(name), "vda"));
        await page.Locator($"tr[data-mac='{mac}'] [data-testid=edit-remove-nic]").ClickAsync();
        await Expect(page.Locator($"tr[data-mac='{mac}']")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        Assert.Null(Nic(await VirshWaits.InactiveXmlAsync(name)));

        static string? DiskSource(XElement domain, string target) =>
            domain.Descendants("disk").FirstOrDefault(d => (string?)d.Element("target")?.Attribute("dev") == target)?.Element("source") is { } source
                ? (string?)source.Attribute("file") ?? $"{(string?)source.Attribute("pool")}/{(string?)source.Attribute("volume")}"
                : null;
        XElement? Nic(XElement domain) => domain.Descendants("interface")
            .FirstOrDefault(i => (string?)i.Element("source")?.Attribute("network") == scratch.NetworkName);
    });

    [Fact]
    public Task The_xml_tab_highlights_refuses_invalid_xml_in_place_and_saves_a_valid_edit_after_its_diff() => OnThrowawayVmAsync("xml", async (page, name, _) =>
    {
        // The editor's module and its highlighting run under the Content-Security-Policy (no inline script, no eval).
        var blocked = AccountTests.CollectPolicyViolations(page);
        await OpenTabAsync(page, "XML");
        var view = page.Locator("[data-testid=vm-xml]");
        await Expect(view.Locator(".xml-element").First).ToHaveTextAsync("domain", new() { Timeout = 30_000 });
        // The editor's script and the server's tokenizer highlight the same XML the same way.
        var pieces = await page.EvaluateAsync<string[][]>("""
            async () => {
                const editor = await import('/js/xml-editor.js');
                const view = document.querySelector('[data-testid=vm-xml]');
                const copy = document.createElement('pre');
                copy.innerHTML = editor.highlight(view.textContent);
                const pieces = pre => [...pre.querySelectorAll('span')].map(s => s.className + ' ' + s.textContent);
                return [pieces(view), pieces(copy)];
            }
            """);
        Assert.Contains("xml-attr-name type", pieces[0]);
        Assert.Equal(pieces[0], pieces[1]);

        await page.Locator("[data-testid=xml-edit]").ClickAsync();
        var input = page.Locator("[data-testid=xml-editor-input]");
        var highlight = page.Locator("[data-testid=xml-editor-highlight]");
        await Expect(highlight.Locator(".xml-element").First).ToHaveTextAsync("domain", new() { Timeout = 30_000 });
        var original = await input.InputValueAsync();
        Assert.StartsWith("<domain", original);

        // Tab indents at the caret and undo takes it back.
        await input.FocusAsync();
        await page.Keyboard.PressAsync("Control+Home");
        await page.Keyboard.PressAsync("Tab");
        Assert.StartsWith("  <domain", await input.InputValueAsync());
        await Expect(input).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Control+z");
        Assert.Equal(original, await input.InputValueAsync());

        // libvirt's schema refuses an unknown element: its message shows under the editor and the definition stays.
        var before = await Virsh.RunAsync("dumpxml", "--inactive", name);
        await input.FillAsync(original.Replace("<devices>", "<devices>\n    <bogus/>"));
        await Expect(highlight.Locator(".xml-element", new() { HasText = "bogus" })).ToHaveCountAsync(1);
        var save = page.Locator("[data-testid=xml-save]");
        await Expect(save).ToBeEnabledAsync(new() { Timeout = 30_000 });
        await save.ClickAsync();
        await Expect(page.Locator("[data-testid=xml-error]")).ToContainTextAsync("failed to validate against schema", Soon);
        Assert.Equal(before, await Virsh.RunAsync("dumpxml", "--inactive", name));

        await input.FillAsync(original.Replace("<on_reboot>restart</on_reboot>", "<on_reboot>destroy</on_reboot>"));
        await page.Locator("[data-testid=xml-diff-toggle]").ClickAsync();
        var diff = page.Locator("[data-testid=xml-diff]");
        await Expect(diff.Locator(".diff-removed")).ToHaveTextAsync("-   <on_reboot>restart</on_reboot>", new() { Timeout = 30_000 });
        await Expect(diff.Locator(".diff-added")).ToHaveTextAsync("+   <on_reboot>destroy</on_reboot>");
        await Expect(diff.Locator(".diff-added .xml-element").First).ToHaveTextAsync("on_reboot");
        await save.ClickAsync();

        await Expect(page.Locator("[data-testid=xml-edit]")).ToBeVisibleAsync(Visible);
        Assert.Equal("destroy", (await VirshWaits.InactiveXmlAsync(name)).Element("on_reboot")?.Value);
        await Expect(view).ToContainTextAsync("<on_reboot>destroy</on_reboot>", Soon);
        lock (blocked) Assert.Empty(blocked);
    });

    private static async Task OnThrowawayVmAsync(string purpose, Func<IPage, string, ScratchHostResources, Task> test)
    {
        var name = $"kvmportal-test-{purpose}-{Guid.NewGuid().ToString("N")[..8]}";
        await using var scratch = await ScratchHostResources.CreateAsync();
        await scratch.CreateVolumeAsync("media.iso");
        await DefineAsync(name);
        try
        {
            await using var portal = await RunningPortal.StartAsync();
            await using var browser = await BrowserSession.StartAsync();
            var page = browser.Page;
            try
            {
                await DemoVmTests.LogInAsync(page, portal);
                await page.OpenVmPageAsync(portal, name);
                await test(page, name, scratch);
            }
            catch
            {
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), $"kvmportal-e2e-edit-{purpose}-failure.png") });
                Console.WriteLine(portal.Output);
                throw;
            }
        }
        finally
        {
            try
            {
                await Virsh.RunAsync("undefine", name);
            }
            catch (InvalidOperationException)
            {
            }
        }
    }

    private static async Task DefineAsync(string name)
    {
        var kernel = Environment.GetEnvironmentVariable("KVMPORTAL_DEMO_KERNEL") ?? "/var/lib/libvirt/images/kvmportal-demo/vmlinux";
        var initrd = Environment.GetEnvironmentVariable("KVMPORTAL_DEMO_INITRD") ?? "/var/lib/libvirt/images/kvmportal-demo/initrd.img";
        var file = Path.Combine(Path.GetTempPath(), name + ".xml");
        new XElement("domain", new XAttribute("type", "qemu"),
            new XElement("name", name),
            new XElement("memory", new XAttribute("unit", "MiB"), 256),
            new XElement("currentMemory", new XAttribute("unit", "MiB"), 128),
            new XElement("vcpu", new XAttribute("current", 1), 4),
            new XElement("os",
                new XElement("type", new XAttribute("arch", "x86_64"), new XAttribute("machine", "pc"), "hvm"),
                new XElement("kernel", kernel), new XElement("initrd", initrd), new XElement("cmdline", "console=ttyS0")),
            new XElement("on_reboot", "restart"),
            new XElement("devices",
                new XElement("disk", new XAttribute("type", "file"), new XAttribute("device", "cdrom"),
                    new XElement("driver", new XAttribute("name", "qemu"), new XAttribute("type", "raw")),
                    new XElement("target", new XAttribute("dev", "hdc"), new XAttribute("bus", "ide")), new XElement("readonly")),
                new XElement("serial", new XAttribute("type", "pty")))).Save(file);
        try
        {
            await Virsh.RunAsync("define", file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task OpenTabAsync(IPage page, string tab)
    {
        await page.Locator(".mud-tab", new() { HasText = tab }).First.ClickAsync();
    }

    private static async Task SetNumberAsync(IPage page, string testId, string value)
    {
        await page.Field(testId).FillAsync(value);
        await page.Field(testId).BlurAsync();
    }

    private static async Task<string> AutostartAsync(string name) =>
        (await Virsh.RunAsync("dominfo", name)).Split('\n').First(l => l.StartsWith("Autostart:")).Split(':')[1].Trim();
}
