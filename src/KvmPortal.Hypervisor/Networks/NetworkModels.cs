namespace KvmPortal.Hypervisor.Networks;

/// <summary>Identifies a virtual network across hosts: libvirt UUIDs are unique per host only.</summary>
public readonly record struct NetworkKey(Guid HostId, Guid Uuid);

/// <summary>How a network reaches the outside (libvirt's &lt;forward mode&gt;, or none for isolated).</summary>
public enum NetworkForwardMode
{
    /// <summary>A libvirt bridge with NAT to the host's networks (like "default").</summary>
    Nat,

    /// <summary>A libvirt bridge routed to the host's networks, without NAT.</summary>
    Route,

    /// <summary>A libvirt bridge with no way out: guests reach each other and the host only.</summary>
    Isolated,

    /// <summary>A libvirt bridge whose routing and firewall are left to the administrator.</summary>
    Open,

    /// <summary>An existing host bridge (e.g. br0) that guests join directly.</summary>
    Bridge,

    /// <summary>macvtap on a host interface (see <see cref="DirectMode"/>).</summary>
    Direct,

    /// <summary>Anything else libvirt supports (hostdev, ...); shown, not created here.</summary>
    Other,
}

/// <summary>The macvtap mode of a <see cref="NetworkForwardMode.Direct"/> network.</summary>
public enum DirectMode { Bridge, Vepa, Private, Passthrough }

/// <summary>A static DHCP entry: this MAC always gets this IP (and optionally this host name).</summary>
public sealed record DhcpHostSpec(string Mac, string Ip, string? Name = null);

/// <summary>A DNS entry served by the network's dnsmasq: an IP and its host names.</summary>
public sealed record DnsHostSpec(string Ip, IReadOnlyList<string> Hostnames);

/// <summary>What the "new network" form asks for. Validate with <see cref="NetworkSpecValidator"/>.</summary>
public sealed class NetworkSpec
{
    public string Name { get; set; } = "";

    public NetworkForwardMode Mode { get; set; } = NetworkForwardMode.Nat;

    /// <summary>macvtap mode, for <see cref="NetworkForwardMode.Direct"/>.</summary>
    public DirectMode DirectMode { get; set; } = DirectMode.Bridge;

    /// <summary>
    /// For <see cref="NetworkForwardMode.Bridge"/> the existing host bridge to join (required); for the modes
    /// with a libvirt bridge the name libvirt gives its bridge (optional: libvirt picks virbrN).
    /// </summary>
    public string? BridgeName { get; set; }

    /// <summary>For <see cref="NetworkForwardMode.Direct"/> the host interface (required); for NAT/route the
    /// host interface traffic leaves through (optional).</summary>
    public string? HostInterface { get; set; }

    /// <summary>The host's address on the network, e.g. 192.168.100.1.</summary>
    public string? Ipv4Address { get; set; }

    public int Ipv4Prefix { get; set; } = 24;

    public string? DhcpStart { get; set; }

    public string? DhcpEnd { get; set; }

    public List<DhcpHostSpec> DhcpHosts { get; set; } = [];

    public string? Ipv6Address { get; set; }

    public int Ipv6Prefix { get; set; } = 64;

    public string? Ipv6DhcpStart { get; set; }

    public string? Ipv6DhcpEnd { get; set; }

    /// <summary>The DNS domain dnsmasq serves, e.g. lab.example.</summary>
    public string? DnsDomain { get; set; }

    public List<DnsHostSpec> DnsHosts { get; set; } = [];

    public int? Mtu { get; set; }

    public bool Autostart { get; set; }

    public bool StartAfterDefine { get; set; } = true;

    /// <summary>True for the modes where libvirt runs a bridge of its own (with IP, DHCP, DNS).</summary>
    public static bool HasLibvirtBridge(NetworkForwardMode mode) =>
        mode is NetworkForwardMode.Nat or NetworkForwardMode.Route or NetworkForwardMode.Isolated or NetworkForwardMode.Open;
}

/// <summary>One row of the network list, kept live by the inventory.</summary>
public sealed record NetworkInfo(
    Guid HostId,
    Guid Uuid,
    string Name,
    NetworkForwardMode Mode,
    string? Bridge,
    string? Ipv4Cidr,
    string? Ipv6Cidr,
    string? DhcpStart,
    string? DhcpEnd,
    bool Active,
    bool Autostart,
    bool Persistent,
    int AttachedVms)
{
    public NetworkKey Key => new(HostId, Uuid);

    /// <summary>The host address of the IPv4 subnet (e.g. 192.168.122.1), without the prefix.</summary>
    public string? Ipv4Address { get; init; }

    public DirectMode? DirectMode { get; init; }

    /// <summary>The host interface of a direct (macvtap) network, or the forward device of NAT/route.</summary>
    public string? HostInterface { get; init; }

    public IReadOnlyList<DhcpHostSpec> DhcpHosts { get; init; } = ValueList<DhcpHostSpec>.Empty;

    public string? Ipv6DhcpStart { get; init; }

    public string? Ipv6DhcpEnd { get; init; }

    public string? DnsDomain { get; init; }

    public int? Mtu { get; init; }
}

/// <summary>Where a VM's address was learned.</summary>
public enum VmAddressSource { Lease, Arp, Agent }

/// <summary>One IP address of a VM, as shown in the VM list and detail page.</summary>
public sealed record VmAddress(string Address, int Prefix, string? Mac, VmAddressSource Source)
{
    public override string ToString() => $"{Address}/{Prefix}";
}

/// <summary>A DHCP lease of a network, with the VM it belongs to (by MAC) when the host has it.</summary>
public sealed record NetworkLease(
    string Mac,
    string Ip,
    int Prefix,
    bool Ipv6,
    string? Hostname,
    DateTimeOffset Expiry,
    Guid? VmUuid,
    string? VmName);

/// <summary>A host interface or bridge, to pick for a bridged VM NIC or a bridge/direct network.</summary>
public sealed record HostInterfaceInfo(string Name, string Type, string? Mac, bool Active, IReadOnlyList<string> Addresses, IReadOnlyList<string> BridgePorts);
