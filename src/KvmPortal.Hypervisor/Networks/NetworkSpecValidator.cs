using System.Net;
using System.Text.RegularExpressions;
using KvmPortal.Hypervisor.Vms.Create;

namespace KvmPortal.Hypervisor.Networks;

/// <summary>A network already on the host, as far as validation cares: its name and subnets.</summary>
public sealed record ExistingNetwork(string Name, IReadOnlyList<IPNetwork> Subnets);

/// <summary>What the validator knows about the host. HostInterfaces null means "not known": not checked.</summary>
public sealed record NetworkValidationContext(IReadOnlyList<ExistingNetwork> Networks, IReadOnlySet<string>? HostInterfaces = null)
{
    public static NetworkValidationContext None { get; } = new([]);
}

/// <summary>
/// Checks a <see cref="NetworkSpec"/> and reports every problem at once. A problem's field names the part of the form
/// it concerns: Name, Mode, Bridge, HostInterface, Ipv4, Dhcp, DhcpHosts, Ipv6, Dns or Mtu.
/// </summary>
public static partial class NetworkSpecValidator
{
    public static IReadOnlyList<SpecProblem> Validate(NetworkSpec spec, NetworkValidationContext context)
    {
        var problems = new List<SpecProblem>();
        ValidateName(spec.Name, context, problems);
        var libvirtBridge = NetworkSpec.HasLibvirtBridge(spec.Mode);

        switch (spec.Mode)
        {
            case NetworkForwardMode.Bridge:
                if (string.IsNullOrWhiteSpace(spec.BridgeName))
                    problems.Add(Problem("Bridge", "BridgeRequired", "Bridge mode needs the name of an existing host bridge (e.g. br0)."));
                else if (context.HostInterfaces is { } known && !known.Contains(spec.BridgeName))
                    problems.Add(Problem("Bridge", "BridgeUnknown", $"The host has no interface or bridge named '{spec.BridgeName}'.", spec.BridgeName));
                break;
            case NetworkForwardMode.Direct:
                if (string.IsNullOrWhiteSpace(spec.HostInterface))
                    problems.Add(Problem("HostInterface", "InterfaceRequired", "A macvtap (direct) network needs the host interface to attach to."));
                else if (context.HostInterfaces is { } known && !known.Contains(spec.HostInterface))
                    problems.Add(Problem("HostInterface", "InterfaceUnknown", $"The host has no interface named '{spec.HostInterface}'.", spec.HostInterface));
                break;
            case NetworkForwardMode.Other:
                problems.Add(Problem("Mode", "ModeRequired", "Choose a forward mode: NAT, routed, isolated, open, bridge or macvtap."));
                break;
        }
        if (!string.IsNullOrWhiteSpace(spec.BridgeName) && !BridgeName().IsMatch(spec.BridgeName))
            problems.Add(Problem("Bridge", "BridgeInvalid", $"'{spec.BridgeName}' is not a valid bridge name (up to 15 letters, digits, '-', '_', '.').", spec.BridgeName));
        if (!string.IsNullOrWhiteSpace(spec.HostInterface) && !BridgeName().IsMatch(spec.HostInterface))
            problems.Add(Problem("HostInterface", "InterfaceInvalid", $"'{spec.HostInterface}' is not a valid interface name.", spec.HostInterface));

        if (!libvirtBridge)
        {
            if (HasText(spec.Ipv4Address) || HasText(spec.Ipv6Address) || spec.DhcpHosts.Count > 0)
                problems.Add(AboutMode(spec.Mode, "Mode", "NoAddressing", $"A {Describe(spec.Mode)} network has no addresses, DHCP or DNS of its own: the guests use the host's network."));
            if (HasText(spec.DnsDomain) || spec.DnsHosts.Count > 0)
                problems.Add(AboutMode(spec.Mode, "Mode", "NoDns", $"A {Describe(spec.Mode)} network has no DNS of its own."));
            if (spec.Mtu is not null)
                problems.Add(AboutMode(spec.Mode, "Mtu", "NoMtu", $"The MTU of a {Describe(spec.Mode)} network is that of the host interface."));
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
                problems.Add(AboutMode(spec.Mode, "Ipv4", "Ipv4Required", $"A {Describe(spec.Mode)} network needs an IPv4 address and prefix."));
            if (HasText(spec.DhcpStart) || HasText(spec.DhcpEnd) || spec.DhcpHosts.Count > 0)
                problems.Add(Problem("Dhcp", "DhcpNeedsIpv4", "DHCP needs an IPv4 address for the network."));
        }
        if (HasText(spec.Ipv6Address))
        {
            if (ValidateIpv6(spec, problems) is { } subnet) subnets.Add(subnet);
        }
        else if (HasText(spec.Ipv6DhcpStart) || HasText(spec.Ipv6DhcpEnd))
        {
            problems.Add(Problem("Ipv6", "DhcpNeedsIpv6", "The IPv6 DHCP range needs an IPv6 address for the network."));
        }

        ValidateDns(spec, problems);
        if (spec.Mtu is { } mtu && mtu is < 68 or > 65535)
            problems.Add(Problem("Mtu", "MtuRange", "The MTU must be between 68 and 65535.", SpecProblem.Number(68), SpecProblem.Number(65535)));

        foreach (var subnet in subnets)
        {
            foreach (var other in context.Networks.Where(n => n.Name != spec.Name))
            {
                var clash = other.Subnets.FirstOrDefault(s => IpMath.Overlaps(s, subnet));
                if (clash != default)
                    problems.Add(Problem(FamilyField(subnet), "Overlap", $"The subnet {subnet} overlaps {clash} of network '{other.Name}' on this host.",
                        subnet.ToString(), clash.ToString(), other.Name));
            }
        }
        return problems;
    }

    /// <summary>Checks one static DHCP host against a network's subnet and existing entries (for live edits).</summary>
    public static IReadOnlyList<SpecProblem> ValidateDhcpHost(DhcpHostSpec host, IPNetwork subnet, IPAddress? hostAddress, IEnumerable<DhcpHostSpec> existing)
    {
        var problems = new List<SpecProblem>();
        ValidateDhcpHosts([.. existing, host], subnet, hostAddress, problems, onlyLast: true);
        return problems;
    }

    /// <summary>Checks a DHCP range against a network's subnet (for live edits).</summary>
    public static IReadOnlyList<SpecProblem> ValidateDhcpRange(string? start, string? end, IPNetwork subnet, IPAddress? hostAddress)
    {
        var problems = new List<SpecProblem>();
        ValidateRange(start, end, subnet, hostAddress, problems);
        return problems;
    }

    private static void ValidateName(string? name, NetworkValidationContext context, List<SpecProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(name))
            problems.Add(Problem("Name", "NameRequired", "Enter a name for the network."));
        else if (!NetworkName().IsMatch(name))
            problems.Add(Problem("Name", "NameInvalid", $"'{name}' is not a valid network name: use up to 50 letters, digits, '-', '_' and '.', starting with a letter or digit.", name));
        else if (context.Networks.Any(n => n.Name == name))
            problems.Add(Problem("Name", "NameTaken", $"A network named '{name}' already exists on this host.", name));
    }

    private static IPNetwork? ValidateIpv4(NetworkSpec spec, List<SpecProblem> problems)
    {
        var address = IpMath.ParseIpv4(spec.Ipv4Address);
        if (address is null)
        {
            problems.Add(Problem("Ipv4", "Ipv4Invalid", $"'{spec.Ipv4Address}' is not an IPv4 address.", spec.Ipv4Address ?? ""));
            return null;
        }
        if (spec.Ipv4Prefix is < 8 or > 30)
        {
            problems.Add(Problem("Ipv4", "Ipv4Prefix", "The IPv4 prefix must be between 8 and 30.", SpecProblem.Number(8), SpecProblem.Number(30)));
            return null;
        }
        var subnet = IpMath.SubnetOf(address, spec.Ipv4Prefix);
        if (IpMath.IsNetworkOrBroadcast(address, subnet))
            problems.Add(Problem("Ipv4", "HostAddressReserved", $"{address} is the network or broadcast address of {subnet}; the host needs an address inside it.", address.ToString(), subnet.ToString()));
        if (HasText(spec.DhcpStart) || HasText(spec.DhcpEnd))
            ValidateRange(spec.DhcpStart, spec.DhcpEnd, subnet, address, problems);
        ValidateDhcpHosts(spec.DhcpHosts, subnet, address, problems, onlyLast: false);
        return subnet;
    }

    private static IPNetwork? ValidateIpv6(NetworkSpec spec, List<SpecProblem> problems)
    {
        var address = IpMath.ParseIpv6(spec.Ipv6Address);
        if (address is null)
        {
            problems.Add(Problem("Ipv6", "Ipv6Invalid", $"'{spec.Ipv6Address}' is not an IPv6 address.", spec.Ipv6Address ?? ""));
            return null;
        }
        if (spec.Ipv6Prefix is < 8 or > 127)
        {
            problems.Add(Problem("Ipv6", "Ipv6Prefix", "The IPv6 prefix must be between 8 and 127 (64 is usual).", SpecProblem.Number(8), SpecProblem.Number(127)));
            return null;
        }
        var subnet = IpMath.SubnetOf(address, spec.Ipv6Prefix);
        if (HasText(spec.Ipv6DhcpStart) || HasText(spec.Ipv6DhcpEnd))
            ValidateRange(spec.Ipv6DhcpStart, spec.Ipv6DhcpEnd, subnet, address, problems);
        return subnet;
    }

    private static void ValidateRange(string? start, string? end, IPNetwork subnet, IPAddress? hostAddress, List<SpecProblem> problems)
    {
        var ipv6 = subnet.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        var what = ipv6 ? "IPv6 DHCP range" : "DHCP range";
        SpecProblem RangeProblem(string key, string message, params string[] arguments) =>
            Problem(ipv6 ? "Ipv6" : "Dhcp", key, message, arguments) with { Subject = ipv6 ? "Ipv6DhcpRange" : "DhcpRange" };

        var first = IpMath.ParseAny(start);
        var last = IpMath.ParseAny(end);
        if (first is null || last is null)
        {
            problems.Add(RangeProblem("RangeInvalid", $"The {what} needs a valid start and end address."));
            return;
        }
        var inside = true;
        foreach (var address in new[] { first, last }.Distinct())
        {
            if (!subnet.Contains(address) || IpMath.IsNetworkOrBroadcast(address, subnet))
            {
                problems.Add(RangeProblem("RangeOutside", $"The {what} address {address} is not a usable address of {subnet}.", address.ToString(), subnet.ToString()));
                inside = false;
            }
        }
        if (inside && IpMath.Compare(first, last) > 0)
            problems.Add(RangeProblem("RangeReversed", $"The {what} starts ({first}) after it ends ({last}).", first.ToString(), last.ToString()));
        else if (inside && hostAddress is not null && IpMath.Compare(first, hostAddress) <= 0 && IpMath.Compare(hostAddress, last) <= 0)
            problems.Add(RangeProblem("RangeHasHost", $"The {what} {first} - {last} includes the host's own address {hostAddress}.",
                first.ToString(), last.ToString(), hostAddress.ToString()));
    }

    private static void ValidateDhcpHosts(IReadOnlyList<DhcpHostSpec> hosts, IPNetwork subnet, IPAddress? hostAddress, List<SpecProblem> problems, bool onlyLast)
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
                if (report) problems.Add(Problem("DhcpHosts", "MacInvalid", $"'{host.Mac}' is not a MAC address (six hex pairs such as 52:54:00:12:34:56).", host.Mac ?? ""));
            }
            else if ((Convert.ToByte(mac[..2], 16) & 1) != 0)
            {
                if (report) problems.Add(Problem("DhcpHosts", "MacMulticast", $"{mac} is a multicast MAC address; a NIC needs a unicast one (the first byte even).", mac));
            }
            else if (!macs.Add(mac) && report)
            {
                problems.Add(Problem("DhcpHosts", "MacDuplicate", $"The MAC address {mac} has more than one static DHCP entry.", mac));
            }

            var ip = IpMath.ParseIpv4(host.Ip);
            if (ip is null)
            {
                if (report) problems.Add(Problem("DhcpHosts", "StaticIpInvalid", $"'{host.Ip}' (for {mac}) is not an IPv4 address.", host.Ip ?? "", mac));
            }
            else if (!subnet.Contains(ip) || IpMath.IsNetworkOrBroadcast(ip, subnet))
            {
                if (report) problems.Add(Problem("DhcpHosts", "StaticIpOutside", $"The static address {ip} (for {mac}) is not a usable address of {subnet}.", ip.ToString(), mac, subnet.ToString()));
            }
            else if (ip.Equals(hostAddress))
            {
                if (report) problems.Add(Problem("DhcpHosts", "StaticIpIsHost", $"The static address {ip} (for {mac}) is the host's own address.", ip.ToString(), mac));
            }
            else if (!ips.Add(ip) && report)
            {
                problems.Add(Problem("DhcpHosts", "StaticIpDuplicate", $"The address {ip} is given to more than one static DHCP entry.", ip.ToString()));
            }

            if (HasText(host.Name))
            {
                if (!Hostname().IsMatch(host.Name!))
                {
                    if (report) problems.Add(Problem("DhcpHosts", "HostnameInvalid", $"'{host.Name}' is not a valid host name.", host.Name!));
                }
                else if (!names.Add(host.Name!) && report)
                {
                    problems.Add(Problem("DhcpHosts", "HostnameDuplicate", $"The host name {host.Name} is given to more than one static DHCP entry.", host.Name!));
                }
            }
        }
    }

    private static void ValidateDns(NetworkSpec spec, List<SpecProblem> problems)
    {
        if (HasText(spec.DnsDomain) && !Hostname().IsMatch(spec.DnsDomain!))
            problems.Add(Problem("Dns", "DnsDomainInvalid", $"'{spec.DnsDomain}' is not a valid DNS domain.", spec.DnsDomain!));
        foreach (var host in spec.DnsHosts)
        {
            if (IpMath.ParseAny(host.Ip) is null)
                problems.Add(Problem("Dns", "DnsIpInvalid", $"'{host.Ip}' (DNS entry) is not an IP address.", host.Ip ?? ""));
            if (host.Hostnames.Count == 0)
                problems.Add(Problem("Dns", "DnsNoName", $"The DNS entry for {host.Ip} needs at least one host name.", host.Ip ?? ""));
            foreach (var name in host.Hostnames.Where(n => !Hostname().IsMatch(n ?? "")))
                problems.Add(Problem("Dns", "DnsNameInvalid", $"'{name}' (DNS entry for {host.Ip}) is not a valid host name.", name ?? "", host.Ip ?? ""));
        }
    }

    /// <summary>A problem of the network form; keys are prefixed "Network" to stay apart from other validators' keys.</summary>
    private static SpecProblem Problem(string field, string key, string message, params string[] arguments) =>
        SpecProblem.Of(field, "Network" + key, message, arguments);

    /// <summary>A problem about what a forward mode allows; the mode is its subject (ModeNat, ModeRoute, ...).</summary>
    private static SpecProblem AboutMode(NetworkForwardMode mode, string field, string key, string message) =>
        Problem(field, key, message) with { Subject = $"Mode{mode}" };

    private static string FamilyField(IPNetwork subnet) =>
        subnet.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "Ipv6" : "Ipv4";

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
