using System.Xml.Linq;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Hosts;

/// <summary>Reads what a host can do from one connection: node info plus the capabilities XML.</summary>
internal static class CapabilitiesReader
{
    public static HostCapabilities Read(Connection connection)
    {
        var node = connection.GetNodeInfo();
        var caps = XDocument.Parse(connection.GetCapabilities()).Root!;
        var cpu = caps.Element("host")?.Element("cpu");
        var kvm = caps.Elements("guest")
            .SelectMany(g => g.Elements("arch"))
            .SelectMany(a => a.Elements("domain"))
            .Any(d => (string?)d.Attribute("type") == "kvm");

        return new HostCapabilities(
            Hostname: connection.GetHostname(),
            HypervisorType: connection.HypervisorType,
            CpuModel: (string?)cpu?.Element("model") ?? node.Model,
            Arch: (string?)cpu?.Element("arch") ?? node.Model,
            Cpus: (int)node.Cpus,
            Sockets: (int)(node.Sockets * node.Nodes),
            Cores: (int)node.Cores,
            Threads: (int)node.Threads,
            MhZ: (int)node.MhZ,
            MemoryBytes: node.MemoryKiB * 1024,
            KvmAvailable: kvm,
            LibvirtVersion: FormatVersion(connection.GetLibVersion()),
            HypervisorVersion: FormatVersion(connection.GetHypervisorVersion()));
    }

    /// <summary>libvirt encodes versions as major * 1,000,000 + minor * 1,000 + release.</summary>
    public static string FormatVersion(ulong version) =>
        $"{version / 1_000_000}.{version / 1_000 % 1_000}.{version % 1_000}";
}
