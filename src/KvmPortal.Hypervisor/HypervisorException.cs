using KvmPortal.Hypervisor.Vms.Create;

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

    /// <summary>What is wrong with the request, for <see cref="HypervisorErrorKind.InvalidSpec"/>; empty otherwise.</summary>
    public IReadOnlyList<SpecProblem> Problems { get; init; } = [];

    /// <summary>A failure of ours (not libvirt's) with its kind and arguments; arguments culture-neutral, as for <see cref="SpecProblem"/>.</summary>
    public static HypervisorException Because(HypervisorErrorKind kind, string message, params string[] arguments) =>
        new(message) { Kind = kind, Arguments = arguments };

    /// <summary>A request with problems; the message joins their English texts after <paramref name="prefix"/>.</summary>
    public static HypervisorException Invalid(IReadOnlyList<SpecProblem> problems, string prefix = "") =>
        new(prefix + string.Join(" ", problems.Select(p => p.Message))) { Kind = HypervisorErrorKind.InvalidSpec, Problems = problems };
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

    /// <summary>An external snapshot's overlay files are named after it, so it needs a name.</summary>
    SnapshotNameRequired,
    /// <summary>A writable disk to clone is not a pool volume. Arguments: the disk's target, its source.</summary>
    CloneDiskNotInPool,

    /// <summary>A disk cannot back a linked clone's qcow2 overlay. Arguments: the disk's target, its pool's name.</summary>
    CloneDiskNotLinkable,

    /// <summary>A template is not started. Arguments: the VM's name.</summary>
    VmIsTemplate,

    /// <summary>VMs are made only from a VM marked as a template. Arguments: the VM's name.</summary>
    NotATemplate,

    /// <summary>Only a shut-off, persistent VM can become a template. Arguments: the VM's name.</summary>
    TemplateNeedsShutOff,

    /// <summary>The request has problems; <see cref="HypervisorException.Problems"/> lists them.</summary>
    InvalidSpec,

    /// <summary>Too many or too few vCPUs. Arguments: the VM's name, the most it can have.</summary>
    VcpusOutOfRange,

    /// <summary>Too many or too few vCPUs for the running VM. Arguments: the VM's name, the most it can have.</summary>
    VcpusOutOfRangeWhileRunning,

    /// <summary>More memory than the VM's maximum. Arguments: the VM's name, the maximum (e.g. "512 MiB").</summary>
    MemoryAboveMaximum,

    /// <summary>Arguments: the VM's name, the MAC address asked for.</summary>
    NicNotFound,

    /// <summary>Arguments: the VM's name, the disk's target (e.g. "sda").</summary>
    DiskNotFound,

    /// <summary>The device is not a CD-ROM drive. Arguments: the VM's name, the disk's target.</summary>
    NotACdrom,

    /// <summary>The VM's definition has no &lt;os&gt; section. Arguments: the VM's name.</summary>
    NoOsSection,

    /// <summary>A running VM cannot be renamed. Arguments: the VM's name.</summary>
    RenameNeedsShutOff,

    /// <summary>The XML cannot be parsed. Arguments: the parser's message.</summary>
    XmlMalformed,

    /// <summary>The XML's root is not &lt;domain&gt;.</summary>
    XmlNotDomain,

    /// <summary>The XML changes the VM's UUID. Arguments: the UUID it must keep.</summary>
    XmlUuidChanged,

    /// <summary>libvirt refused the XML; its message says why. Arguments: the VM's name.</summary>
    XmlRejected,

    /// <summary>A VM that is not running has no state to save. Arguments: the VM's name.</summary>
    NoStateToSave,

    /// <summary>Neither "now" nor "from the next start" was chosen.</summary>
    ScopeMissing,

    /// <summary>A change "now" on a VM that is not running. Arguments: the VM's name.</summary>
    ScopeLiveNotRunning,

    /// <summary>A change "from the next start" on a transient VM. Arguments: the VM's name.</summary>
    ScopeConfigTransient,

    /// <summary>Creating a VM failed and everything made was removed. Arguments: the VM's name, the host's name.</summary>
    CreateFailed,

    /// <summary>Creating a VM failed and some of what was made remains. Arguments: the VM's name, the host's name, what remains.</summary>
    CreateFailedLeftovers,

    /// <summary>Shrinking a volume needs confirmation. Arguments: the volume's name, its size, the new size.</summary>
    ShrinkNeedsConfirm,

    /// <summary>Arguments: the volume's name, the pool's name.</summary>
    VolumeExists,

    /// <summary>An upload of an empty file.</summary>
    UploadEmpty,

    /// <summary>The pool has too little space. Arguments: the size needed, the pool's name, the space free.</summary>
    PoolFull,

    /// <summary>The uploaded stream ended early. Arguments: the size received, the size announced.</summary>
    UploadEnded,

    /// <summary>Arguments: the pool's name.</summary>
    PoolInactive,

    /// <summary>Other volumes are overlays of this one. Arguments: the volume's name, the overlays' names, the pool's name.</summary>
    VolumeIsBacking,

    /// <summary>The VM has no VNC graphics. Arguments: the VM's name.</summary>
    VncMissing,

    /// <summary>The VM is not running, so VNC does not listen. Arguments: the VM's name.</summary>
    VncNotListening,

    /// <summary>VNC listens on a unix socket of a remote host. Arguments: the VM's name, the host's name.</summary>
    VncUnixSocket,

    /// <summary>VNC listens on a remote host's loopback only. Arguments: the VM's name, the host's name.</summary>
    VncLoopbackOnly,

    /// <summary>Arguments: the MAC address asked for.</summary>
    DhcpHostNotFound,

    /// <summary>The network has no IPv4 address, so no DHCP.</summary>
    NetworkWithoutIpv4,
    /// <summary>Another client has the VM's serial console open.</summary>
    ConsoleInUse,

    /// <summary>An upload was complete but could not take the old volume's place; it is kept under its own name (arguments: the volume, that name).</summary>
    UploadKeptAside,

    /// <summary>The VM has no serial port or console (or not the one asked for).</summary>
    NoSerialConsole,

    /// <summary>A migration to the VM's own host.</summary>
    MigrationSameHost,

    /// <summary>The migration's target host is offline. Arguments: the target host's name.</summary>
    MigrationTargetOffline,

    /// <summary>A live migration of a VM that does not run. Arguments: the VM's name.</summary>
    MigrationLiveNeedsRunning,

    /// <summary>An offline migration of a running VM. Arguments: the VM's name.</summary>
    MigrationOfflineNeedsShutOff,

    /// <summary>The target has a VM with the same name or UUID. Arguments: the VM's name, the target host's name.</summary>
    MigrationVmExists,

    /// <summary>A disk is not in any pool of the target. Arguments: the disk's target, its source, the target host's name.</summary>
    MigrationDiskMissing,

    /// <summary>Copying disks was asked of an offline migration.</summary>
    MigrationCopyNeedsLive,

    /// <summary>A disk to copy has no pool for its folder on the target (or, read-only, is not there). Arguments: the disk's target, its source, the target host's name.</summary>
    MigrationDiskNoPool,

    /// <summary>The target's CPU cannot run the VM's CPU. Arguments: the VM's name, the target host's name.</summary>
    MigrationCpuIncompatible,

    // Refusals of the portal's team quotas (raised by the web app's gated layer, not by libvirt), here so that every
    // page and the API show them like any other refusal. Arguments: the team's name, its limit, its use, the request.

    /// <summary>The team's VM count quota would be exceeded.</summary>
    QuotaVmsExceeded,

    /// <summary>The team's vCPU quota would be exceeded.</summary>
    QuotaVcpusExceeded,

    /// <summary>The team's memory quota would be exceeded (sizes like "8 GiB").</summary>
    QuotaMemoryExceeded,

    /// <summary>The team's disk quota would be exceeded (sizes like "100 GiB").</summary>
    QuotaDiskExceeded,

    // The portal's own database failing around an operation (raised by the web app's gate): shown like any refusal.

    /// <summary>The portal's database could not be read to check the permission: nothing was done.</summary>
    PortalDatabaseUnavailable,

    /// <summary>The operation was done, but its audit entry could not be written (the database failed meanwhile).</summary>
    AuditNotRecorded,
}
