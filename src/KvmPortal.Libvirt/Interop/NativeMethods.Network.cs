using System.Runtime.InteropServices;

namespace KvmPortal.Libvirt.Interop;

/// <summary>
/// libvirt-network.h (networks, DHCP leases, network events), plus the address, host interface
/// (libvirt-interface.h) and node device (libvirt-nodedev.h) calls that answer "which addresses and bridges exist".
/// </summary>
internal static unsafe partial class NativeMethods
{
    [LibraryImport(Library, EntryPoint = "virNetworkFree")]
    internal static partial int virNetworkFree(nint network);

    // nets: out virNetworkPtr*, malloc'd array of owned pointers
    [LibraryImport(Library, EntryPoint = "virConnectListAllNetworks")]
    internal static partial int virConnectListAllNetworks(ConnectionHandle conn, out nint nets, uint flags);

    [LibraryImport(Library, EntryPoint = "virNetworkLookupByName", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial NetworkHandle virNetworkLookupByName(ConnectionHandle conn, string name);

    [LibraryImport(Library, EntryPoint = "virNetworkLookupByUUIDString", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial NetworkHandle virNetworkLookupByUUIDString(ConnectionHandle conn, string uuid);

    [LibraryImport(Library, EntryPoint = "virNetworkDefineXMLFlags", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial NetworkHandle virNetworkDefineXMLFlags(ConnectionHandle conn, string xml, uint flags);

    [LibraryImport(Library, EntryPoint = "virNetworkCreateXMLFlags", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial NetworkHandle virNetworkCreateXMLFlags(ConnectionHandle conn, string xmlDesc, uint flags);

    [LibraryImport(Library, EntryPoint = "virNetworkUndefine")]
    internal static partial int virNetworkUndefine(NetworkHandle network);

    // command is a virNetworkUpdateCommand and section a virNetworkUpdateSection, in this order. libvirt 0.10.2 to
    // 1.2.5 swapped the two on the wire; since 1.2.6 the remote driver swaps them back for old servers itself
    // (VIR_DRV_FEATURE_NETWORK_UPDATE_HAS_CORRECT_ORDER), so callers pass them as the header declares.
    [LibraryImport(Library, EntryPoint = "virNetworkUpdate", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virNetworkUpdate(
        NetworkHandle network, uint command, uint section, int parentIndex, string xml, uint flags);

    [LibraryImport(Library, EntryPoint = "virNetworkCreate")]
    internal static partial int virNetworkCreate(NetworkHandle network);

    [LibraryImport(Library, EntryPoint = "virNetworkDestroy")]
    internal static partial int virNetworkDestroy(NetworkHandle network);

    // borrowed; raw pointer overload used inside event callbacks, which get an unowned virNetworkPtr
    [LibraryImport(Library, EntryPoint = "virNetworkGetName")]
    internal static partial nint virNetworkGetName(nint network);

    // borrowed
    [LibraryImport(Library, EntryPoint = "virNetworkGetName")]
    internal static partial nint virNetworkGetName(NetworkHandle network);

    // buf must hold VIR_UUID_STRING_BUFLEN bytes
    [LibraryImport(Library, EntryPoint = "virNetworkGetUUIDString")]
    internal static partial int virNetworkGetUUIDString(nint network, byte* buf);

    [LibraryImport(Library, EntryPoint = "virNetworkGetUUIDString")]
    internal static partial int virNetworkGetUUIDString(NetworkHandle network, byte* buf);

    // owned
    [LibraryImport(Library, EntryPoint = "virNetworkGetXMLDesc", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial string? virNetworkGetXMLDesc(NetworkHandle network, uint flags);

    // owned
    [LibraryImport(Library, EntryPoint = "virNetworkGetBridgeName", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial string? virNetworkGetBridgeName(NetworkHandle network);

    [LibraryImport(Library, EntryPoint = "virNetworkGetAutostart")]
    internal static partial int virNetworkGetAutostart(NetworkHandle network, out int autostart);

    [LibraryImport(Library, EntryPoint = "virNetworkSetAutostart")]
    internal static partial int virNetworkSetAutostart(NetworkHandle network, int autostart);

    [LibraryImport(Library, EntryPoint = "virNetworkIsActive")]
    internal static partial int virNetworkIsActive(NetworkHandle network);

    [LibraryImport(Library, EntryPoint = "virNetworkIsPersistent")]
    internal static partial int virNetworkIsPersistent(NetworkHandle network);

    // mac may be null (all leases); leases: out virNetworkDHCPLeasePtr*, malloc'd array, each lease freed with
    // virNetworkDHCPLeaseFree, then the array with free()
    [LibraryImport(Library, EntryPoint = "virNetworkGetDHCPLeases", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int virNetworkGetDHCPLeases(NetworkHandle network, string? mac, out nint leases, uint flags);

    [LibraryImport(Library, EntryPoint = "virNetworkDHCPLeaseFree")]
    internal static partial void virNetworkDHCPLeaseFree(VirNetworkDhcpLease* lease);

    // cb: virConnectNetworkEventLifecycleCallback for VIR_NETWORK_EVENT_ID_LIFECYCLE, freecb: virFreeCallback
    [LibraryImport(Library, EntryPoint = "virConnectNetworkEventRegisterAny")]
    internal static partial int virConnectNetworkEventRegisterAny(
        ConnectionHandle conn, nint network, int eventID, nint cb, nint opaque, nint freecb);

    [LibraryImport(Library, EntryPoint = "virConnectNetworkEventDeregisterAny")]
    internal static partial int virConnectNetworkEventDeregisterAny(ConnectionHandle conn, int callbackID);

    // libvirt-domain.h. ifaces: out virDomainInterfacePtr*, malloc'd array, each freed with virDomainInterfaceFree,
    // then the array with free()
    [LibraryImport(Library, EntryPoint = "virDomainInterfaceAddresses")]
    internal static partial int virDomainInterfaceAddresses(DomainHandle domain, out nint ifaces, uint source, uint flags);

    [LibraryImport(Library, EntryPoint = "virDomainInterfaceFree")]
    internal static partial void virDomainInterfaceFree(VirDomainInterface* iface);

    // libvirt-interface.h. ifaces: out virInterfacePtr*, malloc'd array of owned pointers
    [LibraryImport(Library, EntryPoint = "virConnectListAllInterfaces")]
    internal static partial int virConnectListAllInterfaces(ConnectionHandle conn, out nint ifaces, uint flags);

    [LibraryImport(Library, EntryPoint = "virInterfaceFree")]
    internal static partial int virInterfaceFree(nint iface);

    // borrowed
    [LibraryImport(Library, EntryPoint = "virInterfaceGetName")]
    internal static partial nint virInterfaceGetName(InterfaceHandle iface);

    // borrowed
    [LibraryImport(Library, EntryPoint = "virInterfaceGetMACString")]
    internal static partial nint virInterfaceGetMACString(InterfaceHandle iface);

    // owned
    [LibraryImport(Library, EntryPoint = "virInterfaceGetXMLDesc", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial string? virInterfaceGetXMLDesc(InterfaceHandle iface, uint flags);

    [LibraryImport(Library, EntryPoint = "virInterfaceIsActive")]
    internal static partial int virInterfaceIsActive(InterfaceHandle iface);

    // libvirt-nodedev.h. devices: out virNodeDevicePtr*, malloc'd array of owned pointers
    [LibraryImport(Library, EntryPoint = "virConnectListAllNodeDevices")]
    internal static partial int virConnectListAllNodeDevices(ConnectionHandle conn, out nint devices, uint flags);

    [LibraryImport(Library, EntryPoint = "virNodeDeviceFree")]
    internal static partial int virNodeDeviceFree(nint device);

    // borrowed
    [LibraryImport(Library, EntryPoint = "virNodeDeviceGetName")]
    internal static partial nint virNodeDeviceGetName(NodeDeviceHandle device);

    // owned
    [LibraryImport(Library, EntryPoint = "virNodeDeviceGetXMLDesc", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial string? virNodeDeviceGetXMLDesc(NodeDeviceHandle device, uint flags);
}
