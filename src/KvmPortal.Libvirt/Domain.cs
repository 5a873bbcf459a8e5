using KvmPortal.Libvirt.Interop;
using System.Runtime.InteropServices;

namespace KvmPortal.Libvirt;

/// <summary>A domain (virDomainPtr). Keeps the connection it came from.</summary>
public sealed unsafe partial class Domain : IDisposable
{
    private readonly DomainHandle _handle;

    internal Domain(Connection connection, DomainHandle handle)
    {
        Connection = connection;
        _handle = handle;
    }

    public Connection Connection { get; }

    public string Name
    {
        get
        {
            nint name = NativeMethods.virDomainGetName(_handle); // borrowed
            return name == 0 ? throw LibvirtException.FromLastError() : Marshal.PtrToStringUTF8(name)!;
        }
    }

    public Guid Uuid
    {
        get
        {
            byte* buffer = stackalloc byte[DomainIdentity.UuidStringLength];
            if (NativeMethods.virDomainGetUUIDString(_handle, buffer) < 0)
            {
                throw LibvirtException.FromLastError();
            }
            return DomainIdentity.ParseUuid(buffer);
        }
    }

    /// <summary>The hypervisor ID of a running domain, -1 when it is not running.</summary>
    public int Id => (int)NativeMethods.virDomainGetID(_handle);

    public bool IsActive => Check(NativeMethods.virDomainIsActive(_handle)) == 1;

    public bool IsPersistent => Check(NativeMethods.virDomainIsPersistent(_handle)) == 1;

    public DomainInfo GetInfo()
    {
        if (NativeMethods.virDomainGetInfo(_handle, out VirDomainInfo info) < 0)
        {
            throw LibvirtException.FromLastError();
        }
        return new DomainInfo((DomainState)info.State, info.MaxMem, info.Memory, info.NrVirtCpu, info.CpuTime);
    }

    /// <summary>The state and its per-state reason (virDomain*Reason).</summary>
    public (DomainState State, int Reason) GetState()
    {
        Check(NativeMethods.virDomainGetState(_handle, out int state, out int reason, 0));
        return ((DomainState)state, reason);
    }

    public string GetXmlDescription(DomainXmlFlags flags = DomainXmlFlags.None) =>
        NativeMethods.virDomainGetXMLDesc(_handle, (uint)flags) ?? throw LibvirtException.FromLastError();

    public bool GetAutostart()
    {
        Check(NativeMethods.virDomainGetAutostart(_handle, out int autostart));
        return autostart != 0;
    }

    public void SetAutostart(bool enabled) => Check(NativeMethods.virDomainSetAutostart(_handle, enabled ? 1 : 0));

    /// <summary>
    /// The guest's interfaces and their IP addresses as <paramref name="source"/> sees them
    /// (virDomainInterfaceAddresses): libvirt's DHCP leases, the host's ARP table, or the guest agent.
    /// </summary>
    public IReadOnlyList<DomainInterfaceAddresses> GetInterfaceAddresses(InterfaceAddressSource source) =>
        DomainInterfaces.Read(_handle, source);

    /// <summary>Starts a defined domain.</summary>
    public void Create(DomainCreateFlags flags = DomainCreateFlags.None) =>
        Check(NativeMethods.virDomainCreateWithFlags(_handle, (uint)flags));

    /// <summary>Asks the guest to shut down (ACPI); returns before it has.</summary>
    public void Shutdown() => Check(NativeMethods.virDomainShutdown(_handle));

    public void Reboot() => Check(NativeMethods.virDomainReboot(_handle, 0));

    /// <summary>Stops the domain immediately (power off).</summary>
    public void Destroy() => Check(NativeMethods.virDomainDestroy(_handle));

    public void Suspend() => Check(NativeMethods.virDomainSuspend(_handle));

    public void Resume() => Check(NativeMethods.virDomainResume(_handle));

    /// <summary>Removes the persistent definition; a running domain becomes transient.</summary>
    public void Undefine(UndefineFlags flags = UndefineFlags.None) =>
        Check(NativeMethods.virDomainUndefineFlags(_handle, (uint)flags));

    /// <summary>Releases this reference to the domain; the domain itself is unaffected.</summary>
    public void Dispose() => _handle.Dispose();

    /// <summary>Throws the last libvirt error for a negative result, which is how libvirt's int APIs fail.</summary>
    private static int Check(int result) => result < 0 ? throw LibvirtException.FromLastError() : result;
}
