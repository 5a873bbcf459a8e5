namespace KvmPortal.Hypervisor;

/// <summary>
/// A failure to show to the user: <see cref="Exception.Message"/> says what went wrong in our words (English),
/// <see cref="LibvirtMessage"/> carries libvirt's own text when libvirt refused.
/// <see cref="Kind"/> and <see cref="Arguments"/> say the same as the message in a stable form a user interface can
/// translate; without a kind, show the message as it is.
/// </summary>
public sealed class HypervisorException(string message, string? libvirtMessage = null, Exception? inner = null)
    : Exception(message, inner)
{
    public string? LibvirtMessage { get; } = libvirtMessage;

    /// <summary>Why it failed, for translation; null when only <see cref="Exception.Message"/> describes it.</summary>
    public HypervisorErrorKind? Kind { get; init; }

    /// <summary>The values the message mentions, in the order the kind documents (e.g. the host's name).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];
}

/// <summary>
/// The reasons a hypervisor operation fails, as stable keys for translated messages. The operation the user tried
/// is not part of the reason: the user interface knows what it asked for.
/// </summary>
public enum HypervisorErrorKind
{
    /// <summary>Libvirt refused for another reason; its own message says why.</summary>
    Failed,

    /// <summary>The VM no longer exists. Arguments: the host's name.</summary>
    VmGone,

    /// <summary>Not possible in the current state of the VM or network.</summary>
    InvalidState,

    /// <summary>The host refused access. Arguments: the host's name.</summary>
    AccessDenied,

    /// <summary>The host did not answer. Arguments: the host's name.</summary>
    HostNotAnswering,

    /// <summary>The host is offline, so nothing can be asked of it. Arguments: the host's name.</summary>
    HostOffline,

    /// <summary>The host went offline during the operation. Arguments: the host's name.</summary>
    HostWentOffline,

    /// <summary>The VM's host is not known to the dashboard (removed?).</summary>
    HostUnknown,

    /// <summary>The network no longer exists. Arguments: the host's name.</summary>
    NetworkGone,

    /// <summary>A network with the same name or UUID exists already. Arguments: the host's name.</summary>
    NetworkExists,

    /// <summary>A defined VM uses the volume. Arguments: the volume's name, the VMs' names.</summary>
    VolumeInUse,

    /// <summary>No snapshot of the VM has this name (any more). Arguments: the host's name.</summary>
    SnapshotGone,

    /// <summary>The VM has a snapshot with this name already. Arguments: the snapshot's name.</summary>
    SnapshotExists,

    /// <summary>An internal snapshot needs qcow2 disks. Arguments: the disk's target, its format.</summary>
    SnapshotDiskFormat,

    /// <summary>A CD-ROM with media or another read-only disk blocks an internal snapshot. Arguments: the disk's target.</summary>
    SnapshotReadOnlyDisk,

    /// <summary>An external snapshot needs file (or volume) disks for its overlays. Arguments: the disk's target.</summary>
    SnapshotDiskNotFile,

    /// <summary>The VM has no writable disk to snapshot.</summary>
    SnapshotNoDisks,

    /// <summary>Memory can only be saved while the VM runs.</summary>
    SnapshotMemoryNeedsRunning,

    /// <summary>An internal snapshot of a running VM always saves its memory.</summary>
    SnapshotMemoryRequired,

    /// <summary>External snapshots here are disk-only.</summary>
    SnapshotExternalNoMemory,
}
