namespace KvmPortal.Libvirt;

// Networks, addresses and host interfaces; values are those of the libvirt 9.0 headers.

/// <summary>virNetworkEventLifecycleType: the event of a network lifecycle callback.</summary>
public enum NetworkEventType
{
    Defined = 0,
    Undefined = 1,
    Started = 2,
    Stopped = 3,
}

/// <summary>virConnectListAllNetworksFlags.</summary>
[Flags]
public enum ListAllNetworksFlags : uint
{
    None = 0,
    Inactive = 1 << 0,
    Active = 1 << 1,
    Persistent = 1 << 2,
    Transient = 1 << 3,
    Autostart = 1 << 4,
    NoAutostart = 1 << 5,
}

/// <summary>virNetworkDefineFlags and virNetworkCreateFlags (both only VALIDATE).</summary>
[Flags]
public enum DefineNetworkFlags : uint
{
    None = 0,
    Validate = 1 << 0,
}

/// <summary>virNetworkXMLFlags.</summary>
[Flags]
public enum NetworkXmlFlags : uint
{
    None = 0,
    Inactive = 1 << 0,
}

/// <summary>virNetworkUpdateCommand.</summary>
public enum NetworkUpdateCommand : uint
{
    Modify = 1,
    Delete = 2,
    AddLast = 3,
    AddFirst = 4,
}

/// <summary>virNetworkUpdateSection: which part of the network XML an update applies to.</summary>
public enum NetworkUpdateSection : uint
{
    Bridge = 1,
    Domain = 2,
    Ip = 3,
    IpDhcpHost = 4,
    IpDhcpRange = 5,
    Forward = 6,
    ForwardInterface = 7,
    ForwardPf = 8,
    PortGroup = 9,
    DnsHost = 10,
    DnsTxt = 11,
    DnsSrv = 12,
}

/// <summary>virNetworkUpdateFlags. <see cref="Current"/> means live if the network is active, config otherwise.</summary>
[Flags]
public enum NetworkUpdateFlags : uint
{
    Current = 0,
    Live = 1 << 0,
    Config = 1 << 1,
}

/// <summary>virIPAddrType.</summary>
public enum IpAddressType
{
    IPv4 = 0,
    IPv6 = 1,
}

/// <summary>virDomainInterfaceAddressesSource: where virDomainInterfaceAddresses looks.</summary>
public enum InterfaceAddressSource : uint
{
    /// <summary>The DHCP leases of libvirt's own networks.</summary>
    Lease = 0,

    /// <summary>The QEMU guest agent, when the guest runs one.</summary>
    Agent = 1,

    /// <summary>The host's ARP table.</summary>
    Arp = 2,
}

/// <summary>virConnectListAllInterfacesFlags.</summary>
[Flags]
public enum ListAllInterfacesFlags : uint
{
    None = 0,
    Inactive = 1 << 0,
    Active = 1 << 1,
}

/// <summary>virConnectListAllNodeDeviceFlags (the capabilities this binding uses).</summary>
[Flags]
public enum ListAllNodeDevicesFlags : uint
{
    None = 0,
    Net = 1 << 4,
}
