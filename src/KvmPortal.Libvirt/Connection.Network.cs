using KvmPortal.Libvirt.Interop;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace KvmPortal.Libvirt;

/// <summary>Networks, network events, host interfaces and node devices of a connection.</summary>
public sealed unsafe partial class Connection
{
    public IReadOnlyList<Network> ListAllNetworks(ListAllNetworksFlags flags = ListAllNetworksFlags.None)
    {
        int count = NativeMethods.virConnectListAllNetworks(Handle, out nint array, (uint)flags);
        if (count < 0)
        {
            throw LibvirtException.FromLastError();
        }
        try
        {
            var networks = new List<Network>(count);
            for (int i = 0; i < count; i++)
            {
                networks.Add(new Network(this, new NetworkHandle(((nint*)array)[i])));
            }
            return networks;
        }
        finally
        {
            NativeMemory.Free((void*)array); // malloc'd by libvirt; NativeMemory.Free is libc free
        }
    }

    /// <summary>Looks a network up by name; a missing one throws with <see cref="ErrorCode.NoNetwork"/>.</summary>
    public Network LookupNetworkByName(string name) => WrapNetwork(NativeMethods.virNetworkLookupByName(Handle, name));

    /// <summary>Looks a network up by UUID; a missing one throws with <see cref="ErrorCode.NoNetwork"/>.</summary>
    public Network LookupNetworkByUuid(Guid uuid) =>
        WrapNetwork(NativeMethods.virNetworkLookupByUUIDString(Handle, uuid.ToString("D")));

    /// <summary>Defines (or redefines) a persistent, inactive network from its XML.</summary>
    public Network DefineNetwork(string xml, DefineNetworkFlags flags = DefineNetworkFlags.None) =>
        WrapNetwork(NativeMethods.virNetworkDefineXMLFlags(Handle, xml, (uint)flags));

    /// <summary>Creates and starts a network that disappears when it stops.</summary>
    public Network CreateTransientNetwork(string xml, DefineNetworkFlags flags = DefineNetworkFlags.None) =>
        WrapNetwork(NativeMethods.virNetworkCreateXMLFlags(Handle, xml, (uint)flags));

    /// <summary>
    /// Writes every network lifecycle event of this connection to <paramref name="writer"/> until the returned
    /// subscription or the connection is disposed. Events come from the libvirt-events thread.
    /// </summary>
    public IDisposable SubscribeNetworkLifecycle(ChannelWriter<NetworkLifecycleEvent> writer)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var subscription = NetworkLifecycleSubscription.Register(this, writer);
            _subscriptions.Add(subscription);
            return subscription;
        }
    }

    /// <summary>
    /// The host's interfaces from the interface driver (virConnectListAllInterfaces). Hosts without one (no
    /// netcf/udev backend) fail with <see cref="ErrorCode.NoSupport"/>; <see cref="ListAllNodeDevices"/> with
    /// <see cref="ListAllNodeDevicesFlags.Net"/> lists their network devices instead.
    /// </summary>
    public IReadOnlyList<HostInterfaceDescription> ListAllInterfaces(ListAllInterfacesFlags flags = ListAllInterfacesFlags.None)
    {
        int count = NativeMethods.virConnectListAllInterfaces(Handle, out nint array, (uint)flags);
        if (count < 0)
        {
            throw LibvirtException.FromLastError();
        }
        var handles = new List<InterfaceHandle>(count);
        try
        {
            for (int i = 0; i < count; i++)
            {
                handles.Add(new InterfaceHandle(((nint*)array)[i]));
            }
            var result = new List<HostInterfaceDescription>(count);
            foreach (var handle in handles)
            {
                nint name = NativeMethods.virInterfaceGetName(handle); // borrowed
                if (name == 0)
                {
                    throw LibvirtException.FromLastError();
                }
                nint mac = NativeMethods.virInterfaceGetMACString(handle); // borrowed, may be null
                int active = NativeMethods.virInterfaceIsActive(handle);
                if (active < 0)
                {
                    throw LibvirtException.FromLastError();
                }
                string xml = NativeMethods.virInterfaceGetXMLDesc(handle, 0) ?? throw LibvirtException.FromLastError();
                result.Add(new HostInterfaceDescription(Marshal.PtrToStringUTF8(name)!, Marshal.PtrToStringUTF8(mac), active == 1, xml));
            }
            return result;
        }
        finally
        {
            foreach (var handle in handles)
            {
                handle.Dispose();
            }
            NativeMemory.Free((void*)array);
        }
    }

    /// <summary>The host's node devices with their XML, filtered by capability.</summary>
    public IReadOnlyList<NodeDeviceDescription> ListAllNodeDevices(ListAllNodeDevicesFlags flags = ListAllNodeDevicesFlags.None)
    {
        int count = NativeMethods.virConnectListAllNodeDevices(Handle, out nint array, (uint)flags);
        if (count < 0)
        {
            throw LibvirtException.FromLastError();
        }
        var handles = new List<NodeDeviceHandle>(count);
        try
        {
            for (int i = 0; i < count; i++)
            {
                handles.Add(new NodeDeviceHandle(((nint*)array)[i]));
            }
            var result = new List<NodeDeviceDescription>(count);
            foreach (var handle in handles)
            {
                nint name = NativeMethods.virNodeDeviceGetName(handle); // borrowed
                if (name == 0)
                {
                    throw LibvirtException.FromLastError();
                }
                string xml = NativeMethods.virNodeDeviceGetXMLDesc(handle, 0) ?? throw LibvirtException.FromLastError();
                result.Add(new NodeDeviceDescription(Marshal.PtrToStringUTF8(name)!, xml));
            }
            return result;
        }
        finally
        {
            foreach (var handle in handles)
            {
                handle.Dispose();
            }
            NativeMemory.Free((void*)array);
        }
    }

    private Network WrapNetwork(NetworkHandle handle)
    {
        if (handle.IsInvalid)
        {
            var error = LibvirtException.FromLastError();
            handle.Dispose();
            throw error;
        }
        return new Network(this, handle);
    }
}
