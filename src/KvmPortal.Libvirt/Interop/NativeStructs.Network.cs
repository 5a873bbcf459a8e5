using System.Runtime.InteropServices;

namespace KvmPortal.Libvirt.Interop;

// Layouts follow the libvirt 9.0 headers on LP64 Linux.

/// <summary>struct _virNetworkDHCPLease (libvirt-network.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VirNetworkDhcpLease
{
    public nint Iface;
    public long ExpiryTime;
    public int Type;
    public nint Mac;
    public nint Iaid;
    public nint IpAddr;
    public uint Prefix;
    public nint Hostname;
    public nint ClientId;
}

/// <summary>struct _virDomainInterfaceIPAddress (libvirt-domain.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VirDomainIpAddress
{
    public int Type;
    public nint Addr;
    public uint Prefix;
}

/// <summary>struct _virDomainInterface (libvirt-domain.h).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct VirDomainInterface
{
    public nint Name;
    public nint HwAddr;
    public uint NAddrs;
    public VirDomainIpAddress* Addrs;
}
