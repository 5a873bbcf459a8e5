namespace KvmPortal.Hypervisor.Storage;

public enum PoolState { Inactive, Building, Running, Degraded, Inaccessible }

/// <summary>A storage pool of a host, for pickers and lists. Sizes in bytes.</summary>
public sealed record StoragePoolSummary(
    Guid HostId,
    string Name,
    Guid Uuid,
    string Type,
    string? TargetPath,
    PoolState State,
    ulong CapacityBytes,
    ulong AllocationBytes,
    ulong AvailableBytes,
    bool Autostart,
    bool Persistent);

/// <summary>A volume of a pool. <see cref="Format"/> is e.g. "raw", "qcow2" or "iso" (libvirt's name for it).</summary>
public sealed record StorageVolumeSummary(
    Guid HostId,
    string Pool,
    string Name,
    string Path,
    string? Format,
    ulong CapacityBytes,
    ulong AllocationBytes);
