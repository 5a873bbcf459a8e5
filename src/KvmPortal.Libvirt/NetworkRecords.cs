namespace KvmPortal.Libvirt;

/// <summary>A VIR_NETWORK_EVENT_ID_LIFECYCLE event. Detail is always 0 in libvirt 9.0.</summary>
public sealed record NetworkLifecycleEvent(Guid Uuid, string Name, NetworkEventType Type, int Detail);

/// <summary>virNetworkDHCPLease: one lease handed out by a libvirt network's dnsmasq.</summary>
public sealed record DhcpLease(
    string Interface,
    DateTimeOffset Expiry,
    IpAddressType Type,
    string? Mac,
    string? Iaid,
    string IpAddress,
    uint Prefix,
    string? Hostname,
    string? ClientId);

/// <summary>virDomainIPAddress.</summary>
public sealed record DomainIpAddress(IpAddressType Type, string Address, uint Prefix);

/// <summary>virDomainInterface: one guest interface and its addresses as one source sees them.</summary>
public sealed record DomainInterfaceAddresses(string Name, string? HardwareAddress, IReadOnlyList<DomainIpAddress> Addresses);

/// <summary>A host interface (virInterfacePtr) as the interface driver describes it.</summary>
public sealed record HostInterfaceDescription(string Name, string? Mac, bool IsActive, string Xml);

/// <summary>A node device (virNodeDevicePtr): its name and XML.</summary>
public sealed record NodeDeviceDescription(string Name, string Xml);
