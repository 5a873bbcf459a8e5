namespace KvmPortal.Hypervisor.Vms;

/// <summary>Identifies a VM across hosts: libvirt UUIDs are unique per host only.</summary>
public readonly record struct VmKey(Guid HostId, Guid Uuid);

/// <summary>libvirt's domain states, plus <see cref="Unknown"/> while the VM's host is offline.</summary>
public enum VmState { NoState, Running, Blocked, Paused, ShuttingDown, ShutOff, Crashed, Suspended, Unknown }

public enum VmAction { Start, Shutdown, Reboot, ForceOff, Pause, Resume }

/// <summary>One row of the VM list, kept live by the inventory.</summary>
public sealed record VmInfo(
    Guid HostId,
    Guid Uuid,
    string Name,
    VmState State,
    int VCpus,
    ulong MemoryBytes,
    double? CpuPercent,
    DateTimeOffset? RunningSince,
    bool Persistent)
{
    public VmKey Key => new(HostId, Uuid);

    /// <summary>
    /// The guest's IP addresses (DHCP leases, the ARP table or the guest agent), kept fresh by the host session's
    /// sampler; empty when the VM is off or nothing is known. Compares by content.
    /// </summary>
    public IReadOnlyList<Networks.VmAddress> Addresses { get; init; } = Networks.ValueList<Networks.VmAddress>.Empty;

    /// <summary>Marked as a template in its metadata (<see cref="Templates.VmTemplateTag"/>): VMs are made from it; it is not started.</summary>
    public bool Template { get; init; }
}

public sealed record DiskInfo(string Device, string Bus, string Target, string? Source, string? Format, bool ReadOnly);

public sealed record NicInfo(string Type, string? Source, string? Mac, string? Model);

public sealed record GraphicsInfo(string Type, string? Listen, int? Port, bool AutoPort);

/// <summary>Everything the VM detail page shows, read from the domain's live XML on demand.</summary>
public sealed record VmDetails(
    VmInfo Info,
    string? Title,
    string? Description,
    string DomainType,
    string OsType,
    string Arch,
    string? MachineType,
    ulong MaxMemoryBytes,
    bool Autostart,
    IReadOnlyList<DiskInfo> Disks,
    IReadOnlyList<NicInfo> Nics,
    IReadOnlyList<GraphicsInfo> Graphics,
    string Xml);
