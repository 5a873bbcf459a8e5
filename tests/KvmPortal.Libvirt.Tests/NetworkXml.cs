using System.Net;
using System.Xml.Linq;
using Xunit.Sdk;

namespace KvmPortal.Libvirt.Tests;

/// <summary>Network and guest XML for the network tests, built with XElement.</summary>
internal static class NetworkXml
{
    public const string DefaultKernel = "/var/lib/libvirt/images/kvmportal-demo/vmlinux";
    public const string DefaultInitrd = "/var/lib/libvirt/images/kvmportal-demo/initrd.img";

    /// <summary>An isolated network (no forward) on 10.254.<paramref name="octet"/>.0/24 with a DHCP range.</summary>
    public static string Isolated(string name, int octet) =>
        new XElement("network",
            new XElement("name", name),
            new XElement("ip",
                new XAttribute("address", $"10.254.{octet}.1"),
                new XAttribute("prefix", 24),
                new XElement("dhcp",
                    new XElement("range", new XAttribute("start", $"10.254.{octet}.100"), new XAttribute("end", $"10.254.{octet}.200"))))).ToString();

    public static string DhcpHost(string mac, string ip, string name) =>
        new XElement("host", new XAttribute("mac", mac), new XAttribute("ip", ip), new XAttribute("name", name)).ToString();

    /// <summary>
    /// Picks a /24 in 10.254.<paramref name="first"/>..<paramref name="last"/>.0 that no network of the host uses.
    /// Test projects use disjoint ranges, so they can run side by side.
    /// </summary>
    public static int FreeOctet(Connection connection, int first, int last)
    {
        var used = new HashSet<int>();
        var networks = connection.ListAllNetworks();
        try
        {
            foreach (var network in networks)
            {
                foreach (var ip in XElement.Parse(network.GetXmlDescription()).Elements("ip"))
                {
                    if (IPAddress.TryParse((string?)ip.Attribute("address"), out var address)
                        && address.GetAddressBytes() is [10, 254, var octet, _])
                    {
                        used.Add(octet);
                    }
                }
            }
        }
        finally
        {
            foreach (var network in networks) network.Dispose();
        }
        var free = Enumerable.Range(first, last - first + 1).Where(o => !used.Contains(o)).ToList();
        return free.Count > 0 ? free[Random.Shared.Next(free.Count)] : throw new XunitException("no free 10.254.X.0/24 for a test network");
    }

    /// <summary>
    /// A TCG guest booting the demo kernel and busybox initramfs, whose init runs udhcpc on eth0, with one
    /// virtio NIC on <paramref name="network"/>.
    /// </summary>
    public static string DhcpGuest(string name, string network, string mac)
    {
        var domain = DemoGuest(name);
        domain.Element("devices")!.AddFirst(
            new XElement("interface", new XAttribute("type", "network"),
                new XElement("mac", new XAttribute("address", mac)),
                new XElement("source", new XAttribute("network", network)),
                new XElement("model", new XAttribute("type", "virtio"))));
        return domain.ToString();
    }

    /// <summary>A TCG guest booting the demo kernel and busybox initramfs, with a shell on its serial port (ttyS0).</summary>
    public static XElement DemoGuest(string name) =>
        new("domain",
            new XAttribute("type", "qemu"),
            new XElement("name", name),
            new XElement("memory", new XAttribute("unit", "MiB"), 256),
            new XElement("vcpu", 1),
            new XElement("os",
                new XElement("type", new XAttribute("arch", "x86_64"), new XAttribute("machine", "pc"), "hvm"),
                new XElement("kernel", DemoFile("KVMPORTAL_DEMO_KERNEL", DefaultKernel)),
                new XElement("initrd", DemoFile("KVMPORTAL_DEMO_INITRD", DefaultInitrd)),
                new XElement("cmdline", "console=ttyS0 quiet")),
            new XElement("devices",
                new XElement("serial", new XAttribute("type", "pty"))));

    public static string RandomMac() => $"52:54:00:{Random.Shared.Next(256):x2}:{Random.Shared.Next(256):x2}:{Random.Shared.Next(256):x2}";

    private static string DemoFile(string variable, string fallback)
    {
        string path = Environment.GetEnvironmentVariable(variable) is { Length: > 0 } set ? set : fallback;
        return File.Exists(path)
            ? path
            : throw new XunitException($"The demo guest file {path} is missing (set {variable} or run deploy/build-demo-guest.sh).");
    }
}
