using System.Xml.Linq;
using KvmPortal.Libvirt;

namespace KvmPortal.Hypervisor.Networks;

/// <summary>
/// The host's interfaces from libvirt's interface driver, or, where it is absent (no netcf/udev backend:
/// NoSupport), from the node devices with the net capability.
/// </summary>
internal static class HostInterfaceReader
{
    public static IReadOnlyList<HostInterfaceInfo> Read(Connection connection)
    {
        IReadOnlyList<HostInterfaceDescription> interfaces;
        try
        {
            interfaces = connection.ListAllInterfaces();
        }
        catch (LibvirtException e) when (e.ErrorCode is ErrorCode.NoSupport or ErrorCode.OperationUnsupported)
        {
            return FromNodeDevices(connection);
        }
        return interfaces.Select(FromInterface).OrderBy(i => i.Name, StringComparer.Ordinal).ToList();
    }

    internal static HostInterfaceInfo FromInterface(HostInterfaceDescription description)
    {
        var xml = XElement.Parse(description.Xml);
        var addresses = xml.Elements("protocol").SelectMany(p => p.Elements("ip"))
            .Select(ip => $"{(string?)ip.Attribute("address")}/{(string?)ip.Attribute("prefix")}")
            .ToList();
        var ports = xml.Element("bridge")?.Elements("interface").Select(i => (string?)i.Attribute("name")).OfType<string>().ToList() ?? [];
        return new HostInterfaceInfo(description.Name, (string?)xml.Attribute("type") ?? "ethernet", description.Mac,
            description.IsActive, new ValueList<string>(addresses), new ValueList<string>(ports));
    }

    internal static IReadOnlyList<HostInterfaceInfo> FromNodeDevices(Connection connection) =>
        connection.ListAllNodeDevices(ListAllNodeDevicesFlags.Net)
            .Select(d => XElement.Parse(d.Xml).Elements("capability").FirstOrDefault(c => (string?)c.Attribute("type") == "net"))
            .OfType<XElement>()
            .Select(net =>
            {
                var name = (string?)net.Element("interface") ?? "";
                var state = (string?)net.Element("link")?.Attribute("state");
                // The node device XML does not say "bridge"; sysfs does, on the local host.
                var type = !name.Contains('/') && Directory.Exists($"/sys/class/net/{name}/bridge") && connection.Uri.StartsWith("qemu:///", StringComparison.Ordinal)
                    ? "bridge" : "ethernet";
                return new HostInterfaceInfo(name, type, (string?)net.Element("address"), state is null or "up" or "unknown",
                    ValueList<string>.Empty, ValueList<string>.Empty);
            })
            .Where(i => i.Name.Length > 0)
            .OrderBy(i => i.Name, StringComparer.Ordinal)
            .ToList();
}
