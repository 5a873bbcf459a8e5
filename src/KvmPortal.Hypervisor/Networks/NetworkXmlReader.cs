using System.Net;
using System.Xml.Linq;

namespace KvmPortal.Hypervisor.Networks;

/// <summary>Reads network XML into list rows and subnets.</summary>
public static class NetworkXmlReader
{
    /// <summary>A list row from the network's XML and what libvirt says about its state.</summary>
    public static NetworkInfo Read(Guid hostId, string xml, bool active, bool autostart, bool persistent, int attachedVms)
    {
        var network = XElement.Parse(xml);
        var forward = network.Element("forward");
        var (mode, directMode) = ReadMode(forward, network.Element("bridge"));
        var ipv4 = network.Elements("ip").FirstOrDefault(ip => !IsIpv6(ip));
        var ipv6 = network.Elements("ip").FirstOrDefault(IsIpv6);
        var range4 = ipv4?.Element("dhcp")?.Element("range");
        var range6 = ipv6?.Element("dhcp")?.Element("range");

        return new NetworkInfo(
            HostId: hostId,
            Uuid: Guid.Parse((string?)network.Element("uuid") ?? throw new FormatException("The network XML has no UUID.")),
            Name: (string?)network.Element("name") ?? "",
            Mode: mode,
            Bridge: (string?)network.Element("bridge")?.Attribute("name"),
            Ipv4Cidr: Cidr(ipv4),
            Ipv6Cidr: Cidr(ipv6),
            DhcpStart: (string?)range4?.Attribute("start"),
            DhcpEnd: (string?)range4?.Attribute("end"),
            Active: active,
            Autostart: autostart,
            Persistent: persistent,
            AttachedVms: attachedVms)
        {
            Ipv4Address = (string?)ipv4?.Attribute("address"),
            DirectMode = directMode,
            HostInterface = mode == NetworkForwardMode.Direct
                ? (string?)forward?.Element("interface")?.Attribute("dev")
                : (string?)forward?.Attribute("dev"),
            DhcpHosts = new ValueList<DhcpHostSpec>(ipv4?.Element("dhcp")?.Elements("host")
                .Where(h => h.Attribute("mac") is not null)
                .Select(h => new DhcpHostSpec((string)h.Attribute("mac")!, (string?)h.Attribute("ip") ?? "", (string?)h.Attribute("name"))) ?? []),
            Ipv6DhcpStart = (string?)range6?.Attribute("start"),
            Ipv6DhcpEnd = (string?)range6?.Attribute("end"),
            DnsDomain = (string?)network.Element("domain")?.Attribute("name"),
            Mtu = (int?)network.Element("mtu")?.Attribute("size"),
        };
    }

    /// <summary>The subnets of every &lt;ip&gt; of a network, for overlap checks.</summary>
    public static IReadOnlyList<IPNetwork> Subnets(string xml) =>
        XElement.Parse(xml).Elements("ip").Select(Subnet).OfType<IPNetwork>().ToList();

    internal static IPNetwork? Subnet(XElement? ip)
    {
        if (ip is null || IpMath.ParseAny((string?)ip.Attribute("address")) is not { } address) return null;
        var prefix = (int?)ip.Attribute("prefix") ?? IpMath.PrefixOfNetmask((string?)ip.Attribute("netmask"))
            ?? (IsIpv6(ip) ? 64 : DefaultIpv4Prefix(address));
        return IpMath.SubnetOf(address, prefix);
    }

    private static (NetworkForwardMode, DirectMode?) ReadMode(XElement? forward, XElement? bridge)
    {
        if (forward is null) return (NetworkForwardMode.Isolated, null);
        var mode = (string?)forward.Attribute("mode") ?? "nat"; // libvirt's default forward mode
        return mode switch
        {
            "nat" => (NetworkForwardMode.Nat, null),
            "route" => (NetworkForwardMode.Route, null),
            "open" => (NetworkForwardMode.Open, null),
            "bridge" when bridge is null && forward.Element("interface") is not null => (NetworkForwardMode.Direct, DirectMode.Bridge),
            "bridge" => (NetworkForwardMode.Bridge, null),
            "vepa" => (NetworkForwardMode.Direct, DirectMode.Vepa),
            "private" => (NetworkForwardMode.Direct, DirectMode.Private),
            "passthrough" => (NetworkForwardMode.Direct, DirectMode.Passthrough),
            _ => (NetworkForwardMode.Other, null),
        };
    }

    private static string? Cidr(XElement? ip) => Subnet(ip) is { } subnet ? subnet.ToString() : null;

    private static bool IsIpv6(XElement ip) =>
        (string?)ip.Attribute("family") == "ipv6" || ((string?)ip.Attribute("address"))?.Contains(':') == true;

    /// <summary>Classful default, as libvirt assumes when an IPv4 &lt;ip&gt; has neither prefix nor netmask.</summary>
    private static int DefaultIpv4Prefix(IPAddress address) => address.GetAddressBytes()[0] switch
    {
        < 128 => 8,
        < 192 => 16,
        _ => 24,
    };
}
