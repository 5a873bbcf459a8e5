using System.Xml.Linq;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace KvmPortal.EndToEnd.Tests;

/// <summary>
/// "What is my VM's IP?": a guest on an isolated network with DHCP gets a lease, and the page shows it, both in
/// the network's lease table and in the VM list, with no arp scripts.
/// </summary>
public sealed class AddressTests
{
    [Fact]
    public async Task AGuestsDhcpLeaseAndAddressShowInThePages()
    {
        var kernel = Environment.GetEnvironmentVariable("KVMPORTAL_DEMO_KERNEL") ?? "/var/lib/libvirt/images/kvmportal-demo/vmlinux";
        var initrd = Environment.GetEnvironmentVariable("KVMPORTAL_DEMO_INITRD") ?? "/var/lib/libvirt/images/kvmportal-demo/initrd.img";
        Assert.True(File.Exists(kernel) && File.Exists(initrd), "the demo guest is missing: deploy/test.sh builds it");
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var network = "kvmportal-test-net-" + suffix;
        var vm = "kvmportal-test-ip-" + suffix;
        const string mac = "52:54:00:5e:00:42";
        var octet = await NetworkTests.FreeThirdOctetAsync();
        var folder = Directory.CreateTempSubdirectory("kvmportal-e2e-").FullName;
        try
        {
            var networkXml = Path.Combine(folder, "network.xml");
            new XElement("network", new XElement("name", network),
                new XElement("ip", new XAttribute("address", $"10.253.{octet}.1"), new XAttribute("prefix", 24),
                    new XElement("dhcp", new XElement("range", new XAttribute("start", $"10.253.{octet}.10"), new XAttribute("end", $"10.253.{octet}.20")))))
                .Save(networkXml);
            await Virsh.RunAsync("net-create", networkXml);

            var domainXml = Path.Combine(folder, "domain.xml");
            new XElement("domain", new XAttribute("type", "qemu"),
                new XElement("name", vm),
                new XElement("memory", new XAttribute("unit", "MiB"), 128),
                new XElement("vcpu", 1),
                new XElement("os", new XElement("type", new XAttribute("arch", "x86_64"), new XAttribute("machine", "pc"), "hvm"),
                    new XElement("kernel", kernel), new XElement("initrd", initrd), new XElement("cmdline", "console=ttyS0 quiet")),
                new XElement("devices",
                    new XElement("interface", new XAttribute("type", "network"),
                        new XElement("mac", new XAttribute("address", mac)),
                        new XElement("source", new XAttribute("network", network)),
                        new XElement("model", new XAttribute("type", "virtio"))),
                    new XElement("serial", new XAttribute("type", "pty")))).Save(domainXml);
            await Virsh.RunAsync("create", domainXml);

            await using var portal = await RunningPortal.StartAsync();
            await using var browser = await BrowserSession.StartAsync();
            var page = browser.Page;
            await DemoVmTests.LogInAsync(page, portal);

            var address = page.Locator($"[data-vm='{vm}'] [data-testid=vm-addresses]");
            await Expect(address).ToContainTextAsync($"10.253.{octet}.", new() { Timeout = 120_000 });

            await page.GotoAsync(portal.BaseUrl + "/networks");
            await page.WaitUntilInteractiveAsync();
            await page.Locator($"tr[data-network='{network}'] a").First.ClickAsync();
            await page.WaitUntilInteractiveAsync();
            await page.GetByRole(AriaRole.Tab, new() { NameRegex = new System.Text.RegularExpressions.Regex("lease", System.Text.RegularExpressions.RegexOptions.IgnoreCase) }).ClickAsync();
            await page.Locator("[data-testid=leases-refresh]").ClickAsync();
            var lease = page.Locator($"[data-testid=network-leases] tr[data-lease='{mac}']");
            await Expect(lease).ToContainTextAsync($"10.253.{octet}.", new() { Timeout = 30_000 });
            await Expect(lease).ToContainTextAsync(vm);
        }
        finally
        {
            foreach (var args in new[] { new[] { "destroy", vm }, ["net-destroy", network] })
            {
                try { await Virsh.RunAsync(args); } catch (InvalidOperationException) { }
            }
            Directory.Delete(folder, recursive: true);
        }
    }
}
