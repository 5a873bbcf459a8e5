using System.Xml.Linq;

namespace KvmPortal.Hypervisor.Networks;

/// <summary>Turns a <see cref="NetworkSpec"/> into libvirt network XML (formatnetwork.html) with XElement.</summary>
public static class NetworkXmlBuilder
{
    public static string Build(NetworkSpec spec) => BuildElement(spec).ToString();

    public static XElement BuildElement(NetworkSpec spec)
    {
        var network = new XElement("network", new XElement("name", spec.Name.Trim()));
        switch (spec.Mode)
        {
            case NetworkForwardMode.Bridge:
                network.Add(new XElement("forward", new XAttribute("mode", "bridge")));
                network.Add(new XElement("bridge", new XAttribute("name", spec.BridgeName?.Trim() ?? "")));
                return network;
            case NetworkForwardMode.Direct:
                network.Add(new XElement("forward", new XAttribute("mode", DirectModeName(spec.DirectMode)),
                    new XElement("interface", new XAttribute("dev", spec.HostInterface?.Trim() ?? ""))));
                return network;
            case NetworkForwardMode.Nat or NetworkForwardMode.Route or NetworkForwardMode.Open:
                var forward = new XElement("forward", new XAttribute("mode", spec.Mode.ToString().ToLowerInvariant()));
                if (!string.IsNullOrWhiteSpace(spec.HostInterface) && spec.Mode != NetworkForwardMode.Open)
                    forward.Add(new XAttribute("dev", spec.HostInterface.Trim()));
                network.Add(forward);
                break;
        }

        var bridge = new XElement("bridge", new XAttribute("stp", "on"), new XAttribute("delay", 0));
        if (!string.IsNullOrWhiteSpace(spec.BridgeName)) bridge.AddFirst(new XAttribute("name", spec.BridgeName.Trim()));
        network.Add(bridge);
        if (spec.Mtu is { } mtu) network.Add(new XElement("mtu", new XAttribute("size", mtu)));
        if (!string.IsNullOrWhiteSpace(spec.DnsDomain))
            network.Add(new XElement("domain", new XAttribute("name", spec.DnsDomain.Trim()), new XAttribute("localOnly", "yes")));
        if (spec.DnsHosts.Count > 0)
        {
            network.Add(new XElement("dns", spec.DnsHosts.Select(h => new XElement("host", new XAttribute("ip", h.Ip.Trim()),
                h.Hostnames.Select(n => new XElement("hostname", n.Trim()))))));
        }

        if (!string.IsNullOrWhiteSpace(spec.Ipv4Address))
        {
            var ip = new XElement("ip", new XAttribute("address", spec.Ipv4Address.Trim()), new XAttribute("prefix", spec.Ipv4Prefix));
            var dhcp = new XElement("dhcp");
            if (!string.IsNullOrWhiteSpace(spec.DhcpStart)) dhcp.Add(DhcpRange(spec.DhcpStart, spec.DhcpEnd ?? ""));
            dhcp.Add(spec.DhcpHosts.Select(DhcpHost));
            if (dhcp.HasElements) ip.Add(dhcp);
            network.Add(ip);
        }
        if (!string.IsNullOrWhiteSpace(spec.Ipv6Address))
        {
            var ip = new XElement("ip", new XAttribute("family", "ipv6"),
                new XAttribute("address", spec.Ipv6Address.Trim()), new XAttribute("prefix", spec.Ipv6Prefix));
            if (!string.IsNullOrWhiteSpace(spec.Ipv6DhcpStart))
                ip.Add(new XElement("dhcp", DhcpRange(spec.Ipv6DhcpStart, spec.Ipv6DhcpEnd ?? "")));
            network.Add(ip);
        }
        return network;
    }

    /// <summary>The &lt;host&gt; element of a static DHCP entry, also the XML of a live virNetworkUpdate.</summary>
    public static XElement DhcpHost(DhcpHostSpec host)
    {
        var element = new XElement("host", new XAttribute("mac", host.Mac.Trim().ToLowerInvariant()), new XAttribute("ip", host.Ip.Trim()));
        if (!string.IsNullOrWhiteSpace(host.Name)) element.Add(new XAttribute("name", host.Name.Trim()));
        return element;
    }

    public static XElement DhcpRange(string start, string end) =>
        new("range", new XAttribute("start", start.Trim()), new XAttribute("end", end.Trim()));

    internal static string DirectModeName(DirectMode mode) => mode.ToString().ToLowerInvariant();
}
