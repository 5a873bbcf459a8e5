using System.Net;
using System.Xml.Linq;
using KvmPortal.Hypervisor.Inventory;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Tests.Support;

/// <summary>Throw-away networks and a DHCP-client guest on the real qemu:///system.</summary>
public static class TestNetworks
{
    public static string NewName() => "kvmportal-test-net-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>
    /// A 10.254.X.0/24 (X in 128..255; the binding tests use 1..127) that no network in the inventory of this
    /// host overlaps.
    /// </summary>
    public static int FreeOctet(InventorySnapshot snapshot, Guid hostId)
    {
        var used = snapshot.Networks.Values.Where(n => n.HostId == hostId && n.Ipv4Cidr is not null)
            .Select(n => IPNetwork.Parse(n.Ipv4Cidr!)).ToList();
        var free = Enumerable.Range(128, 128)
            .Where(o => !used.Any(u => u.Contains(IPAddress.Parse($"10.254.{o}.0")) || IPNetwork.Parse($"10.254.{o}.0/24").Contains(u.BaseAddress)))
            .ToList();
        return free.Count > 0 ? free[Random.Shared.Next(free.Count)] : throw new InvalidOperationException("No free 10.254.X.0/24 for a test network.");
    }

    /// <summary>The demo kernel + busybox initramfs (its init runs udhcpc on eth0) with a virtio NIC on the network.</summary>
    public static string DhcpGuestXml(string name, string network, string mac) => new XElement("domain", new XAttribute("type", "qemu"),
        new XElement("name", name),
        new XElement("memory", new XAttribute("unit", "MiB"), 256),
        new XElement("vcpu", 1),
        new XElement("os",
            new XElement("type", new XAttribute("arch", "x86_64"), new XAttribute("machine", "pc"), "hvm"),
            new XElement("kernel", DemoFile("KVMPORTAL_DEMO_KERNEL", "/var/lib/libvirt/images/kvmportal-demo/vmlinux")),
            new XElement("initrd", DemoFile("KVMPORTAL_DEMO_INITRD", "/var/lib/libvirt/images/kvmportal-demo/initrd.img")),
            new XElement("cmdline", "console=ttyS0 quiet")),
        new XElement("devices",
            new XElement("interface", new XAttribute("type", "network"),
                new XElement("mac", new XAttribute("address", mac)),
                new XElement("source", new XAttribute("network", network)),
                new XElement("model", new XAttribute("type", "virtio"))),
            new XElement("serial", new XAttribute("type", "pty")))).ToString();

    public static string RandomMac() => $"52:54:00:{Random.Shared.Next(256):x2}:{Random.Shared.Next(256):x2}:{Random.Shared.Next(256):x2}";

    /// <summary>Destroys and undefines the network if it exists; for cleanup, by exact name only.</summary>
    public static void Remove(Connection connection, string name)
    {
        try
        {
            using var network = connection.LookupNetworkByName(name);
            if (network.IsActive) network.Destroy();
            if (network.IsPersistent) network.Undefine();
        }
        catch (LibvirtException e) when (e.ErrorCode == ErrorCode.NoNetwork)
        {
        }
    }

    private static string DemoFile(string variable, string fallback)
    {
        var path = Environment.GetEnvironmentVariable(variable) is { Length: > 0 } set ? set : fallback;
        return File.Exists(path) ? path
            : throw new InvalidOperationException($"The demo guest file {path} is missing (set {variable} or run deploy/build-demo-guest.sh).");
    }
}
