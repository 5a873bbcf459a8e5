namespace KvmPortal.Hypervisor.Snapshots;

/// <summary>Internal snapshots live inside qcow2 disks; external disk-only ones add an overlay file per disk.</summary>
public enum SnapshotKind
{
    Internal,
    ExternalDiskOnly,
}

/// <summary>What a reverted VM does: what the snapshot recorded, or start it running or paused.</summary>
public enum RevertStart
{
    AsSaved,
    Running,
    Paused,
}

/// <summary>A snapshot to take. An empty name lets libvirt choose one (the time).</summary>
public sealed record SnapshotSpec(string? Name, string? Description, SnapshotKind Kind, bool IncludeMemory);

/// <summary>
/// One snapshot. <see cref="State"/> is the VM's state when it was taken as libvirt writes it
/// (running, paused, shutoff, disk-snapshot). <see cref="Vcpus"/> and <see cref="MemoryBytes"/> are what the saved
/// definition allocates (a revert brings them back), null when the snapshot holds no definition.
/// </summary>
public sealed record SnapshotInfo(
    string Name,
    string? Description,
    DateTimeOffset CreatedAt,
    string State,
    bool IncludesMemory,
    bool IsExternal,
    string? Parent,
    bool IsCurrent,
    int? Vcpus = null,
    ulong? MemoryBytes = null);

/// <summary>A snapshot with its children, for the tree.</summary>
public sealed record SnapshotNode(SnapshotInfo Snapshot, IReadOnlyList<SnapshotNode> Children);
