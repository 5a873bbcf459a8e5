using KvmPortal.Libvirt.Interop;
using System.Runtime.InteropServices;

namespace KvmPortal.Libvirt;

/// <summary>A virtual network (virNetworkPtr). Keeps the connection it came from.</summary>
public sealed unsafe class Network : IDisposable
{
    private readonly NetworkHandle _handle;

    internal Network(Connection connection, NetworkHandle handle)
    {
        Connection = connection;
        _handle = handle;
    }

    public Connection Connection { get; }

    public string Name
    {
        get
        {
            nint name = NativeMethods.virNetworkGetName(_handle); // borrowed
            return name == 0 ? throw LibvirtException.FromLastError() : Marshal.PtrToStringUTF8(name)!;
        }
    }

    public Guid Uuid
    {
        get
        {
            byte* buffer = stackalloc byte[DomainIdentity.UuidStringLength];
            if (NativeMethods.virNetworkGetUUIDString(_handle, buffer) < 0)
            {
                throw LibvirtException.FromLastError();
            }
            return DomainIdentity.ParseUuid(buffer);
        }
    }

    public bool IsActive => Check(NativeMethods.virNetworkIsActive(_handle)) == 1;

    public bool IsPersistent => Check(NativeMethods.virNetworkIsPersistent(_handle)) == 1;

    /// <summary>The network's XML; <see cref="NetworkXmlFlags.Inactive"/> gives the persistent definition.</summary>
    public string GetXmlDescription(NetworkXmlFlags flags = NetworkXmlFlags.None) =>
        NativeMethods.virNetworkGetXMLDesc(_handle, (uint)flags) ?? throw LibvirtException.FromLastError();

    /// <summary>The host bridge the network uses (e.g. virbr0); fails for networks without one (macvtap).</summary>
    public string GetBridgeName() =>
        NativeMethods.virNetworkGetBridgeName(_handle) ?? throw LibvirtException.FromLastError();

    public bool GetAutostart()
    {
        Check(NativeMethods.virNetworkGetAutostart(_handle, out int autostart));
        return autostart != 0;
    }

    public void SetAutostart(bool enabled) => Check(NativeMethods.virNetworkSetAutostart(_handle, enabled ? 1 : 0));

    /// <summary>Starts a defined network.</summary>
    public void Create() => Check(NativeMethods.virNetworkCreate(_handle));

    /// <summary>Stops the network; a transient one disappears.</summary>
    public void Destroy() => Check(NativeMethods.virNetworkDestroy(_handle));

    /// <summary>Removes the persistent definition; an active network becomes transient.</summary>
    public void Undefine() => Check(NativeMethods.virNetworkUndefine(_handle));

    /// <summary>
    /// Changes one section of the definition (virNetworkUpdate), e.g. adds a DHCP host without restarting.
    /// <paramref name="parentIndex"/> picks the &lt;ip&gt; element for IP sub-sections, -1 for the first that fits.
    /// </summary>
    public void Update(NetworkUpdateCommand command, NetworkUpdateSection section, int parentIndex, string xml,
        NetworkUpdateFlags flags = NetworkUpdateFlags.Current) =>
        Check(NativeMethods.virNetworkUpdate(_handle, (uint)command, (uint)section, parentIndex, xml, (uint)flags));

    /// <summary>The network's DHCP leases, optionally only those of one MAC address.</summary>
    public IReadOnlyList<DhcpLease> GetDhcpLeases(string? mac = null)
    {
        int count = NativeMethods.virNetworkGetDHCPLeases(_handle, mac, out nint leases, 0);
        if (count < 0)
        {
            throw LibvirtException.FromLastError();
        }
        var result = new List<DhcpLease>(count);
        try
        {
            for (int i = 0; i < count; i++)
            {
                VirNetworkDhcpLease* lease = ((VirNetworkDhcpLease**)leases)[i];
                result.Add(new DhcpLease(
                    Marshal.PtrToStringUTF8(lease->Iface) ?? "",
                    DateTimeOffset.FromUnixTimeSeconds(lease->ExpiryTime),
                    (IpAddressType)lease->Type,
                    Marshal.PtrToStringUTF8(lease->Mac),
                    Marshal.PtrToStringUTF8(lease->Iaid),
                    Marshal.PtrToStringUTF8(lease->IpAddr) ?? "",
                    lease->Prefix,
                    Marshal.PtrToStringUTF8(lease->Hostname),
                    Marshal.PtrToStringUTF8(lease->ClientId)));
            }
            return result;
        }
        finally
        {
            if (leases != 0)
            {
                for (int i = 0; i < count; i++)
                {
                    NativeMethods.virNetworkDHCPLeaseFree(((VirNetworkDhcpLease**)leases)[i]);
                }
                NativeMemory.Free((void*)leases); // malloc'd by libvirt; NativeMemory.Free is libc free
            }
        }
    }

    /// <summary>Releases this reference to the network; the network itself is unaffected.</summary>
    public void Dispose() => _handle.Dispose();

    private static int Check(int result) => result < 0 ? throw LibvirtException.FromLastError() : result;
}
