using System.Net;
using System.Text.RegularExpressions;

namespace KvmPortal.Hypervisor.Networks;

/// <summary>A network already on the host, as far as validation cares: its name and subnets.</summary>
public sealed record ExistingNetwork(string Name, IReadOnlyList<IPNetwork> Subnets);

/// <summary>What the validator knows about the host. HostInterfaces null means "not known": not checked.</summary>
public sealed record NetworkValidationContext(IReadOnlyList<ExistingNetwork> Networks, IReadOnlySet<string>? HostInterfaces = null)
{
    public static NetworkValidationContext None { get; } = new([]);
}

/// <summary>Checks a <see cref="NetworkSpec"/> and reports every problem at once, in words for the form.</summary>
public static partial class NetworkSpecValidator
{
    public static IReadOnlyList<string> Validate(NetworkSpec spec, NetworkValidationContext context)
    {
        var problems = new List<string>();
        ValidateName(spec.Name, context, problems);
        var libvirtBridge = NetworkSpec.HasLibvirtBridge(spec.Mode);

        switch (spec.Mode)
        {
            case NetworkForwardMode.Bridge:
                if (string.IsNullOrWhiteSpace(spec.BridgeName))
                    problems.Add("Bridge mode needs the name of an existing host bridge (e.g. br0).");
                else if (context.HostInterfaces is { } known && !known.Contains(spec.BridgeName))
                    problems.Add($"The host has no interface or bridge named '{spec.BridgeName}'.");
                break;
            case NetworkForwardMode.Direct:
                if (string.IsNullOrWhiteSpace(spec.HostInterface))
                    problems.Add("A macvtap (direct) network needs the host interface to attach to.");
                else if (context.HostInterfaces is { } known && !known.Contains(spec.HostInterface))
                    problems.Add($"The host has no interface named '{spec.HostInterface}'.");
                break;
            case NetworkForwardMode.Other:
                problems.Add("Choose a forward mode: NAT, routed, isolated, open, bridge or macvtap.");
                break;
        }
        if (!string.IsNullOrWhiteSpace(spec.BridgeName) && !BridgeName().IsMatch(spec.BridgeName))
            problems.Add($"'{spec.BridgeName}' is not a valid bridge name (up to 15 letters, digits, '-', '_', '.').");
        if (!string.IsNullOrWhiteSpace(spec.HostInterface) && !BridgeName().IsMatch(spec.HostInterface))
            problems.Add($"'{spec.HostInterface}' is not a valid interface name.");

        if (!libvirtBridge)
        {
            if (HasText(spec.Ipv4Address) || HasText(spec.Ipv6Address) || spec.DhcpHosts.Count > 0)
                problems.Add($"A {Describe(spec.Mode)} network has no addresses, DHCP or DNS of its own: the guests use the host's network.");
            if (HasText(spec.DnsDomain) || spec.DnsHosts.Count > 0)
                problems.Add($"A {Describe(spec.Mode)} network has no DNS of its own.");
            if (spec.Mtu is not null)
                problems.Add($"The MTU of a {Describe(spec.Mode)} network is that of the host interface.");
            return problems;
        }

        var subnets = new List<IPNetwork>();
        IPNetwork? ipv4 = null;
        if (HasText(spec.Ipv4Address))
        {
            ipv4 = ValidateIpv4(spec, problems);
            if (ipv4 is { } subnet) subnets.Add(subnet);
        }
        else
        {
            if (spec.Mode is NetworkForwardMode.Nat or NetworkForwardMode.Route or NetworkForwardMode.Open)
                problems.Add($"A {Describe(spec.Mode)} network needs an IPv4 address and prefix.");
            if (HasText(spec.DhcpStart) || HasText(spec.DhcpEnd) || spec.DhcpHosts.Count > 0)
                problems.Add("DHCP needs an IPv4 address for the network.");
        }
        if (HasText(spec.Ipv6Address))
        {
            if (ValidateIpv6(spec, problems) is { } subnet) subnets.Add(subnet);
        }
        else if (HasText(spec.Ipv6DhcpStart) || HasText(spec.Ipv6DhcpEnd))
        {
            problems.Add("The IPv6 DHCP range needs an IPv6 address for the network.");
        }

        ValidateDns(spec, problems);
        if (spec.Mtu is { } mtu && mtu is < 68 or > 65535)
            problems.Add("The MTU must be between 68 and 65535.");

        foreach (var subnet in subnets)
        {
            foreach (var other in context.Networks.Where(n => n.Name != spec.Name))
            {
                var clash = other.Subnets.FirstOrDefault(s => IpMath.Overlaps(s, subnet));
                if (clash != default)
                    problems.Add($"The subnet {subnet} overlaps {clash} of network '{other.Name}' on this host.");
            }
        }
        return problems;
    }

    /// <summary>Checks one static DHCP host against a network's subnet and existing entries (for live edits).</summary>
    public static IReadOnlyList<string> ValidateDhcpHost(DhcpHostSpec host, IPNetwork subnet, IPAddress? hostAddress, IEnumerable<DhcpHostSpec> existing)
    {
        var problems = new List<string>();
        ValidateDhcpHosts([.. existing, host], subnet, hostAddress, problems, onlyLast: true);
        return problems;
    }

    /// <summary>Checks a DHCP range against a network's subnet (for live edits).</summary>
    public static IReadOnlyList<string> ValidateDhcpRange(string? start, string? end, IPNetwork subnet, IPAddress? hostAddress)
    {
        var problems = new List<string>();
        ValidateRange(start, end, subnet, hostAddress, "DHCP range", problems);
        return problems;
    }

    private static void ValidateName(string? name, NetworkValidationContext context, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(name))
            problems.Add("Enter a name for the network.");
        else if (!NetworkName().IsMatch(name))
            problems.Add($"'{name}' is not a valid network name: use up to 50 letters, digits, '-', '_' and '.', starting with a letter or digit.");
        else if (context.Networks.Any(n => n.Name == name))
            problems.Add($"A network named '{name}' already exists on this host.");
    }

    private static IPNetwork? ValidateIpv4(NetworkSpec spec, List<string> problems)
    {
        var address = IpMath.ParseIpv4(spec.Ipv4Address);
        if (address is null)
        {
            problems.Add($"'{spec.Ipv4Address}' is not an IPv4 address.");
            return null;
        }
        if (spec.Ipv4Prefix is < 8 or > 30)
        {
            problems.Add("The IPv4 prefix must be between 8 and 30.");
            return null;
        }
        var subnet = IpMath.SubnetOf(address, spec.Ipv4Prefix);
        if (IpMath.IsNetworkOrBroadcast(address, subnet))
            problems.Add($"{address} is the network or broadcast address of {subnet}; the host needs an address inside it.");
        if (HasText(spec.DhcpStart) || HasText(spec.DhcpEnd))
            ValidateRange(spec.DhcpStart, spec.DhcpEnd, subnet, address, "DHCP range", problems);
        ValidateDhcpHosts(spec.DhcpHosts, subnet, address, problems, onlyLast: false);
        return subnet;
    }

    private static IPNetwork? ValidateIpv6(NetworkSpec spec, List<string> problems)
    {
        var address = IpMath.ParseIpv6(spec.Ipv6Address);
        if (address is null)
        {
            problems.Add($"'{spec.Ipv6Address}' is not an IPv6 address.");
            return null;
        }
        if (spec.Ipv6Prefix is < 8 or > 127)
        {
            problems.Add("The IPv6 prefix must be between 8 and 127 (64 is usual).");
            return null;
        }
        var subnet = IpMath.SubnetOf(address, spec.Ipv6Prefix);
        if (HasText(spec.Ipv6DhcpStart) || HasText(spec.Ipv6DhcpEnd))
            ValidateRange(spec.Ipv6DhcpStart, spec.Ipv6DhcpEnd, subnet, address, "IPv6 DHCP range", problems);
        return subnet;
    }

    private static void ValidateRange(string? start, string? end, IPNetwork subnet, IPAddress? hostAddress, string what, List<string> problems)
    {
        var first = IpMath.ParseAny(start);
        var last = IpMath.ParseAny(end);
        if (first is null || last is null)
        {
            problems.Add($"The {what} needs a valid start and end address.");
            return;
        }
        var inside = true;
        foreach (var address in new[] { first, last }.Distinct())
        {
            if (!subnet.Contains(address) || IpMath.IsNetworkOrBroadcast(address, subnet))
            {
                problems.Add($"The {what} address {address} is not a usable address of {subnet}.");
                inside = false;
            }
        }
        if (inside && IpMath.Compare(first, last) > 0)
            problems.Add($"The {what} starts ({first}) after it ends ({last}).");
        else if (inside && hostAddress is not null && IpMath.Compare(first, hostAddress) <= 0 && IpMath.Compare(hostAddress, last) <= 0)
            problems.Add($"The {what} {first} - {last} includes the host's own address {hostAddress}.");
    }

    private static void ValidateDhcpHosts(IReadOnlyList<DhcpHostSpec> hosts, IPNetwork subnet, IPAddress? hostAddress, List<string> problems, bool onlyLast)
    {
        var macs = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var ips = new HashSet<IPAddress>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < hosts.Count; i++)
        {
            var host = hosts[i];
            var report = !onlyLast || i == hosts.Count - 1;
            var mac = host.Mac?.Trim() ?? "";
            if (!Mac().IsMatch(mac))
            {
                if (report) problems.Add($"'{host.Mac}' is not a MAC address (six hex pairs such as 52:54:00:12:34:56).");
            }
            else if ((Convert.ToByte(mac[..2], 16) & 1) != 0)
            {
                if (report) problems.Add($"{mac} is a multicast MAC address; a NIC needs a unicast one (the first byte even).");
            }
            else if (!macs.Add(mac) && report)
            {
                problems.Add($"The MAC address {mac} has more than one static DHCP entry.");
            }

            var ip = IpMath.ParseIpv4(host.Ip);
            if (ip is null)
            {
                if (report) problems.Add($"'{host.Ip}' (for {mac}) is not an IPv4 address.");
            }
            else if (!subnet.Contains(ip) || IpMath.IsNetworkOrBroadcast(ip, subnet))
            {
                if (report) problems.Add($"The static address {ip} (for {mac}) is not a usable address of {subnet}.");
            }
            else if (ip.Equals(hostAddress))
            {
                if (report) problems.Add($"The static address {ip} (for {mac}) is the host's own address.");
            }
            else if (!ips.Add(ip) && report)
            {
                problems.Add($"The address {ip} is given to more than one static DHCP entry.");
            }

            if (HasText(host.Name))
            {
                if (!Hostname().IsMatch(host.Name!))
                {
                    if (report) problems.Add($"'{host.Name}' is not a valid host name.");
                }
                else if (!names.Add(host.Name!) && report)
                {
                    problems.Add($"The host name {host.Name} is given to more than one static DHCP entry.");
                }
            }
        }
    }

    private static void ValidateDns(NetworkSpec spec, List<string> problems)
    {
        if (HasText(spec.DnsDomain) && !Hostname().IsMatch(spec.DnsDomain!))
            problems.Add($"'{spec.DnsDomain}' is not a valid DNS domain.");
        foreach (var host in spec.DnsHosts)
        {
            if (IpMath.ParseAny(host.Ip) is null)
                problems.Add($"'{host.Ip}' (DNS entry) is not an IP address.");
            if (host.Hostnames.Count == 0)
                problems.Add($"The DNS entry for {host.Ip} needs at least one host name.");
            foreach (var name in host.Hostnames.Where(n => !Hostname().IsMatch(n ?? "")))
                problems.Add($"'{name}' (DNS entry for {host.Ip}) is not a valid host name.");
        }
    }

    private static string Describe(NetworkForwardMode mode) => mode switch
    {
        NetworkForwardMode.Nat => "NAT",
        NetworkForwardMode.Route => "routed",
        NetworkForwardMode.Isolated => "isolated",
        NetworkForwardMode.Open => "open",
        NetworkForwardMode.Bridge => "bridged",
        NetworkForwardMode.Direct => "macvtap",
        _ => mode.ToString(),
    };

    private static bool HasText(string? value) => !string.IsNullOrWhiteSpace(value);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,49}$")]
    private static partial Regex NetworkName();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.:-]{0,14}$")]
    private static partial Regex BridgeName();

    [GeneratedRegex("^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$")]
    private static partial Regex Mac();

    [GeneratedRegex(@"^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")]
    private static partial Regex Hostname();
}
